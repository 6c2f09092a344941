-- MAX messenger: a contact's MAX identity (user id and public name), and when a customer
-- stopped a MAX bot (0 while the bot may write to them).
ALTER TABLE contacts ADD COLUMN max_user_id BIGINT;
ALTER TABLE contacts ADD COLUMN max_username TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX contacts_max ON contacts (workspace_id, max_user_id);
ALTER TABLE chats ADD COLUMN stopped_at BIGINT NOT NULL DEFAULT 0;
