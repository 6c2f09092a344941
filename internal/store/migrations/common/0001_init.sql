-- Switchboard schema, version 1. Portable between SQLite and PostgreSQL:
-- times are BIGINT Unix milliseconds, ids are TEXT (UUIDv7, so they sort by creation),
-- CRM and Telegram ids are BIGINT as the outside systems give them, JSON blobs are TEXT.

CREATE TABLE workspaces (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    crm_kind        TEXT NOT NULL,
    crm_account_id  BIGINT NOT NULL,
    crm_base_url    TEXT NOT NULL DEFAULT '',
    country         TEXT NOT NULL DEFAULT 'RU',
    sub_active      BOOLEAN NOT NULL DEFAULT FALSE,
    sub_paid        BOOLEAN NOT NULL DEFAULT FALSE,
    templates_paid  BOOLEAN NOT NULL DEFAULT FALSE,
    event_seq       BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    UNIQUE (crm_kind, crm_account_id)
);

CREATE TABLE crm_tokens (
    workspace_id       TEXT PRIMARY KEY REFERENCES workspaces(id),
    access_token_enc   TEXT NOT NULL,
    refresh_token_enc  TEXT NOT NULL,
    expires_at         BIGINT NOT NULL,
    version            BIGINT NOT NULL DEFAULT 1,
    updated_at         BIGINT NOT NULL
);

CREATE TABLE crm_users (
    workspace_id   TEXT NOT NULL REFERENCES workspaces(id),
    crm_user_id    BIGINT NOT NULL,
    name           TEXT NOT NULL,
    email          TEXT NOT NULL DEFAULT '',
    lang           TEXT NOT NULL DEFAULT '',
    group_id       BIGINT NOT NULL DEFAULT 0,
    is_admin       BOOLEAN NOT NULL DEFAULT FALSE,
    is_active      BOOLEAN NOT NULL DEFAULT TRUE,
    rights_json    TEXT NOT NULL DEFAULT '{}',
    fetched_at     BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, crm_user_id)
);

CREATE TABLE employees (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    crm_user_id   BIGINT NOT NULL,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    lang          TEXT NOT NULL DEFAULT 'en',
    created_at    BIGINT NOT NULL,
    UNIQUE (workspace_id, crm_user_id)
);

CREATE TABLE crm_contacts (
    workspace_id         TEXT NOT NULL REFERENCES workspaces(id),
    crm_contact_id       BIGINT NOT NULL,
    name                 TEXT NOT NULL DEFAULT '',
    responsible_user_id  BIGINT NOT NULL DEFAULT 0,
    fetched_at           BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, crm_contact_id)
);

CREATE TABLE crm_leads (
    workspace_id         TEXT NOT NULL REFERENCES workspaces(id),
    crm_lead_id          BIGINT NOT NULL,
    name                 TEXT NOT NULL DEFAULT '',
    responsible_user_id  BIGINT NOT NULL DEFAULT 0,
    fetched_at           BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, crm_lead_id)
);

CREATE TABLE crm_lead_contacts (
    workspace_id    TEXT NOT NULL,
    crm_lead_id     BIGINT NOT NULL,
    crm_contact_id  BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, crm_lead_id, crm_contact_id)
);
CREATE INDEX crm_lead_contacts_contact ON crm_lead_contacts (workspace_id, crm_contact_id);

CREATE TABLE connections (
    id                           TEXT PRIMARY KEY,
    workspace_id                 TEXT NOT NULL REFERENCES workspaces(id),
    kind                         TEXT NOT NULL,
    name                         TEXT NOT NULL,
    external_id                  TEXT NOT NULL,
    settings_json                TEXT NOT NULL DEFAULT '{}',
    secrets_enc                  TEXT NOT NULL DEFAULT '',
    in_subscription              BOOLEAN NOT NULL DEFAULT TRUE,
    status                       TEXT NOT NULL DEFAULT 'working',
    status_detail                TEXT NOT NULL DEFAULT '',
    default_responsible_user_id  BIGINT NOT NULL DEFAULT 0,
    created_at                   BIGINT NOT NULL,
    UNIQUE (workspace_id, kind, external_id)
);

CREATE TABLE contacts (
    id                 TEXT PRIMARY KEY,
    workspace_id       TEXT NOT NULL REFERENCES workspaces(id),
    name               TEXT NOT NULL DEFAULT '',
    avatar_url         TEXT NOT NULL DEFAULT '',
    email              TEXT NOT NULL DEFAULT '',
    wa_id              TEXT,
    telegram_user_id   BIGINT,
    telegram_username  TEXT NOT NULL DEFAULT '',
    blocked            BOOLEAN NOT NULL DEFAULT FALSE,
    unanswered_chats   INTEGER NOT NULL DEFAULT 0,
    last_activity_at   BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE UNIQUE INDEX contacts_wa_id ON contacts (workspace_id, wa_id);
CREATE UNIQUE INDEX contacts_telegram ON contacts (workspace_id, telegram_user_id);
-- The chat list's keyset order: unanswered first, then newest activity.
CREATE INDEX contacts_list ON contacts (workspace_id, unanswered_chats, last_activity_at, id);

CREATE TABLE contact_phones (
    workspace_id  TEXT NOT NULL,
    contact_id    TEXT NOT NULL REFERENCES contacts(id),
    e164          TEXT NOT NULL,
    digits        TEXT NOT NULL,
    PRIMARY KEY (contact_id, e164)
);
CREATE INDEX contact_phones_digits ON contact_phones (workspace_id, digits);

CREATE TABLE contact_crm_links (
    workspace_id    TEXT NOT NULL,
    contact_id      TEXT NOT NULL REFERENCES contacts(id),
    crm_contact_id  BIGINT NOT NULL,
    PRIMARY KEY (contact_id, crm_contact_id)
);
CREATE INDEX contact_crm_links_crm ON contact_crm_links (workspace_id, crm_contact_id);

CREATE TABLE chats (
    id                 TEXT PRIMARY KEY,
    workspace_id       TEXT NOT NULL REFERENCES workspaces(id),
    connection_id      TEXT NOT NULL REFERENCES connections(id),
    kind               TEXT NOT NULL,
    contact_id         TEXT REFERENCES contacts(id),
    external_chat_id   TEXT NOT NULL,
    title              TEXT NOT NULL DEFAULT '',
    unanswered_count   INTEGER NOT NULL DEFAULT 0,
    refused_count      INTEGER NOT NULL DEFAULT 0,
    last_message_id    TEXT,
    last_message_json  TEXT,
    last_activity_at   BIGINT NOT NULL,
    last_inbound_at    BIGINT NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL,
    UNIQUE (connection_id, external_chat_id)
);
CREATE INDEX chats_contact ON chats (workspace_id, contact_id, last_activity_at);
CREATE INDEX chats_groups ON chats (workspace_id, kind, unanswered_count, last_activity_at, id);

CREATE TABLE messages (
    id                  TEXT PRIMARY KEY,
    workspace_id        TEXT NOT NULL,
    chat_id             TEXT NOT NULL REFERENCES chats(id),
    connection_id       TEXT NOT NULL,
    direction           TEXT NOT NULL,
    type                TEXT NOT NULL,
    text                TEXT NOT NULL DEFAULT '',
    author_employee_id  TEXT,
    author_name         TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL,
    error_code          TEXT NOT NULL DEFAULT '',
    error_message       TEXT NOT NULL DEFAULT '',
    reply_to_id         TEXT,
    provider_key        TEXT,
    client_id           TEXT,
    payload_json        TEXT NOT NULL DEFAULT '{}',
    hidden              BOOLEAN NOT NULL DEFAULT FALSE,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
-- A redelivered webhook or a double POST never makes a second message.
CREATE UNIQUE INDEX messages_provider_key ON messages (connection_id, provider_key);
CREATE UNIQUE INDEX messages_client_id ON messages (chat_id, client_id);
CREATE INDEX messages_history ON messages (chat_id, created_at, id);

CREATE TABLE attachments (
    id                 TEXT PRIMARY KEY,
    workspace_id       TEXT NOT NULL,
    message_id         TEXT NOT NULL REFERENCES messages(id),
    position           INTEGER NOT NULL DEFAULT 0,
    name               TEXT NOT NULL DEFAULT '',
    mime               TEXT NOT NULL DEFAULT '',
    size               BIGINT NOT NULL DEFAULT 0,
    storage_key        TEXT NOT NULL DEFAULT '',
    provider_media_id  TEXT NOT NULL DEFAULT '',
    duration_ms        BIGINT NOT NULL DEFAULT 0,
    width              INTEGER NOT NULL DEFAULT 0,
    height             INTEGER NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL
);
CREATE INDEX attachments_message ON attachments (message_id, position);

CREATE TABLE order_items (
    message_id  TEXT NOT NULL REFERENCES messages(id),
    position    INTEGER NOT NULL,
    sku         TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    quantity    INTEGER NOT NULL,
    price       TEXT NOT NULL,
    currency    TEXT NOT NULL,
    PRIMARY KEY (message_id, position)
);

CREATE TABLE templates (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces(id),
    connection_id  TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL,
    name           TEXT NOT NULL,
    language       TEXT NOT NULL DEFAULT '',
    body           TEXT NOT NULL,
    params         INTEGER NOT NULL DEFAULT 0,
    status         TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT '',
    updated_at     BIGINT NOT NULL,
    UNIQUE (workspace_id, connection_id, kind, name, language)
);

CREATE TABLE blacklist (
    workspace_id            TEXT NOT NULL,
    contact_id              TEXT NOT NULL REFERENCES contacts(id),
    blocked_by_employee_id  TEXT NOT NULL,
    blocked_at              BIGINT NOT NULL,
    refused_count           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, contact_id)
);

CREATE TABLE drafts (
    workspace_id  TEXT NOT NULL,
    employee_id   TEXT NOT NULL REFERENCES employees(id),
    chat_id       TEXT NOT NULL REFERENCES chats(id),
    text          TEXT NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (employee_id, chat_id)
);

CREATE TABLE events (
    workspace_id  TEXT NOT NULL,
    seq           BIGINT NOT NULL,
    type          TEXT NOT NULL,
    chat_id       TEXT NOT NULL DEFAULT '',
    contact_id    TEXT NOT NULL DEFAULT '',
    data_json     TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, seq)
);

CREATE TABLE outbox (
    message_id       TEXT PRIMARY KEY REFERENCES messages(id),
    workspace_id     TEXT NOT NULL,
    connection_id    TEXT NOT NULL,
    state            TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

CREATE TABLE uploads (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL,
    employee_id   TEXT NOT NULL,
    name          TEXT NOT NULL,
    mime          TEXT NOT NULL,
    size          BIGINT NOT NULL,
    storage_key   TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE inbound_webhooks (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL,
    connection_id  TEXT NOT NULL,
    source         TEXT NOT NULL,
    body           TEXT NOT NULL,
    received_at    BIGINT NOT NULL,
    processed_at   BIGINT NOT NULL DEFAULT 0,
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inbound_webhooks_pending ON inbound_webhooks (processed_at, received_at);

CREATE TABLE used_tokens (
    jti         TEXT PRIMARY KEY,
    expires_at  BIGINT NOT NULL
);

CREATE TABLE audit_log (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL,
    employee_id   TEXT NOT NULL,
    action        TEXT NOT NULL,
    target        TEXT NOT NULL,
    details_json  TEXT NOT NULL DEFAULT '{}',
    created_at    BIGINT NOT NULL
);
CREATE INDEX audit_log_workspace ON audit_log (workspace_id, created_at);
