-- One-use tickets that open the events WebSocket (ARCHITECTURE.md §3, Realtime). Only the
-- SHA-256 of a ticket is kept; the row is deleted when the ticket is used, so any instance on
-- the same database honours it exactly once.
CREATE TABLE event_tickets (
    ticket_hash   TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL,
    employee_id   TEXT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX event_tickets_expiry ON event_tickets (expires_at);
