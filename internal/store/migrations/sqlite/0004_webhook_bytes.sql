-- A webhook body is kept as the provider sent it, byte for byte (a BLOB, as PostgreSQL's BYTEA).
CREATE TABLE inbound_webhooks_bytes (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL,
    connection_id  TEXT NOT NULL,
    source         TEXT NOT NULL,
    body           BLOB NOT NULL,
    received_at    BIGINT NOT NULL,
    processed_at   BIGINT NOT NULL DEFAULT 0,
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT NOT NULL DEFAULT ''
);
INSERT INTO inbound_webhooks_bytes (id, workspace_id, connection_id, source, body, received_at, processed_at, attempts, last_error)
    SELECT id, workspace_id, connection_id, source, CAST(body AS BLOB), received_at, processed_at, attempts, last_error
    FROM inbound_webhooks;
DROP TABLE inbound_webhooks;
ALTER TABLE inbound_webhooks_bytes RENAME TO inbound_webhooks;
CREATE INDEX inbound_webhooks_pending ON inbound_webhooks (processed_at, received_at);
