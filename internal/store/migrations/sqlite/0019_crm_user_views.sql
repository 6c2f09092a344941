-- Fills 0019's views from the cached amoCRM rights; rights that are not JSON leave them empty
-- (nothing visible), as the store read them before.
UPDATE crm_users SET contacts_view = COALESCE(CAST(json_extract(rights_json, '$.contacts.view') AS TEXT), ''),
    leads_view = COALESCE(CAST(json_extract(rights_json, '$.leads.view') AS TEXT), '')
WHERE json_valid(rights_json) AND json_type(rights_json) = 'object';
