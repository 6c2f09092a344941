-- The sandbox's stand-ins for providers and for the CRM keep their state here (a JSON document
-- each, and the files customers and the hub handed them), so every sandbox instance on one
-- database gives the same answers and a restart forgets nothing. Unused outside --sandbox.
CREATE TABLE sandbox_state (
    name     TEXT PRIMARY KEY,
    body     TEXT NOT NULL,
    version  BIGINT NOT NULL
);

CREATE TABLE sandbox_files (
    id    TEXT PRIMARY KEY,
    mime  TEXT NOT NULL,
    data  TEXT NOT NULL -- base64: one column type for both engines
);
