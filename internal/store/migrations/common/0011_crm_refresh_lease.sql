-- amoCRM refresh tokens are single use, so one hub instance at a time may spend one. The
-- instance about to call the CRM writes its id and the end of its lease here; others wait for
-- the new tokens until the lease ends (the holder may have died), and saving new tokens clears it.
ALTER TABLE crm_tokens ADD COLUMN refresh_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE crm_tokens ADD COLUMN refresh_lease_until BIGINT NOT NULL DEFAULT 0;
