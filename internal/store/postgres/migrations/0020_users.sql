-- Users sign in with an email that names no organization, so emails are
-- unique across organizations, case-insensitively.
CREATE TABLE users (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id        bigint NOT NULL REFERENCES orgs (id),
	email         text NOT NULL,
	firstname     text NOT NULL,
	lastname      text NOT NULL,
	role          text NOT NULL,
	password_hash text NOT NULL,
	disabled      boolean NOT NULL,
	created_at    timestamptz NOT NULL,
	updated_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_org_idx ON users (org_id, id);

-- An ERP sync searches by creation date across the organization's jobs.
CREATE INDEX applications_org_created_idx ON applications (org_id, created_at, id);

-- Values integrations attach to a candidate (Flatchr meta information).
CREATE TABLE candidate_meta (
	person_id  bigint NOT NULL REFERENCES people (id),
	app_name   text NOT NULL,
	type       text NOT NULL,
	name       text NOT NULL,
	value      text NOT NULL,
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL,
	PRIMARY KEY (person_id, app_name, type, name)
);
