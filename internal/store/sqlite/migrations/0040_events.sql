-- The outbox: each row is written in the transaction of the change it
-- records (intake.Event). dispatched turns 1 once the webhook worker has
-- made the event's deliveries; the partial index keeps finding the rest
-- cheap however long the history.
CREATE TABLE events (
	id         INTEGER PRIMARY KEY,
	org_id     INTEGER NOT NULL REFERENCES orgs (id),
	name       TEXT NOT NULL,
	job_id     INTEGER NOT NULL,
	stage_id   INTEGER NOT NULL,
	payload    TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	dispatched INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX events_org_idx ON events (org_id, created_at, id);
CREATE INDEX events_pending_idx ON events (id) WHERE dispatched = 0;
