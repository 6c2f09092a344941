-- Who may see a hub contact through its CRM side, one row per way: via 'contact' for each CRM
-- contact it is linked to, via 'lead' for each deal those belong to, with that entity's
-- responsible user (0 while the hub has not fetched it), and the contact's place in the chat
-- list (unanswered: 1 when it has unanswered chats; its last activity). hub.Access reads as a
-- condition on these rows alone: a manager's list ranges over the index of the users they may
-- see, newest first, and a search probes one key per contact, instead of joining links, CRM
-- contacts and deals for every candidate. The store rewrites a contact's rows in the
-- transaction that changes its links, a responsible user or a deal's contacts, and their list
-- place with the contact's (store/visibility.go); this fills them for the data so far.
CREATE TABLE contact_visibility (
    workspace_id      TEXT NOT NULL,
    contact_id        TEXT NOT NULL,
    via               TEXT NOT NULL,
    user_id           BIGINT NOT NULL,
    unanswered        INTEGER NOT NULL,
    last_activity_at  BIGINT NOT NULL,
    PRIMARY KEY (contact_id, via, user_id)
);
CREATE INDEX contact_visibility_list ON contact_visibility (workspace_id, via, user_id, unanswered, last_activity_at, contact_id);
INSERT INTO contact_visibility (workspace_id, contact_id, via, user_id, unanswered, last_activity_at)
SELECT DISTINCT l.workspace_id, l.contact_id, 'contact', COALESCE(cc.responsible_user_id, 0),
    CASE WHEN c.unanswered_chats > 0 THEN 1 ELSE 0 END, c.last_activity_at
FROM contact_crm_links l
JOIN contacts c ON c.id = l.contact_id
LEFT JOIN crm_contacts cc ON cc.workspace_id = l.workspace_id AND cc.crm_contact_id = l.crm_contact_id;
INSERT INTO contact_visibility (workspace_id, contact_id, via, user_id, unanswered, last_activity_at)
SELECT DISTINCT l.workspace_id, l.contact_id, 'lead', COALESCE(ld.responsible_user_id, 0),
    CASE WHEN c.unanswered_chats > 0 THEN 1 ELSE 0 END, c.last_activity_at
FROM contact_crm_links l
JOIN contacts c ON c.id = l.contact_id
JOIN crm_lead_contacts lc ON lc.workspace_id = l.workspace_id AND lc.crm_contact_id = l.crm_contact_id
LEFT JOIN crm_leads ld ON ld.workspace_id = lc.workspace_id AND ld.crm_lead_id = lc.crm_lead_id;
-- A contact's search entry on its own row, so a search whose term matches many contacts walks
-- the list's activity indexes checking each (store/contacts.go rowContains) instead of reading
-- every match and sorting it.
ALTER TABLE contacts ADD COLUMN search_body TEXT NOT NULL DEFAULT '';
UPDATE contacts SET search_body = s.body FROM contact_search s WHERE s.contact_id = contacts.id;
