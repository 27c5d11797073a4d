-- Counters behind the charts, kept by triggers in the same transaction as
-- the applications, like job_application_counts: counting a job of a
-- million applications per stage or per day reads the whole job (tens of
-- milliseconds and more); these rows take a handful of lookups.

-- Applications per stage of each job, archived apart.
CREATE TABLE stage_counts (
	job_id   INTEGER NOT NULL,
	stage_id INTEGER NOT NULL,
	archived INTEGER NOT NULL,
	total    INTEGER NOT NULL,
	PRIMARY KEY (job_id, stage_id, archived)
) STRICT, WITHOUT ROWID;

INSERT INTO stage_counts (job_id, stage_id, archived, total)
	SELECT job_id, stage_id, archived, count(*) FROM applications GROUP BY job_id, stage_id, archived;

CREATE TRIGGER applications_stage_counts_insert AFTER INSERT ON applications BEGIN
	INSERT INTO stage_counts (job_id, stage_id, archived, total) VALUES (NEW.job_id, NEW.stage_id, NEW.archived, 1)
		ON CONFLICT (job_id, stage_id, archived) DO UPDATE SET total = total + 1;
END;

CREATE TRIGGER applications_stage_counts_delete AFTER DELETE ON applications BEGIN
	UPDATE stage_counts SET total = total - 1
		WHERE job_id = OLD.job_id AND stage_id = OLD.stage_id AND archived = OLD.archived;
END;

CREATE TRIGGER applications_stage_counts_update AFTER UPDATE OF job_id, stage_id, archived ON applications
	WHEN OLD.job_id <> NEW.job_id OR OLD.stage_id <> NEW.stage_id OR OLD.archived <> NEW.archived BEGIN
	UPDATE stage_counts SET total = total - 1
		WHERE job_id = OLD.job_id AND stage_id = OLD.stage_id AND archived = OLD.archived;
	INSERT INTO stage_counts (job_id, stage_id, archived, total) VALUES (NEW.job_id, NEW.stage_id, NEW.archived, 1)
		ON CONFLICT (job_id, stage_id, archived) DO UPDATE SET total = total + 1;
END;

-- Applications created per UTC day (days since 1970-01-01) and source, per
-- job; an application moved to another job counts for the new one.
CREATE TABLE day_counts (
	org_id INTEGER NOT NULL,
	job_id INTEGER NOT NULL,
	day    INTEGER NOT NULL,
	source TEXT    NOT NULL,
	total  INTEGER NOT NULL,
	PRIMARY KEY (org_id, job_id, day, source)
) STRICT, WITHOUT ROWID;

CREATE INDEX day_counts_org ON day_counts (org_id, day);

INSERT INTO day_counts (org_id, job_id, day, source, total)
	SELECT org_id, job_id, created_at / 86400000, source, count(*) FROM applications
	GROUP BY org_id, job_id, created_at / 86400000, source;

CREATE TRIGGER applications_day_counts_insert AFTER INSERT ON applications BEGIN
	INSERT INTO day_counts (org_id, job_id, day, source, total)
		VALUES (NEW.org_id, NEW.job_id, NEW.created_at / 86400000, NEW.source, 1)
		ON CONFLICT (org_id, job_id, day, source) DO UPDATE SET total = total + 1;
END;

CREATE TRIGGER applications_day_counts_delete AFTER DELETE ON applications BEGIN
	UPDATE day_counts SET total = total - 1 WHERE org_id = OLD.org_id AND job_id = OLD.job_id
		AND day = OLD.created_at / 86400000 AND source = OLD.source;
END;

CREATE TRIGGER applications_day_counts_move AFTER UPDATE OF job_id ON applications
	WHEN OLD.job_id <> NEW.job_id BEGIN
	UPDATE day_counts SET total = total - 1 WHERE org_id = OLD.org_id AND job_id = OLD.job_id
		AND day = OLD.created_at / 86400000 AND source = OLD.source;
	INSERT INTO day_counts (org_id, job_id, day, source, total)
		VALUES (NEW.org_id, NEW.job_id, NEW.created_at / 86400000, NEW.source, 1)
		ON CONFLICT (org_id, job_id, day, source) DO UPDATE SET total = total + 1;
END;
