-- Webhook subscriptions and their deliveries. A subscription's lease
-- (lease_owner until lease_until, ms) says which worker sends its
-- deliveries: one at a time per subscription keeps them in order.
CREATE TABLE webhook_subscriptions (
	id          INTEGER PRIMARY KEY,
	org_id      INTEGER NOT NULL REFERENCES orgs (id),
	url         TEXT NOT NULL,
	events      TEXT NOT NULL, -- JSON list of names
	job_id      INTEGER NOT NULL,
	stage_id    INTEGER NOT NULL,
	secrets     TEXT NOT NULL, -- JSON list
	active      INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	lease_owner TEXT NOT NULL DEFAULT '',
	lease_until INTEGER NOT NULL DEFAULT 0
) STRICT;
-- One subscription per target and filters: the world file re-declares
-- its subscriptions at every start and finds them by this key.
CREATE UNIQUE INDEX webhook_subscriptions_target_key ON webhook_subscriptions (org_id, url, job_id, stage_id);

CREATE TABLE webhook_deliveries (
	id              INTEGER PRIMARY KEY,
	org_id          INTEGER NOT NULL,
	subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions (id),
	event_id        INTEGER NOT NULL REFERENCES events (id),
	replay          INTEGER NOT NULL,
	status          TEXT NOT NULL,
	attempts        INTEGER NOT NULL,
	next_attempt_at INTEGER NOT NULL,
	last_status     INTEGER NOT NULL DEFAULT 0,
	last_latency_us INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (subscription_id, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_org_idx ON webhook_deliveries (org_id, subscription_id, id);
CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id);
CREATE INDEX webhook_deliveries_updated_idx ON webhook_deliveries (updated_at) WHERE status <> 'pending';

CREATE TABLE webhook_attempts (
	id          INTEGER PRIMARY KEY,
	delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
	at          INTEGER NOT NULL,
	status      INTEGER NOT NULL,
	latency_us  INTEGER NOT NULL,
	error       TEXT NOT NULL
) STRICT;
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);
