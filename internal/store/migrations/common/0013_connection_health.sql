-- What a connection's health is measured from (the cabinet shows it instead of assuming
-- "working"): when its last webhook was accepted, when the provider's verify handshake last
-- succeeded, and per-minute counts of refused webhooks and failed sends (kept two hours).
CREATE TABLE connection_health (
    connection_id    TEXT PRIMARY KEY,
    last_webhook_at  BIGINT NOT NULL DEFAULT 0,
    verified_at      BIGINT NOT NULL DEFAULT 0,
    last_refusal     TEXT NOT NULL DEFAULT '',
    last_refusal_at  BIGINT NOT NULL DEFAULT 0,
    last_send_error  TEXT NOT NULL DEFAULT ''
);
CREATE TABLE connection_failures (
    connection_id  TEXT NOT NULL,
    kind           TEXT NOT NULL,
    minute         BIGINT NOT NULL,
    count          BIGINT NOT NULL,
    PRIMARY KEY (connection_id, kind, minute)
);
