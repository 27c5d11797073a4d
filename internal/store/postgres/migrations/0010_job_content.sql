-- Jobs and organizations gain their content. Content fields nobody filters
-- on are one JSON object; what lists filter or constraints check is a
-- column.
ALTER TABLE jobs ADD COLUMN content jsonb NOT NULL DEFAULT '{}';
ALTER TABLE jobs ADD COLUMN external_reference text NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN published_at timestamptz;
ALTER TABLE jobs ADD COLUMN archived_at timestamptz;

-- Jobs published before this migration count as published at creation.
UPDATE jobs SET published_at = created_at WHERE published;
UPDATE jobs SET archived_at = updated_at WHERE archived;

-- The vendor documents external_reference as unique; empty means none.
CREATE UNIQUE INDEX jobs_external_reference_key ON jobs (org_id, external_reference)
	WHERE external_reference <> '';

ALTER TABLE orgs ADD COLUMN content jsonb NOT NULL DEFAULT '{}';
