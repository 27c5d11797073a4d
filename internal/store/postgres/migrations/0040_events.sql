-- The outbox: each row is written in the transaction of the change it
-- records (intake.Event). dispatched turns true once a webhook worker has
-- made the event's deliveries; the partial index keeps finding the rest
-- cheap however long the history.
CREATE TABLE events (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id     bigint NOT NULL REFERENCES orgs (id),
	name       text NOT NULL,
	job_id     bigint NOT NULL,
	stage_id   bigint NOT NULL,
	payload    jsonb NOT NULL,
	created_at timestamptz NOT NULL,
	dispatched boolean NOT NULL DEFAULT false
);
CREATE INDEX events_org_idx ON events (org_id, created_at, id);
CREATE INDEX events_pending_idx ON events (id) WHERE NOT dispatched;
