-- Search across an organization (FindApplications): every kind of match
-- is a prefix range of one index, read in the index's order and cut after
-- a page, so a search costs a page of index entries however many
-- candidates match.
--
-- Names fold case with SQLite's lower() (ASCII letters only); the store
-- folds the text searched for the same way, in SQL.
CREATE INDEX persons_name_first_last ON persons (org_id, lower(firstname || ' ' || lastname));
CREATE INDEX persons_name_last_first ON persons (org_id, lower(lastname || ' ' || firstname));

-- Each application's tags, folded, one row each, kept by triggers from
-- applications.tags (a JSON list, or null) in the same transaction. Newest
-- application first within a tag, as results show them.
CREATE TABLE application_tags (
	org_id         INTEGER NOT NULL,
	tag            TEXT    NOT NULL,
	application_id INTEGER NOT NULL,
	PRIMARY KEY (org_id, tag, application_id DESC)
) STRICT, WITHOUT ROWID;

CREATE INDEX application_tags_application ON application_tags (application_id);

INSERT OR IGNORE INTO application_tags (org_id, tag, application_id)
	SELECT a.org_id, lower(t.value), a.id FROM applications a, json_each(a.tags) t WHERE t.type = 'text';

CREATE TRIGGER applications_tags_insert AFTER INSERT ON applications BEGIN
	INSERT OR IGNORE INTO application_tags (org_id, tag, application_id)
		SELECT NEW.org_id, lower(value), NEW.id FROM json_each(NEW.tags) WHERE type = 'text';
END;

CREATE TRIGGER applications_tags_update AFTER UPDATE OF tags ON applications
	WHEN OLD.tags <> NEW.tags BEGIN
	DELETE FROM application_tags WHERE application_id = OLD.id;
	INSERT OR IGNORE INTO application_tags (org_id, tag, application_id)
		SELECT NEW.org_id, lower(value), NEW.id FROM json_each(NEW.tags) WHERE type = 'text';
END;

CREATE TRIGGER applications_tags_delete AFTER DELETE ON applications BEGIN
	DELETE FROM application_tags WHERE application_id = OLD.id;
END;
