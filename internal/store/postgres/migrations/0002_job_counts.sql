-- The number of applications of each job, kept by a trigger in the same
-- transaction as the rows. An unfiltered list of a job (what every
-- WelcomeKit client asks first) needs its total for X-Total, and count(*)
-- over a job of a million applications took most of a second.
--
-- A job's count is spread over shards, one per backend modulo 8, so that
-- processes creating candidates for the same job at once do not queue on
-- one counter row until their commits; a total is the sum of a job's rows.
CREATE TABLE job_application_counts (
	job_id bigint   NOT NULL REFERENCES jobs (id),
	shard  smallint NOT NULL,
	total  bigint   NOT NULL,
	PRIMARY KEY (job_id, shard)
);

INSERT INTO job_application_counts (job_id, shard, total)
	SELECT job_id, 0, count(*) FROM applications GROUP BY job_id;

CREATE FUNCTION job_application_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	s smallint := pg_backend_pid() % 8;
BEGIN
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO job_application_counts AS c (job_id, shard, total) VALUES (NEW.job_id, s, 1)
			ON CONFLICT (job_id, shard) DO UPDATE SET total = c.total + 1;
	END IF;
	IF TG_OP IN ('DELETE', 'UPDATE') THEN
		INSERT INTO job_application_counts AS c (job_id, shard, total) VALUES (OLD.job_id, s, -1)
			ON CONFLICT (job_id, shard) DO UPDATE SET total = c.total - 1;
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER applications_count AFTER INSERT OR DELETE ON applications
	FOR EACH ROW EXECUTE FUNCTION job_application_counts_apply();
CREATE TRIGGER applications_count_move AFTER UPDATE OF job_id ON applications
	FOR EACH ROW WHEN (OLD.job_id <> NEW.job_id) EXECUTE FUNCTION job_application_counts_apply();

-- Lists are per job, oldest first: this index gives a page without sorting
-- the whole job, and serves every lookup the one it replaces did.
CREATE INDEX applications_job_list_idx ON applications (org_id, job_id, created_at, id);
DROP INDEX applications_org_job_idx;
