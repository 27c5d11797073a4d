-- One-time links to set a user's password (invitations and resets). Only
-- the token's hash is kept. org_id is denormalised so that every lookup
-- stays within an organization.
CREATE TABLE password_links (
	id         INTEGER PRIMARY KEY,
	hash       TEXT NOT NULL UNIQUE,
	org_id     INTEGER NOT NULL REFERENCES orgs (id),
	user_id    INTEGER NOT NULL REFERENCES users (id),
	purpose    TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER
);
CREATE INDEX password_links_user ON password_links (user_id) WHERE used_at IS NULL;
