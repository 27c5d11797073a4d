-- One-time links to set a user's password (invitations and resets). Only
-- the token's hash is kept. org_id is denormalised so that every lookup
-- stays within an organization.
CREATE TABLE password_links (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	hash       text NOT NULL UNIQUE,
	org_id     bigint NOT NULL REFERENCES orgs (id),
	user_id    bigint NOT NULL REFERENCES users (id),
	purpose    text NOT NULL,
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	used_at    timestamptz
);
CREATE INDEX password_links_user ON password_links (user_id) WHERE used_at IS NULL;
