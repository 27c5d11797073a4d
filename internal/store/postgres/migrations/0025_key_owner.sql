-- An API key may be owned by a user of its organization: the key then
-- names that user as its author and current user. The foreign key covers
-- the organization too, so a key cannot be owned by another organization's
-- user; a NULL owner is not checked.
CREATE UNIQUE INDEX users_id_org_key ON users (id, org_id);
ALTER TABLE api_keys ADD COLUMN owner_user_id bigint;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_owner_fkey
	FOREIGN KEY (owner_user_id, org_id) REFERENCES users (id, org_id);
