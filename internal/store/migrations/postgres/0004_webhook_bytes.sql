-- A webhook body is kept as the provider sent it, byte for byte: TEXT refuses invalid UTF-8 and
-- U+0000, and refusing to store a signed webhook only makes the provider send it again forever.
ALTER TABLE inbound_webhooks ALTER COLUMN body TYPE BYTEA USING convert_to(body, 'UTF8');
