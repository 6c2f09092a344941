-- Fills 0019's views from the cached amoCRM rights; rights that are not JSON leave them empty
-- (nothing visible), as the store read them before. Row by row, so one unreadable object
-- does not stop the rest.
DO $$
DECLARE
    u RECORD;
BEGIN
    FOR u IN SELECT workspace_id, crm_user_id, rights_json FROM crm_users LOOP
        BEGIN
            UPDATE crm_users SET contacts_view = COALESCE(u.rights_json::jsonb #>> '{contacts,view}', ''),
                leads_view = COALESCE(u.rights_json::jsonb #>> '{leads,view}', '')
            WHERE workspace_id = u.workspace_id AND crm_user_id = u.crm_user_id;
        EXCEPTION WHEN invalid_text_representation THEN
            NULL;
        END;
    END LOOP;
END $$;
