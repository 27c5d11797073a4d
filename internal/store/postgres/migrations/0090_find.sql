-- Search across an organization (FindApplications): every kind of match
-- is a prefix range of one index, read in the index's order and cut after
-- a page, so a search costs a page of index entries however many
-- candidates match. The search keys are compared byte-wise (COLLATE "C"),
-- as the SQLite store does and as the merged results are ordered.
CREATE INDEX people_search_email_idx ON people (org_id, (lower(email) COLLATE "C")) WHERE email <> '';
CREATE INDEX people_search_first_last_idx ON people (org_id, (lower(firstname || ' ' || lastname) COLLATE "C"));
CREATE INDEX people_search_last_first_idx ON people (org_id, (lower(lastname || ' ' || firstname) COLLATE "C"));

-- Each application's tags, folded, one row each, kept by triggers from
-- applications.tags (a JSON list, or null) in the same transaction. Newest application first
-- within a tag, as results show them.
CREATE TABLE application_tags (
	org_id         bigint NOT NULL,
	tag            text COLLATE "C" NOT NULL,
	application_id bigint NOT NULL
);
CREATE INDEX application_tags_search_idx ON application_tags (org_id, tag, application_id DESC);
CREATE INDEX application_tags_application_idx ON application_tags (application_id);

INSERT INTO application_tags (org_id, tag, application_id)
	SELECT DISTINCT a.org_id, lower(t), a.id FROM applications a, jsonb_array_elements_text(
		CASE WHEN jsonb_typeof(a.tags) = 'array' THEN a.tags ELSE '[]' END) t;

CREATE FUNCTION application_tags_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('DELETE', 'UPDATE') THEN
		DELETE FROM application_tags WHERE application_id = OLD.id;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO application_tags (org_id, tag, application_id)
			SELECT DISTINCT NEW.org_id, lower(t), NEW.id FROM jsonb_array_elements_text(
				CASE WHEN jsonb_typeof(NEW.tags) = 'array' THEN NEW.tags ELSE '[]' END) t;
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER applications_tags AFTER INSERT OR DELETE ON applications
	FOR EACH ROW EXECUTE FUNCTION application_tags_apply();
CREATE TRIGGER applications_tags_update AFTER UPDATE OF tags ON applications
	FOR EACH ROW WHEN (OLD.tags IS DISTINCT FROM NEW.tags) EXECUTE FUNCTION application_tags_apply();
