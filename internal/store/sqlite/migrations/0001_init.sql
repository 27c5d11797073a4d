-- Timestamps are unix milliseconds, UTC: the precision every dialect shows.
-- Lists (tags, answers, scopes, options) and maps (media) are JSON text.
-- Tables are STRICT so a wrong Go type fails instead of being coerced.

CREATE TABLE orgs (
	id          INTEGER PRIMARY KEY,
	name        TEXT    NOT NULL,
	reference   TEXT    NOT NULL UNIQUE,
	company_key TEXT    NOT NULL UNIQUE,
	slug        TEXT    NOT NULL UNIQUE,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE api_keys (
	id         INTEGER PRIMARY KEY,
	org_id     INTEGER NOT NULL REFERENCES orgs (id),
	name       TEXT    NOT NULL,
	hash       TEXT    NOT NULL UNIQUE,
	scopes     TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	revoked_at INTEGER
) STRICT;

CREATE INDEX api_keys_org ON api_keys (org_id, created_at, id);

-- AUTOINCREMENT on jobs and stages: their ids are shown to clients and kept
-- in moves, so the id of a removed row must never come back for a new one.
CREATE TABLE jobs (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	org_id       INTEGER NOT NULL REFERENCES orgs (id),
	reference    TEXT    NOT NULL,
	title        TEXT    NOT NULL,
	vacancy_key  TEXT    NOT NULL,
	vacancy_slug TEXT    NOT NULL,
	published    INTEGER NOT NULL,
	archived     INTEGER NOT NULL,
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	UNIQUE (org_id, reference),
	UNIQUE (org_id, vacancy_slug),
	UNIQUE (org_id, vacancy_key),
	-- Parent key for applications (job_id, org_id): an application's job
	-- belongs to the application's organization.
	UNIQUE (id, org_id)
) STRICT;

CREATE TABLE stages (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	job_id    INTEGER NOT NULL REFERENCES jobs (id),
	position  INTEGER NOT NULL,
	name      TEXT    NOT NULL,
	reference TEXT    NOT NULL,
	visible   INTEGER NOT NULL,
	-- Parent key for applications (stage_id, job_id): an application's
	-- stage belongs to the application's job.
	UNIQUE (id, job_id)
) STRICT;

CREATE INDEX stages_job ON stages (job_id, position);

CREATE TABLE questions (
	job_id   INTEGER NOT NULL REFERENCES jobs (id),
	id       TEXT    NOT NULL,
	position INTEGER NOT NULL,
	text     TEXT    NOT NULL,
	type     TEXT    NOT NULL,
	required INTEGER NOT NULL,
	options  TEXT    NOT NULL,
	PRIMARY KEY (job_id, id)
) STRICT, WITHOUT ROWID;

-- email_norm is the lowercased email, computed by the store in Go so every
-- backend folds case the same way.
CREATE TABLE persons (
	id         INTEGER PRIMARY KEY,
	org_id     INTEGER NOT NULL REFERENCES orgs (id),
	email      TEXT    NOT NULL,
	email_norm TEXT    NOT NULL,
	firstname  TEXT    NOT NULL,
	lastname   TEXT    NOT NULL,
	civility   TEXT    NOT NULL,
	phone      TEXT    NOT NULL,
	subtitle   TEXT    NOT NULL,
	media      TEXT    NOT NULL
) STRICT;

-- Applicants without an email (Flatchr allows them) are never merged.
CREATE UNIQUE INDEX persons_email ON persons (org_id, email_norm) WHERE email_norm <> '';

CREATE TABLE applications (
	id                   INTEGER PRIMARY KEY,
	reference            TEXT    NOT NULL UNIQUE,
	applicant_key        TEXT    NOT NULL UNIQUE,
	org_id               INTEGER NOT NULL,
	job_id               INTEGER NOT NULL,
	stage_id             INTEGER NOT NULL,
	person_id            INTEGER NOT NULL REFERENCES persons (id),
	tags                 TEXT    NOT NULL,
	origin               TEXT    NOT NULL,
	referrer             TEXT    NOT NULL,
	cover_letter         TEXT    NOT NULL,
	comment              TEXT    NOT NULL,
	archived             INTEGER NOT NULL,
	source               TEXT    NOT NULL,
	created_by_key       INTEGER NOT NULL,
	offerer_id           INTEGER NOT NULL,
	answers              TEXT    NOT NULL,
	newsletter_given     INTEGER,
	newsletter_at        INTEGER,
	resume_link          TEXT    NOT NULL,
	remote_resume_url    TEXT    NOT NULL,
	remote_portfolio_url TEXT    NOT NULL,
	remote_image_url     TEXT    NOT NULL,
	created_at           INTEGER NOT NULL,
	updated_at           INTEGER NOT NULL,
	UNIQUE (job_id, person_id),
	FOREIGN KEY (job_id, org_id) REFERENCES jobs (id, org_id),
	FOREIGN KEY (stage_id, job_id) REFERENCES stages (id, job_id)
) STRICT;

-- Lists are per job, oldest (lowest id) first.
CREATE INDEX applications_list ON applications (org_id, job_id, id);
-- Serves the stage filter and the foreign key check when a stage is removed.
CREATE INDEX applications_stage ON applications (job_id, stage_id);

CREATE TABLE documents (
	application_id INTEGER NOT NULL REFERENCES applications (id),
	kind           TEXT    NOT NULL,
	blob_key       TEXT    NOT NULL,
	file_name      TEXT    NOT NULL,
	content_type   TEXT    NOT NULL,
	size           INTEGER NOT NULL,
	sha256         TEXT    NOT NULL,
	source_url     TEXT    NOT NULL,
	created_at     INTEGER NOT NULL,
	PRIMARY KEY (application_id, kind)
) STRICT, WITHOUT ROWID;

-- Blob recovery asks which staged keys have a row.
CREATE INDEX documents_blob ON documents (blob_key);

-- Stage ids are not foreign keys: a move outlives a removed stage.
CREATE TABLE moves (
	id             INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES applications (id),
	from_stage_id  INTEGER NOT NULL,
	to_stage_id    INTEGER NOT NULL,
	created_at     INTEGER NOT NULL
) STRICT;

CREATE INDEX moves_application ON moves (application_id, id);

CREATE TABLE idempotency (
	org_id       INTEGER NOT NULL,
	key_id       INTEGER NOT NULL,
	key          TEXT    NOT NULL,
	request_hash TEXT    NOT NULL,
	status       INTEGER NOT NULL,
	body         BLOB    NOT NULL,
	reference    TEXT    NOT NULL,
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (org_id, key_id, key)
) STRICT, WITHOUT ROWID;

CREATE INDEX idempotency_created ON idempotency (created_at);
