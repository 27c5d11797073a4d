-- Users sign in with an email that names no organization, so emails are
-- unique across organizations. email_norm is the lowercased email,
-- computed by the store in Go as for persons.
CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	org_id        INTEGER NOT NULL REFERENCES orgs (id),
	email         TEXT    NOT NULL,
	email_norm    TEXT    NOT NULL UNIQUE,
	firstname     TEXT    NOT NULL,
	lastname      TEXT    NOT NULL,
	role          TEXT    NOT NULL,
	password_hash TEXT    NOT NULL,
	disabled      INTEGER NOT NULL,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX users_org ON users (org_id, id);

-- A Flatchr search by email finds the person by persons_email, then its
-- applications here (a million applicants: one index probe each).
CREATE INDEX applications_person ON applications (person_id);
-- An ERP sync searches by creation date across the organization's jobs.
CREATE INDEX applications_created ON applications (org_id, created_at, id);

-- Values integrations attach to a candidate (Flatchr meta information).
CREATE TABLE candidate_meta (
	person_id  INTEGER NOT NULL REFERENCES persons (id),
	app_name   TEXT    NOT NULL,
	type       TEXT    NOT NULL,
	name       TEXT    NOT NULL,
	value      TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (person_id, app_name, type, name)
) STRICT, WITHOUT ROWID;
