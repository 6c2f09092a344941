-- The business's reactions on their way to the messenger: one row per message, the latest
-- emoji ("" takes it off). version counts changes, so a sender that finishes an older one
-- leaves a newer one queued. Claimed by one instance at a time (owner, lease_until), like the
-- outbox; a reaction is idempotent, so a crash mid-call just sends it again.
CREATE TABLE reaction_outbox (
    message_id       TEXT PRIMARY KEY REFERENCES messages(id),
    workspace_id     TEXT NOT NULL,
    emoji            TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    owner            TEXT NOT NULL DEFAULT '',
    lease_until      BIGINT NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reaction_outbox_due ON reaction_outbox (next_attempt_at);
