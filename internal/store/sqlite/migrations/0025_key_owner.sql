-- An API key may be owned by a user of its organization: the key then
-- names that user as its author and current user. SQLite cannot add a
-- two-column foreign key to an existing table, so the store checks the
-- owner's organization in the insert itself (insertAPIKeySQL).
ALTER TABLE api_keys ADD COLUMN owner_user_id INTEGER REFERENCES users (id);
