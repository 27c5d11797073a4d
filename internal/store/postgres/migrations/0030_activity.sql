-- What happens to an application after it applied: moves by job, attached
-- documents, comments, messages, tags and traits.

-- Moves gain their jobs and kind. Existing moves are stage moves within
-- their application's job (job changes did not exist before).
ALTER TABLE moves ADD COLUMN from_job_id bigint NOT NULL DEFAULT 0;
ALTER TABLE moves ADD COLUMN to_job_id bigint NOT NULL DEFAULT 0;
ALTER TABLE moves ADD COLUMN kind text NOT NULL DEFAULT 'stage';
UPDATE moves m SET from_job_id = a.job_id, to_job_id = a.job_id
	FROM applications a WHERE a.id = m.application_id;

-- A job's moves are the union of two disjoint index ranges: by to-job, and
-- by from-job where it differs.
CREATE INDEX moves_to_job_idx ON moves (to_job_id, id);
CREATE INDEX moves_from_job_idx ON moves (from_job_id, id) WHERE from_job_id <> to_job_id;

-- The number of moves of each job, sharded like job_application_counts so
-- that concurrent moves of one job do not queue on one row.
CREATE TABLE job_move_counts (
	job_id bigint   NOT NULL,
	shard  smallint NOT NULL,
	total  bigint   NOT NULL,
	PRIMARY KEY (job_id, shard)
);

INSERT INTO job_move_counts (job_id, shard, total)
	SELECT to_job_id, 0, count(*) FROM moves GROUP BY to_job_id;

CREATE FUNCTION job_move_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	s smallint := pg_backend_pid() % 8;
BEGIN
	INSERT INTO job_move_counts AS c (job_id, shard, total) VALUES (NEW.to_job_id, s, 1)
		ON CONFLICT (job_id, shard) DO UPDATE SET total = c.total + 1;
	IF NEW.from_job_id <> NEW.to_job_id THEN
		INSERT INTO job_move_counts AS c (job_id, shard, total) VALUES (NEW.from_job_id, s, 1)
			ON CONFLICT (job_id, shard) DO UPDATE SET total = c.total + 1;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER moves_count AFTER INSERT ON moves
	FOR EACH ROW EXECUTE FUNCTION job_move_counts_apply();

CREATE TABLE attachments (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id         bigint NOT NULL REFERENCES orgs (id),
	application_id bigint NOT NULL REFERENCES applications (id),
	blob_key       text NOT NULL,
	file_name      text NOT NULL,
	content_type   text NOT NULL,
	size           bigint NOT NULL,
	sha256         text NOT NULL,
	source_url     text NOT NULL,
	created_at     timestamptz NOT NULL
);
CREATE INDEX attachments_application_idx ON attachments (application_id, id);
CREATE INDEX attachments_blob_idx ON attachments (blob_key);

-- reply_to is not a foreign key: a reply outlives the comment it answers.
CREATE TABLE comments (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id         bigint NOT NULL REFERENCES orgs (id),
	application_id bigint NOT NULL REFERENCES applications (id),
	author         text NOT NULL,
	author_key_id  bigint NOT NULL,
	raw            text NOT NULL,
	html           text NOT NULL,
	private        boolean NOT NULL,
	reply_to       bigint NOT NULL,
	source         text NOT NULL,
	file_blob_key  text NOT NULL,
	file_name      text NOT NULL,
	file_type      text NOT NULL,
	file_size      bigint NOT NULL,
	file_sha256    text NOT NULL,
	created_at     timestamptz NOT NULL
);
CREATE INDEX comments_application_idx ON comments (application_id, id);
CREATE INDEX comments_blob_idx ON comments (file_blob_key) WHERE file_blob_key <> '';

CREATE TABLE messages (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id         bigint NOT NULL REFERENCES orgs (id),
	application_id bigint NOT NULL REFERENCES applications (id),
	author         text NOT NULL,
	author_key_id  bigint NOT NULL,
	from_email     text NOT NULL,
	recipients     jsonb NOT NULL,
	subject        text NOT NULL,
	body           text NOT NULL,
	html           boolean NOT NULL,
	source         text NOT NULL,
	status         text NOT NULL,
	error          text NOT NULL,
	sent_at        timestamptz,
	created_at     timestamptz NOT NULL
);
CREATE INDEX messages_application_idx ON messages (application_id, id);

CREATE TABLE tags (
	id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id    bigint NOT NULL REFERENCES orgs (id),
	key       text NOT NULL,
	title     text NOT NULL,
	vals      jsonb NOT NULL,
	multiple  boolean NOT NULL,
	visible   boolean NOT NULL,
	creatable boolean NOT NULL,
	folder    boolean NOT NULL,
	type      text NOT NULL,
	position  integer,
	UNIQUE (org_id, key)
);

CREATE TABLE traits (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	key            text NOT NULL UNIQUE,
	org_id         bigint NOT NULL REFERENCES orgs (id),
	application_id bigint NOT NULL REFERENCES applications (id),
	tag_id         bigint NOT NULL REFERENCES tags (id),
	value          text NOT NULL,
	created_at     timestamptz NOT NULL,
	UNIQUE (application_id, tag_id, value)
);
