-- The dispatcher's progress through the outbox as one cursor instead of a
-- flag per event: the single writer numbers events in commit order, so the
-- events not yet dispatched are exactly those above the cursor. Setting
-- the flag rewrote every event's page a second time (its payload with
-- it), a write as large as the event itself on the writer's path; the
-- partial index on the flag went with each insert. The dispatched column
-- stays, unused.
CREATE TABLE event_cursor (
	id              INTEGER PRIMARY KEY CHECK (id = 1),
	last_dispatched INTEGER NOT NULL
) STRICT;
-- The undispatched events were always the newest (every dispatch and
-- skip marked all events up to an id).
INSERT INTO event_cursor (id, last_dispatched) VALUES (1, coalesce(
	(SELECT min(id) - 1 FROM events WHERE dispatched = 0),
	(SELECT max(id) FROM events),
	0));
DROP INDEX events_pending_idx;
