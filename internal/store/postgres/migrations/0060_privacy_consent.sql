-- When the applicant agreed to the processing of their data on the career
-- site's form; NULL when no form asked. A consent is recorded once, with the
-- application, and never updated.
ALTER TABLE applications ADD COLUMN privacy_consent_at TIMESTAMPTZ;
