-- The number of applications of each job, kept by triggers in the same
-- transaction as the rows themselves. An unfiltered list of a job (what
-- every WelcomeKit client asks first) needs its total for X-Total, and
-- count(*) over a job of a million applications takes tens of
-- milliseconds; this row takes one lookup.
CREATE TABLE job_application_counts (
	job_id INTEGER PRIMARY KEY REFERENCES jobs (id),
	total  INTEGER NOT NULL
) STRICT;

INSERT INTO job_application_counts (job_id, total)
	SELECT job_id, count(*) FROM applications GROUP BY job_id;

CREATE TRIGGER applications_count_insert AFTER INSERT ON applications BEGIN
	INSERT INTO job_application_counts (job_id, total) VALUES (NEW.job_id, 1)
		ON CONFLICT (job_id) DO UPDATE SET total = total + 1;
END;

CREATE TRIGGER applications_count_delete AFTER DELETE ON applications BEGIN
	UPDATE job_application_counts SET total = total - 1 WHERE job_id = OLD.job_id;
END;

CREATE TRIGGER applications_count_move AFTER UPDATE OF job_id ON applications
	WHEN OLD.job_id <> NEW.job_id BEGIN
	UPDATE job_application_counts SET total = total - 1 WHERE job_id = OLD.job_id;
	INSERT INTO job_application_counts (job_id, total) VALUES (NEW.job_id, 1)
		ON CONFLICT (job_id) DO UPDATE SET total = total + 1;
END;
