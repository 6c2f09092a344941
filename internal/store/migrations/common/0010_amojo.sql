-- amoCRM's own chats (amojo): the mirror's state per workspace, its outbox of calls to amojo,
-- and the hooks amoCRM sends (stored before they are answered, processed from here).
CREATE TABLE amojo_accounts (
    workspace_id      TEXT PRIMARY KEY REFERENCES workspaces(id),
    enabled           BOOLEAN NOT NULL DEFAULT FALSE,
    account_amojo_id  TEXT NOT NULL DEFAULT '',
    scope_id          TEXT NOT NULL DEFAULT '',
    -- the last event seq turned into outbox jobs
    event_cursor      BIGINT NOT NULL DEFAULT 0,
    last_error        TEXT NOT NULL DEFAULT '',
    updated_at        BIGINT NOT NULL
);

-- Each connection's amoCRM source and the pipeline its incoming leads go to.
CREATE TABLE amojo_sources (
    workspace_id   TEXT NOT NULL REFERENCES workspaces(id),
    connection_id  TEXT NOT NULL REFERENCES connections(id),
    source_id      BIGINT NOT NULL DEFAULT 0,
    pipeline_id    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, connection_id)
);

-- Hub chats known to amojo.
CREATE TABLE amojo_chats (
    workspace_id   TEXT NOT NULL REFERENCES workspaces(id),
    chat_id        TEXT NOT NULL REFERENCES chats(id),
    amojo_chat_id  TEXT NOT NULL,
    PRIMARY KEY (workspace_id, chat_id)
);

-- Hub messages known to amojo, with amojo's id (delivery statuses name it) and the last
-- status posted.
CREATE TABLE amojo_messages (
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    message_id    TEXT NOT NULL REFERENCES messages(id),
    amojo_msgid   TEXT NOT NULL,
    last_status   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (workspace_id, message_id)
);
CREATE INDEX amojo_messages_amojo ON amojo_messages (workspace_id, amojo_msgid);

-- amoCRM users' amojo ids: a hook names its author by one, an imported message its sender.
CREATE TABLE amojo_users (
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    crm_user_id   BIGINT NOT NULL,
    amojo_id      TEXT NOT NULL,
    PRIMARY KEY (workspace_id, crm_user_id)
);
CREATE INDEX amojo_users_amojo ON amojo_users (workspace_id, amojo_id);

-- Calls to amojo waiting to be made, in order per workspace (id is a UUIDv7).
CREATE TABLE amojo_outbox (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces(id),
    kind             TEXT NOT NULL,
    chat_id          TEXT NOT NULL DEFAULT '',
    message_id       TEXT NOT NULL DEFAULT '',
    data_json        TEXT NOT NULL DEFAULT '{}',
    state            TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    lease_until      BIGINT NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX amojo_outbox_pending ON amojo_outbox (workspace_id, state, id);

-- Hooks amoCRM sent (once, never again): stored before the answer, processed from here.
CREATE TABLE amojo_hooks (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces(id),
    body             TEXT NOT NULL,
    state            TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    lease_until      BIGINT NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    received_at      BIGINT NOT NULL
);
CREATE INDEX amojo_hooks_pending ON amojo_hooks (state, next_attempt_at);
