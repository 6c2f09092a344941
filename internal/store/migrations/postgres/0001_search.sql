-- Contact search: pg_trgm GIN index over a case-folded copy of name, username and phone digits.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE contact_search (
    contact_id    TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL,
    body          TEXT NOT NULL
);
CREATE INDEX contact_search_trgm ON contact_search USING gin (body gin_trgm_ops);
