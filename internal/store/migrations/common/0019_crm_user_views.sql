-- What a CRM user may view of contacts and deals, in the hub's words (hub.RightAll, RightGroup,
-- RightOwn, RightNone), written by the CRM adapter: the store reads these, never the CRM's rights
-- object (rights_json, kept to show). Each engine's file of this number fills them from the
-- rights cached so far, so no employee loses sight of their chats until the next user sync.
ALTER TABLE crm_users ADD COLUMN contacts_view TEXT NOT NULL DEFAULT '';
ALTER TABLE crm_users ADD COLUMN leads_view TEXT NOT NULL DEFAULT '';
