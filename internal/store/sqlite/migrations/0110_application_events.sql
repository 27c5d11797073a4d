-- The application an event is about (0 for a job's events), copied onto
-- its deliveries so a candidate's card can list the webhooks sent about
-- them. Only deliveries are indexed by it: events are written by every
-- create, deliveries only while a subscription is active.
ALTER TABLE events ADD COLUMN application_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhook_deliveries ADD COLUMN application_id INTEGER NOT NULL DEFAULT 0;
-- Existing deliveries, and events still to dispatch while a subscription
-- is active, learn their application from the payload (intake.Candidate
-- embeds the Application). With no active subscription the undispatched
-- events (every create's, however many) never get deliveries: activating
-- one marks them dispatched. Older events are only read through their
-- deliveries.
UPDATE events SET application_id = coalesce(json_extract(payload, '$.Candidate.ID'), 0)
	WHERE dispatched = 0 AND name NOT IN ('new_vacancy', 'update_vacancy', 'archive_vacancy')
	AND EXISTS (SELECT 1 FROM webhook_subscriptions WHERE active = 1);
UPDATE webhook_deliveries SET application_id = coalesce((SELECT json_extract(e.payload, '$.Candidate.ID')
	FROM events e WHERE e.id = webhook_deliveries.event_id
	AND e.name NOT IN ('new_vacancy', 'update_vacancy', 'archive_vacancy')), 0);
CREATE INDEX webhook_deliveries_application_idx ON webhook_deliveries (org_id, application_id, id)
	WHERE application_id <> 0;
