-- The customer's reaction last posted to amoCRM for a mirrored message.
ALTER TABLE amojo_messages ADD COLUMN last_reaction TEXT NOT NULL DEFAULT '';
