-- Jobs and organizations gain their content. Content fields nobody filters
-- on are one JSON object; what lists filter or constraints check is a
-- column. published_at and archived_at are unix milliseconds or NULL.
ALTER TABLE jobs ADD COLUMN content TEXT NOT NULL DEFAULT '{}';
ALTER TABLE jobs ADD COLUMN external_reference TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN published_at INTEGER;
ALTER TABLE jobs ADD COLUMN archived_at INTEGER;

-- Jobs published before this migration count as published at creation.
UPDATE jobs SET published_at = created_at WHERE published = 1;
UPDATE jobs SET archived_at = updated_at WHERE archived = 1;

-- The vendor documents external_reference as unique; empty means none.
CREATE UNIQUE INDEX jobs_external_reference ON jobs (org_id, external_reference)
	WHERE external_reference <> '';

ALTER TABLE orgs ADD COLUMN content TEXT NOT NULL DEFAULT '{}';
