-- What happens to an application after it applied: moves by job, attached
-- documents, comments, messages, tags and traits.

-- Moves gain their jobs and kind. Existing moves are stage moves within
-- their application's job (job changes did not exist before).
ALTER TABLE moves ADD COLUMN from_job_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE moves ADD COLUMN to_job_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE moves ADD COLUMN kind TEXT NOT NULL DEFAULT 'stage';
UPDATE moves SET
	from_job_id = (SELECT job_id FROM applications WHERE id = moves.application_id),
	to_job_id = (SELECT job_id FROM applications WHERE id = moves.application_id);

-- A job's moves are listed by id: one index range per side. Most moves
-- have the same job on both sides; the from side is indexed only where it
-- differs, so a job's moves are the union of two disjoint ranges.
CREATE INDEX moves_to_job ON moves (to_job_id, id);
CREATE INDEX moves_from_job ON moves (from_job_id, id) WHERE from_job_id <> to_job_id;

-- The number of moves of each job, kept by a trigger in the moves'
-- transaction: X-Total of GET /moves without counting a million rows.
CREATE TABLE job_move_counts (
	job_id INTEGER PRIMARY KEY,
	total  INTEGER NOT NULL
) STRICT;

INSERT INTO job_move_counts (job_id, total)
	SELECT to_job_id, count(*) FROM moves GROUP BY to_job_id;

CREATE TRIGGER moves_count_insert AFTER INSERT ON moves BEGIN
	INSERT INTO job_move_counts (job_id, total) VALUES (NEW.to_job_id, 1)
		ON CONFLICT (job_id) DO UPDATE SET total = total + 1;
	INSERT INTO job_move_counts (job_id, total)
		SELECT NEW.from_job_id, 1 WHERE NEW.from_job_id <> NEW.to_job_id
		ON CONFLICT (job_id) DO UPDATE SET total = total + 1;
END;

CREATE TABLE attachments (
	id             INTEGER PRIMARY KEY,
	org_id         INTEGER NOT NULL REFERENCES orgs (id),
	application_id INTEGER NOT NULL REFERENCES applications (id),
	blob_key       TEXT    NOT NULL,
	file_name      TEXT    NOT NULL,
	content_type   TEXT    NOT NULL,
	size           INTEGER NOT NULL,
	sha256         TEXT    NOT NULL,
	source_url     TEXT    NOT NULL,
	created_at     INTEGER NOT NULL
) STRICT;

CREATE INDEX attachments_application ON attachments (application_id, id);
CREATE INDEX attachments_blob ON attachments (blob_key);

-- reply_to is not a foreign key: a reply outlives the comment it answers.
CREATE TABLE comments (
	id             INTEGER PRIMARY KEY,
	org_id         INTEGER NOT NULL REFERENCES orgs (id),
	application_id INTEGER NOT NULL REFERENCES applications (id),
	author         TEXT    NOT NULL,
	author_key_id  INTEGER NOT NULL,
	raw            TEXT    NOT NULL,
	html           TEXT    NOT NULL,
	private        INTEGER NOT NULL,
	reply_to       INTEGER NOT NULL,
	source         TEXT    NOT NULL,
	file_blob_key  TEXT    NOT NULL,
	file_name      TEXT    NOT NULL,
	file_type      TEXT    NOT NULL,
	file_size      INTEGER NOT NULL,
	file_sha256    TEXT    NOT NULL,
	created_at     INTEGER NOT NULL
) STRICT;

CREATE INDEX comments_application ON comments (application_id, id);
CREATE INDEX comments_blob ON comments (file_blob_key) WHERE file_blob_key <> '';

CREATE TABLE messages (
	id             INTEGER PRIMARY KEY,
	org_id         INTEGER NOT NULL REFERENCES orgs (id),
	application_id INTEGER NOT NULL REFERENCES applications (id),
	author         TEXT    NOT NULL,
	author_key_id  INTEGER NOT NULL,
	from_email     TEXT    NOT NULL,
	recipients     TEXT    NOT NULL, -- JSON list
	subject        TEXT    NOT NULL,
	body           TEXT    NOT NULL,
	html           INTEGER NOT NULL,
	source         TEXT    NOT NULL,
	status         TEXT    NOT NULL,
	error          TEXT    NOT NULL,
	sent_at        INTEGER,
	created_at     INTEGER NOT NULL
) STRICT;

CREATE INDEX messages_application ON messages (application_id, id);

CREATE TABLE tags (
	id        INTEGER PRIMARY KEY,
	org_id    INTEGER NOT NULL REFERENCES orgs (id),
	key       TEXT    NOT NULL,
	title     TEXT    NOT NULL,
	vals      TEXT    NOT NULL, -- JSON list
	multiple  INTEGER NOT NULL,
	visible   INTEGER NOT NULL,
	creatable INTEGER NOT NULL,
	folder    INTEGER NOT NULL,
	type      TEXT    NOT NULL,
	position  INTEGER,
	UNIQUE (org_id, key)
) STRICT;

CREATE TABLE traits (
	id             INTEGER PRIMARY KEY,
	key            TEXT    NOT NULL UNIQUE,
	org_id         INTEGER NOT NULL REFERENCES orgs (id),
	application_id INTEGER NOT NULL REFERENCES applications (id),
	tag_id         INTEGER NOT NULL REFERENCES tags (id),
	value          TEXT    NOT NULL,
	created_at     INTEGER NOT NULL,
	UNIQUE (application_id, tag_id, value)
) STRICT;
