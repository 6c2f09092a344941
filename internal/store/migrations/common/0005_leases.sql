-- Several instances share the outbox and the stored webhooks: a row is claimed by one instance
-- (owner) until its lease runs out, and the owner renews the lease while it works. Recovery
-- touches only rows whose lease has expired, so a second instance never fails or repeats
-- another's work.
ALTER TABLE outbox ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;

-- Webhooks are retried by time (next_attempt_at, with backoff) rather than by attempts per
-- wake-up; given_up_at marks one left for an operator (a permanent error or the retry window
-- spent).
ALTER TABLE inbound_webhooks ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE inbound_webhooks ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE inbound_webhooks ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE inbound_webhooks ADD COLUMN given_up_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX inbound_webhooks_due ON inbound_webhooks (next_attempt_at) WHERE processed_at = 0 AND given_up_at = 0;

-- A delivery status for a message the hub has not recorded yet (its send's answer is still on
-- the way) waits here, by provider key, and is applied when the send is recorded.
CREATE TABLE parked_statuses (
    connection_id  TEXT NOT NULL,
    provider_key   TEXT NOT NULL,
    status         TEXT NOT NULL,
    error_code     TEXT NOT NULL DEFAULT '',
    error_message  TEXT NOT NULL DEFAULT '',
    received_at    BIGINT NOT NULL,
    PRIMARY KEY (connection_id, provider_key, status)
);

-- A file whose download finally failed says why (a hub code), for the employee.
ALTER TABLE attachments ADD COLUMN error_code TEXT NOT NULL DEFAULT '';

