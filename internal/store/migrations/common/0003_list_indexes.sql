-- The chat list reads contacts and group chats segment by segment (unanswered first, then the
-- rest), each newest activity first. A partial index per segment serves each as a keyset range
-- scan, where the single (unanswered_chats, last_activity_at) index made every page sort all
-- unanswered contacts.
CREATE INDEX contacts_list_unanswered ON contacts (workspace_id, last_activity_at, id) WHERE unanswered_chats > 0;
CREATE INDEX contacts_list_answered ON contacts (workspace_id, last_activity_at, id) WHERE unanswered_chats = 0;
CREATE INDEX chats_groups_unanswered ON chats (workspace_id, last_activity_at, id) WHERE kind = 'group' AND unanswered_count > 0;
CREATE INDEX chats_groups_answered ON chats (workspace_id, last_activity_at, id) WHERE kind = 'group' AND unanswered_count = 0;
-- A manager's visible contacts are found from the CRM side, by responsible user.
CREATE INDEX crm_contacts_responsible ON crm_contacts (workspace_id, responsible_user_id);
CREATE INDEX crm_leads_responsible ON crm_leads (workspace_id, responsible_user_id);
