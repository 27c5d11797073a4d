package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"intake"
)

// dispatchLock is the transaction-level advisory lock one dispatcher holds:
// two processes dispatching at once would number deliveries out of event
// order.
const dispatchLock int64 = 0x77656268 // "webh"

const subscriptionColumns = `id, org_id, url, events, job_id, stage_id, secrets, active, created_at`

func names(list []intake.EventName) []string {
	out := make([]string, len(list))
	for i, n := range list {
		out[i] = string(n)
	}
	return out
}

// CreateSubscription stores s and fills its ID.
func (s *Store) CreateSubscription(ctx context.Context, sub *intake.Subscription) error {
	secrets := sub.Secrets
	if secrets == nil {
		secrets = []string{}
	}
	return s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		first, err := noneActive(ctx, tx, sub.Active)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO webhook_subscriptions
			(org_id, url, events, job_id, stage_id, secrets, active, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			sub.OrgID, sub.URL, names(sub.Events), sub.JobID, sub.StageID, secrets, sub.Active, toDB(sub.CreatedAt)).Scan(&sub.ID)
		if err != nil {
			return err
		}
		return skipUnheard(ctx, tx, first && sub.Active)
	})
}

// SaveSubscription inserts or updates s by (org, url, filters).
func (s *Store) SaveSubscription(ctx context.Context, sub *intake.Subscription) error {
	secrets := sub.Secrets
	if secrets == nil {
		secrets = []string{}
	}
	var created time.Time
	err := s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		first, err := noneActive(ctx, tx, sub.Active)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO webhook_subscriptions
			(org_id, url, events, job_id, stage_id, secrets, active, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (org_id, url, job_id, stage_id) DO UPDATE SET
				events = excluded.events, secrets = excluded.secrets, active = excluded.active
			RETURNING id, created_at`,
			sub.OrgID, sub.URL, names(sub.Events), sub.JobID, sub.StageID, secrets, sub.Active, toDB(sub.CreatedAt)).Scan(&sub.ID, &created)
		if err != nil {
			return err
		}
		return skipUnheard(ctx, tx, first && sub.Active)
	})
	if err == nil {
		sub.CreatedAt = fromDB(created)
	}
	return err
}

func scanSubscription(r pgx.Row) (*intake.Subscription, error) {
	var (
		sub     intake.Subscription
		events  []string
		created time.Time
	)
	if err := r.Scan(&sub.ID, &sub.OrgID, &sub.URL, &events, &sub.JobID, &sub.StageID, &sub.Secrets, &sub.Active, &created); err != nil {
		return nil, err
	}
	sub.CreatedAt = fromDB(created)
	for _, e := range events {
		sub.Events = append(sub.Events, intake.EventName(e))
	}
	return &sub, nil
}

// Subscriptions lists an organization's subscriptions by id.
func (s *Store) Subscriptions(ctx context.Context, orgID int64) ([]*intake.Subscription, error) {
	var out []*intake.Subscription
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, `SELECT `+subscriptionColumns+` FROM webhook_subscriptions WHERE org_id = $1 ORDER BY id`, orgID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Subscription, error) { return scanSubscription(r) })
		return err
	})
	return out, err
}

// SetSubscriptionActive turns a subscription on or off. Errors: ENotFound.
func (s *Store) SetSubscriptionActive(ctx context.Context, orgID, id int64, active bool) error {
	return s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		first, err := noneActive(ctx, tx, active)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE webhook_subscriptions SET active = $3 WHERE org_id = $1 AND id = $2`, orgID, id, active)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return intake.Errorf(intake.ENotFound, "subscription not found")
		}
		return skipUnheard(ctx, tx, first && active)
	})
}

// anyActiveSQL finds an active subscription, of any organization.
const anyActiveSQL = `SELECT 1 FROM webhook_subscriptions WHERE active LIMIT 1`

// noneActive reports whether no subscription is active before tx's own
// change. A transaction that may activate one (activating) first takes the
// dispatch lock, waiting for it: two activations, or an activation and a
// dispatch, then see each other's commits, and one that read "none" cannot
// skip the events another has just made deliverable.
func noneActive(ctx context.Context, tx pgx.Tx, activating bool) (bool, error) {
	if !activating {
		return false, nil
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, dispatchLock); err != nil {
		return false, err
	}
	var one int
	err := tx.QueryRow(ctx, anyActiveSQL).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return true, nil
	}
	return false, err
}

// skipUnheard marks every undispatched event dispatched, without
// deliveries, when first is set: when the transaction makes a subscription
// active and none was. DispatchEvents does nothing while no subscription
// is active, so an idle dispatcher does not write; the events recorded
// meanwhile stay undispatched. Without this, the first subscription to
// become active would receive all of them, from before it existed (or
// while it was disabled). When another subscription was active, the
// dispatcher has been running and only its last poll's events are
// pending, as before.
func skipUnheard(ctx context.Context, tx pgx.Tx, first bool) error {
	if !first {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE events SET dispatched = true WHERE NOT dispatched`)
	return err
}

// DispatchEvents makes the deliveries of up to limit undispatched events.
// One process dispatches at a time (dispatchLock); the others return 0.
func (s *Store) DispatchEvents(ctx context.Context, now time.Time, limit int) (int, error) {
	// Asked several times a second: with no active subscription no event
	// can have a delivery, so a read answers without a write transaction.
	// The events stay undispatched; the transaction that makes a
	// subscription active first marks them dispatched (skipUnheard).
	var busy bool
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		return q.QueryRow(ctx, `SELECT EXISTS (`+anyActiveSQL+`)
			AND EXISTS (SELECT 1 FROM events WHERE NOT dispatched)`).Scan(&busy)
	})
	if err != nil || !busy {
		return 0, err
	}
	var n int
	err = s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		n = 0
		var locked bool
		if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1)`, dispatchLock).Scan(&locked); err != nil || !locked {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id FROM events WHERE NOT dispatched ORDER BY id LIMIT $1 FOR UPDATE`, limit)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil || len(ids) == 0 {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO webhook_deliveries
				(org_id, subscription_id, event_id, application_id, replay, status, attempts, next_attempt_at, created_at, updated_at)
			SELECT e.org_id, s.id, e.id, e.application_id, false, 'pending', 0, $2, $2, $2
			FROM events e JOIN webhook_subscriptions s ON s.org_id = e.org_id AND s.active
				AND (s.job_id = 0 OR s.job_id = e.job_id) AND (s.stage_id = 0 OR s.stage_id = e.stage_id)
				AND e.name = ANY (s.events)
			WHERE e.id = ANY ($1)
			ORDER BY e.id, s.id`, ids, toDB(now))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE events SET dispatched = true WHERE id = ANY ($1)`, ids); err != nil {
			return err
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// ClaimDeliveries leases due subscriptions to owner; see
// intake.WebhookStore. SKIP LOCKED lets processes claim concurrently
// without waiting on each other's candidates.
func (s *Store) ClaimDeliveries(ctx context.Context, owner string, now time.Time, lease time.Duration, subs, perSub int) ([]*intake.Delivery, error) {
	var out []*intake.Delivery
	err := s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		out = nil
		rows, err := tx.Query(ctx, `SELECT `+subscriptionColumns+` FROM webhook_subscriptions s
			WHERE s.lease_until < $1 AND EXISTS (SELECT 1 FROM webhook_deliveries d
				WHERE d.subscription_id = s.id AND d.status = 'pending' AND d.next_attempt_at <= $1
				AND d.id = (SELECT min(id) FROM webhook_deliveries h WHERE h.subscription_id = s.id AND h.status = 'pending'))
			ORDER BY s.lease_until, s.id LIMIT $2 FOR UPDATE SKIP LOCKED`, toDB(now), subs)
		if err != nil {
			return err
		}
		claimed, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Subscription, error) { return scanSubscription(r) })
		if err != nil {
			return err
		}
		for _, sub := range claimed {
			if _, err := tx.Exec(ctx, `UPDATE webhook_subscriptions SET lease_owner = $2, lease_until = $3 WHERE id = $1`,
				sub.ID, owner, toDB(now.Add(lease))); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, `SELECT `+deliveryColumns+`,
					e.id, e.org_id, e.name, e.job_id, e.stage_id, e.payload::text, e.created_at
				FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
				WHERE d.subscription_id = $1 AND d.status = 'pending' ORDER BY d.id LIMIT $2`, sub.ID, perSub)
			if err != nil {
				return err
			}
			ds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Delivery, error) {
				var (
					e             intake.Event
					name, payload string
					created       time.Time
				)
				d, err := scanDelivery(r, &e.ID, &e.OrgID, &name, &e.JobID, &e.StageID, &payload, &created)
				if err != nil {
					return nil, err
				}
				e.Name, e.Payload, e.CreatedAt = intake.EventName(name), []byte(payload), fromDB(created)
				d.Event, d.Subscription = &e, sub
				return d, nil
			})
			if err != nil {
				return err
			}
			out = append(out, ds...)
		}
		return nil
	})
	return out, err
}

const deliveryColumns = `d.id, d.org_id, d.subscription_id, d.event_id, d.replay, d.status, d.attempts,
	d.next_attempt_at, d.last_status, d.last_latency_us, d.last_error, d.created_at, d.updated_at`

func scanDelivery(r pgx.Row, extra ...any) (*intake.Delivery, error) {
	var (
		d                      intake.Delivery
		status                 string
		next, created, updated time.Time
		latency                int64
	)
	dest := append([]any{&d.ID, &d.OrgID, &d.SubscriptionID, &d.EventID, &d.Replay, &status, &d.Attempts,
		&next, &d.LastStatus, &latency, &d.LastError, &created, &updated}, extra...)
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	d.Status, d.LastLatency = intake.DeliveryStatus(status), time.Duration(latency)*time.Microsecond
	d.NextAttemptAt, d.CreatedAt, d.UpdatedAt = fromDB(next), fromDB(created), fromDB(updated)
	return &d, nil
}

// FinishDeliveries saves outcomes and releases the lease; see
// intake.WebhookStore.
func (s *Store) FinishDeliveries(ctx context.Context, owner string, subscriptionID int64, done []*intake.Delivery, attempts []intake.DeliveryAttempt) error {
	return s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, d := range done {
			b.Queue(`UPDATE webhook_deliveries SET status = $3, attempts = $4, next_attempt_at = $5, last_status = $6,
				last_latency_us = $7, last_error = $8, updated_at = $9 WHERE id = $1 AND subscription_id = $2`,
				d.ID, subscriptionID, string(d.Status), d.Attempts, toDB(d.NextAttemptAt), d.LastStatus,
				d.LastLatency.Microseconds(), d.LastError, toDB(d.UpdatedAt))
		}
		for _, a := range attempts {
			b.Queue(`INSERT INTO webhook_attempts (delivery_id, at, status, latency_us, error) VALUES ($1, $2, $3, $4, $5)`,
				a.DeliveryID, toDB(a.At), a.Status, a.Latency.Microseconds(), a.Error)
		}
		b.Queue(`UPDATE webhook_subscriptions SET lease_owner = '', lease_until = '-infinity'
			WHERE id = $1 AND lease_owner = $2`, subscriptionID, owner)
		return tx.SendBatch(ctx, b).Close()
	})
}

// ReplayEvents queues the subscription's events since a time again.
// Errors: ENotFound.
func (s *Store) ReplayEvents(ctx context.Context, orgID, subscriptionID int64, since, now time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM webhook_subscriptions WHERE org_id = $1 AND id = $2`, orgID, subscriptionID).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return intake.Errorf(intake.ENotFound, "subscription not found")
		}
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO webhook_deliveries
				(org_id, subscription_id, event_id, application_id, replay, status, attempts, next_attempt_at, created_at, updated_at)
			SELECT e.org_id, s.id, e.id, e.application_id, true, 'pending', 0, $4, $4, $4
			FROM events e JOIN webhook_subscriptions s ON s.id = $2 AND s.org_id = e.org_id
				AND (s.job_id = 0 OR s.job_id = e.job_id) AND (s.stage_id = 0 OR s.stage_id = e.stage_id)
				AND e.name = ANY (s.events)
			WHERE e.org_id = $1 AND e.created_at >= $3
			ORDER BY e.id`, orgID, subscriptionID, toDB(since), toDB(now))
		n = tag.RowsAffected()
		return err
	})
	return int(n), err
}

// Deliveries lists matching deliveries, newest first.
func (s *Store) Deliveries(ctx context.Context, f intake.DeliveryFilter) ([]*intake.Delivery, error) {
	var out []*intake.Delivery
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries d
			WHERE d.org_id = $1 AND ($2 = 0 OR d.subscription_id = $2) AND ($3 = '' OR d.status = $3)
			ORDER BY d.id DESC LIMIT $4`, f.OrgID, f.SubscriptionID, string(f.Status), max(f.Limit, 0))
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Delivery, error) { return scanDelivery(r) })
		return err
	})
	return out, err
}

// DeliveryAttempts lists a delivery's attempts, oldest first.
func (s *Store) DeliveryAttempts(ctx context.Context, orgID, deliveryID int64) ([]intake.DeliveryAttempt, error) {
	var out []intake.DeliveryAttempt
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, `SELECT a.delivery_id, a.at, a.status, a.latency_us, a.error
			FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
			WHERE d.org_id = $1 AND a.delivery_id = $2 ORDER BY a.id`, orgID, deliveryID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (intake.DeliveryAttempt, error) {
			var (
				a       intake.DeliveryAttempt
				at      time.Time
				latency int64
			)
			err := r.Scan(&a.DeliveryID, &at, &a.Status, &latency, &a.Error)
			a.At, a.Latency = fromDB(at), time.Duration(latency)*time.Microsecond
			return a, err
		})
		return err
	})
	return out, err
}

// WebhookQueue reports the pending deliveries and the oldest one's age.
func (s *Store) WebhookQueue(ctx context.Context) (int, time.Time, error) {
	var (
		n      int
		oldest *time.Time
	)
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		return q.QueryRow(ctx, `SELECT count(*), min(created_at) FROM webhook_deliveries WHERE status = 'pending'`).Scan(&n, &oldest)
	})
	if err != nil || oldest == nil {
		return n, time.Time{}, err
	}
	return n, fromDB(*oldest), nil
}

// PurgeDeliveries deletes finished deliveries and the events older than
// before that no delivery needs; see intake.WebhookStore.
func (s *Store) PurgeDeliveries(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM webhook_deliveries WHERE status <> 'pending' AND updated_at < $1`, toDB(before))
		if err != nil {
			return err
		}
		n = tag.RowsAffected()
		// With no active subscription, undispatched events will never be
		// delivered (skipUnheard): they go too.
		_, err = tx.Exec(ctx, `DELETE FROM events e WHERE created_at < $1
			AND (dispatched OR NOT EXISTS (`+anyActiveSQL+`))
			AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id)`, toDB(before))
		return err
	})
	return int(n), err
}
