-- When a workspace's subscription stops being active (a trial's end, a paid period's end);
-- 0 means it does not end. Existing workspaces keep what they have.
ALTER TABLE workspaces ADD COLUMN sub_ends_at BIGINT NOT NULL DEFAULT 0;
