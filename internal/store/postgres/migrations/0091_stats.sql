-- Counters behind the charts, kept by triggers in the same transaction as
-- the applications, spread over shards like job_application_counts (0002)
-- so concurrent creates do not queue on one row: counting a job of a
-- million applications per stage or per day reads the whole job; these
-- rows take a handful of lookups.

-- Applications per stage of each job, archived apart.
CREATE TABLE stage_counts (
	job_id   bigint   NOT NULL,
	stage_id bigint   NOT NULL,
	archived boolean  NOT NULL,
	shard    smallint NOT NULL,
	total    bigint   NOT NULL,
	PRIMARY KEY (job_id, stage_id, archived, shard)
);

INSERT INTO stage_counts (job_id, stage_id, archived, shard, total)
	SELECT job_id, stage_id, archived, 0, count(*) FROM applications GROUP BY job_id, stage_id, archived;

CREATE FUNCTION stage_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	s smallint := pg_backend_pid() % 8;
BEGIN
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO stage_counts AS c (job_id, stage_id, archived, shard, total)
			VALUES (NEW.job_id, NEW.stage_id, NEW.archived, s, 1)
			ON CONFLICT (job_id, stage_id, archived, shard) DO UPDATE SET total = c.total + 1;
	END IF;
	IF TG_OP IN ('DELETE', 'UPDATE') THEN
		INSERT INTO stage_counts AS c (job_id, stage_id, archived, shard, total)
			VALUES (OLD.job_id, OLD.stage_id, OLD.archived, s, -1)
			ON CONFLICT (job_id, stage_id, archived, shard) DO UPDATE SET total = c.total - 1;
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER applications_stage_counts AFTER INSERT OR DELETE ON applications
	FOR EACH ROW EXECUTE FUNCTION stage_counts_apply();
CREATE TRIGGER applications_stage_counts_update AFTER UPDATE OF job_id, stage_id, archived ON applications
	FOR EACH ROW WHEN (OLD.job_id <> NEW.job_id OR OLD.stage_id <> NEW.stage_id OR OLD.archived <> NEW.archived)
	EXECUTE FUNCTION stage_counts_apply();

-- Applications created per UTC day (days since 1970-01-01) and source, per
-- job; an application moved to another job counts for the new one.
CREATE TABLE day_counts (
	org_id bigint   NOT NULL,
	job_id bigint   NOT NULL,
	day    integer  NOT NULL,
	source text COLLATE "C" NOT NULL,
	shard  smallint NOT NULL,
	total  bigint   NOT NULL,
	PRIMARY KEY (org_id, job_id, day, source, shard)
);
CREATE INDEX day_counts_org_idx ON day_counts (org_id, day);

CREATE FUNCTION utc_day(t timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN floor(extract(epoch FROM t) / 86400)::integer;

INSERT INTO day_counts (org_id, job_id, day, source, shard, total)
	SELECT org_id, job_id, utc_day(created_at), source, 0, count(*) FROM applications
	GROUP BY org_id, job_id, utc_day(created_at), source;

CREATE FUNCTION day_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	s smallint := pg_backend_pid() % 8;
BEGIN
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO day_counts AS c (org_id, job_id, day, source, shard, total)
			VALUES (NEW.org_id, NEW.job_id, utc_day(NEW.created_at), NEW.source, s, 1)
			ON CONFLICT (org_id, job_id, day, source, shard) DO UPDATE SET total = c.total + 1;
	END IF;
	IF TG_OP IN ('DELETE', 'UPDATE') THEN
		INSERT INTO day_counts AS c (org_id, job_id, day, source, shard, total)
			VALUES (OLD.org_id, OLD.job_id, utc_day(OLD.created_at), OLD.source, s, -1)
			ON CONFLICT (org_id, job_id, day, source, shard) DO UPDATE SET total = c.total - 1;
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER applications_day_counts AFTER INSERT OR DELETE ON applications
	FOR EACH ROW EXECUTE FUNCTION day_counts_apply();
CREATE TRIGGER applications_day_counts_move AFTER UPDATE OF job_id ON applications
	FOR EACH ROW WHEN (OLD.job_id <> NEW.job_id) EXECUTE FUNCTION day_counts_apply();
