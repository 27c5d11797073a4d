-- Webhook subscriptions and their deliveries. A subscription's lease
-- (lease_owner until lease_until) says which process sends its
-- deliveries: one at a time per subscription keeps them in order, and a
-- process that dies leaves the lease to expire.
CREATE TABLE webhook_subscriptions (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id      bigint NOT NULL REFERENCES orgs (id),
	url         text NOT NULL,
	events      text[] NOT NULL,
	job_id      bigint NOT NULL,
	stage_id    bigint NOT NULL,
	secrets     text[] NOT NULL,
	active      boolean NOT NULL,
	created_at  timestamptz NOT NULL,
	lease_owner text NOT NULL DEFAULT '',
	lease_until timestamptz NOT NULL DEFAULT '-infinity'
);
-- One subscription per target and filters: the world file re-declares
-- its subscriptions at every start and finds them by this key.
CREATE UNIQUE INDEX webhook_subscriptions_target_key ON webhook_subscriptions (org_id, url, job_id, stage_id);

CREATE TABLE webhook_deliveries (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id          bigint NOT NULL,
	subscription_id bigint NOT NULL REFERENCES webhook_subscriptions (id),
	event_id        bigint NOT NULL REFERENCES events (id),
	replay          boolean NOT NULL,
	status          text NOT NULL,
	attempts        integer NOT NULL,
	next_attempt_at timestamptz NOT NULL,
	last_status     integer NOT NULL DEFAULT 0,
	last_latency_us bigint NOT NULL DEFAULT 0,
	last_error      text NOT NULL DEFAULT '',
	created_at      timestamptz NOT NULL,
	updated_at      timestamptz NOT NULL
);
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (subscription_id, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_org_idx ON webhook_deliveries (org_id, subscription_id, id);
CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id);
CREATE INDEX webhook_deliveries_updated_idx ON webhook_deliveries (updated_at) WHERE status <> 'pending';

CREATE TABLE webhook_attempts (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	delivery_id bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
	at          timestamptz NOT NULL,
	status      integer NOT NULL,
	latency_us  bigint NOT NULL,
	error       text NOT NULL
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);
