-- A connection an admin switched off (F25, C2): nothing is sent or created on it while
-- disabled_at is set (Unix ms; 0 = on); inbound messages are still stored.
ALTER TABLE connections ADD COLUMN disabled_at BIGINT NOT NULL DEFAULT 0;
