package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"intake"
)

const subscriptionColumns = `id, org_id, url, events, job_id, stage_id, secrets, active, created_at`

// CreateSubscription stores s and fills its ID.
func (s *Store) CreateSubscription(ctx context.Context, sub *intake.Subscription) error {
	events, err := jsonList(sub.Events)
	if err != nil {
		return storeError(err, "cannot store the subscription")
	}
	secrets, err := jsonList(sub.Secrets)
	if err != nil {
		return storeError(err, "cannot store the subscription")
	}
	return s.w.do(ctx, func(tx *wtx) error {
		first, err := noneActive(tx)
		if err != nil {
			return err
		}
		err = tx.conn.QueryRowContext(tx.ctx, `INSERT INTO webhook_subscriptions
			(org_id, url, events, job_id, stage_id, secrets, active, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			sub.OrgID, sub.URL, events, sub.JobID, sub.StageID, secrets, sub.Active, ms(sub.CreatedAt)).Scan(&sub.ID)
		if err != nil {
			return storeError(err, "subscription")
		}
		return skipUnheard(tx, first && sub.Active)
	})
}

// SaveSubscription inserts or updates s by (org, url, filters).
func (s *Store) SaveSubscription(ctx context.Context, sub *intake.Subscription) error {
	events, err := jsonList(sub.Events)
	if err != nil {
		return storeError(err, "cannot store the subscription")
	}
	secrets, err := jsonList(sub.Secrets)
	if err != nil {
		return storeError(err, "cannot store the subscription")
	}
	return s.w.do(ctx, func(tx *wtx) error {
		first, err := noneActive(tx)
		if err != nil {
			return err
		}
		var created int64
		err = tx.conn.QueryRowContext(tx.ctx, `INSERT INTO webhook_subscriptions
			(org_id, url, events, job_id, stage_id, secrets, active, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (org_id, url, job_id, stage_id) DO UPDATE SET
				events = excluded.events, secrets = excluded.secrets, active = excluded.active
			RETURNING id, created_at`,
			sub.OrgID, sub.URL, events, sub.JobID, sub.StageID, secrets, sub.Active, ms(sub.CreatedAt)).Scan(&sub.ID, &created)
		if err != nil {
			return storeError(err, "subscription")
		}
		sub.CreatedAt = fromMS(created)
		return skipUnheard(tx, first && sub.Active)
	})
}

func scanSubscription(sc scanner) (*intake.Subscription, error) {
	var (
		sub             intake.Subscription
		events, secrets string
		created         int64
	)
	err := sc.Scan(&sub.ID, &sub.OrgID, &sub.URL, &events, &sub.JobID, &sub.StageID, &secrets, &sub.Active, &created)
	if err != nil {
		return nil, err
	}
	sub.CreatedAt = fromMS(created)
	if sub.Events, err = fromJSONList[intake.EventName](events); err != nil {
		return nil, err
	}
	sub.Secrets, err = fromJSONList[string](secrets)
	return &sub, err
}

// Subscriptions lists an organization's subscriptions by id.
func (s *Store) Subscriptions(ctx context.Context, orgID int64) ([]*intake.Subscription, error) {
	var out []*intake.Subscription
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+subscriptionColumns+` FROM webhook_subscriptions
			WHERE org_id = ? ORDER BY id`, orgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			sub, err := scanSubscription(rows)
			if err != nil {
				return err
			}
			out = append(out, sub)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, s.readError(err, "subscriptions")
	}
	return out, nil
}

// SetSubscriptionActive turns a subscription on or off. Errors: ENotFound.
func (s *Store) SetSubscriptionActive(ctx context.Context, orgID, id int64, active bool) error {
	return s.w.do(ctx, func(tx *wtx) error {
		first, err := noneActive(tx)
		if err != nil {
			return err
		}
		res, err := tx.conn.ExecContext(tx.ctx, `UPDATE webhook_subscriptions SET active = ? WHERE org_id = ? AND id = ?`,
			active, orgID, id)
		if err != nil {
			return storeError(err, "cannot update the subscription")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return intake.Errorf(intake.ENotFound, "subscription not found")
		}
		return skipUnheard(tx, first && active)
	})
}

// anyActiveSQL finds an active subscription, of any organization.
const anyActiveSQL = `SELECT 1 FROM webhook_subscriptions WHERE active = 1 LIMIT 1`

// noneActive reports whether no subscription is active, in the writer's
// transaction (so before its own change).
func noneActive(tx *wtx) (bool, error) {
	var one int
	err := tx.conn.QueryRowContext(tx.ctx, anyActiveSQL).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	return false, storeError(err, "cannot read the subscriptions")
}

// skipUnheard marks every undispatched event dispatched, without
// deliveries, when first is set: when the transaction makes a subscription
// active and none was. DispatchEvents does nothing while no subscription
// is active, so that API writes need not wait for it on the single writer;
// the events recorded meanwhile stay undispatched. Without this, the first
// subscription to become active would receive all of them, from before it
// existed (or while it was disabled). When another subscription was
// active, the dispatcher has been running and only the last poll's events
// are pending, as before.
func skipUnheard(tx *wtx, first bool) error {
	if !first {
		return nil
	}
	_, err := tx.conn.ExecContext(tx.ctx, `UPDATE event_cursor SET last_dispatched = max(last_dispatched,
		(SELECT coalesce(max(id), 0) FROM events))`)
	return storeError(err, "cannot skip the events before the subscription")
}

// undispatchedSQL tells whether some event lies above the dispatch
// cursor. The writer assigns event ids in commit order, one transaction at
// a time (another process's writer included: SQLite's write lock), and no
// purge removes the newest event (PurgeDeliveries), so ids only grow: the
// events above the cursor are exactly the undispatched ones. max(id) is
// one seek to the end of the table.
const undispatchedSQL = `(SELECT coalesce(max(id), 0) FROM events) > (SELECT last_dispatched FROM event_cursor)`

// DispatchEvents makes the deliveries of up to limit undispatched events.
// The single writer serializes dispatches, so deliveries are numbered in
// event order.
func (s *Store) DispatchEvents(ctx context.Context, now time.Time, limit int) (int, error) {
	// Asked several times a second: a read first keeps an idle worker off
	// the single writer, which the API's creates queue for. With no active
	// subscription no event can have a delivery, so there is nothing to
	// write either: the events stay undispatched, and the write that makes
	// a subscription active first marks them dispatched (skipUnheard).
	if idle, err := s.none(ctx, `SELECT 1 WHERE EXISTS (`+anyActiveSQL+`)
		AND `+undispatchedSQL); idle || err != nil {
		return 0, err
	}
	// Replayable, as the claim and the finish: the op's only effects are
	// its statements and n, set afresh. The batches of creates it joins
	// then need no savepoint per op.
	var n int
	err := s.w.doReplayable(ctx, func(tx *wtx) error {
		var first int64
		if err := tx.conn.QueryRowContext(tx.ctx, `SELECT last_dispatched FROM event_cursor`).Scan(&first); err != nil {
			return storeError(err, "cannot read the outbox")
		}
		var last sql.Null[int64]
		var count int
		err := tx.conn.QueryRowContext(tx.ctx, `SELECT max(id), count(*) FROM
			(SELECT id FROM events WHERE id > ? ORDER BY id LIMIT ?)`, first, limit).Scan(&last, &count)
		if err != nil || !last.Valid {
			return storeError(err, "cannot read the outbox")
		}
		_, err = tx.conn.ExecContext(tx.ctx, `INSERT INTO webhook_deliveries
				(org_id, subscription_id, event_id, application_id, replay, status, attempts, next_attempt_at, created_at, updated_at)
			SELECT e.org_id, s.id, e.id, e.application_id, 0, 'pending', 0, ?, ?, ?
			FROM events e JOIN webhook_subscriptions s ON s.org_id = e.org_id AND s.active = 1
				AND (s.job_id = 0 OR s.job_id = e.job_id) AND (s.stage_id = 0 OR s.stage_id = e.stage_id)
				AND EXISTS (SELECT 1 FROM json_each(s.events) WHERE value = e.name)
			WHERE e.id > ? AND e.id <= ?
			ORDER BY e.id, s.id`, ms(now), ms(now), ms(now), first, last.V)
		if err != nil {
			return storeError(err, "cannot queue deliveries")
		}
		if _, err := tx.conn.ExecContext(tx.ctx, `UPDATE event_cursor SET last_dispatched = ?`, last.V); err != nil {
			return storeError(err, "cannot mark events dispatched")
		}
		n = count
		return nil
	})
	return n, err
}

// claimableSQL selects subscriptions no lease holds whose oldest pending
// delivery is due; its arguments are now, twice.
const claimableSQL = `s.lease_until < ? AND EXISTS (SELECT 1 FROM webhook_deliveries d
	WHERE d.subscription_id = s.id AND d.status = 'pending' AND d.next_attempt_at <= ?
	AND d.id = (SELECT min(id) FROM webhook_deliveries h WHERE h.subscription_id = s.id AND h.status = 'pending'))`

// none reports, from a reader, whether query finds no row.
func (s *Store) none(ctx context.Context, query string, args ...any) (idle bool, err error) {
	var one int
	err = s.read(ctx, func(tx *sql.Tx) error { return tx.QueryRowContext(ctx, query, args...).Scan(&one) })
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, s.readError(err, "webhook queue")
	}
	return false, nil
}

// ClaimDeliveries leases due subscriptions to owner; see intake.WebhookStore.
func (s *Store) ClaimDeliveries(ctx context.Context, owner string, now time.Time, lease time.Duration, subs, perSub int) ([]*intake.Delivery, error) {
	if idle, err := s.none(ctx, `SELECT 1 FROM webhook_subscriptions s WHERE `+claimableSQL, ms(now), ms(now)); idle || err != nil {
		return nil, err
	}
	var out []*intake.Delivery
	err := s.w.doReplayable(ctx, func(tx *wtx) error {
		out = out[:0]
		rows, err := tx.conn.QueryContext(tx.ctx, `SELECT `+subscriptionColumns+` FROM webhook_subscriptions s
			WHERE `+claimableSQL+` ORDER BY s.lease_until, s.id LIMIT ?`, ms(now), ms(now), subs)
		if err != nil {
			return err
		}
		var claimed []*intake.Subscription
		for rows.Next() {
			sub, err := scanSubscription(rows)
			if err != nil {
				rows.Close()
				return err
			}
			claimed = append(claimed, sub)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, sub := range claimed {
			if _, err := tx.conn.ExecContext(tx.ctx, `UPDATE webhook_subscriptions SET lease_owner = ?, lease_until = ? WHERE id = ?`,
				owner, ms(now.Add(lease)), sub.ID); err != nil {
				return err
			}
			ds, err := pendingDeliveries(tx, sub, perSub)
			if err != nil {
				return err
			}
			out = append(out, ds...)
		}
		return nil
	})
	if err != nil {
		return nil, storeError(err, "cannot claim deliveries")
	}
	return out, nil
}

const deliveryColumns = `d.id, d.org_id, d.subscription_id, d.event_id, d.replay, d.status, d.attempts,
	d.next_attempt_at, d.last_status, d.last_latency_us, d.last_error, d.created_at, d.updated_at`

func scanDelivery(sc scanner, extra ...any) (*intake.Delivery, error) {
	var (
		d                      intake.Delivery
		status                 string
		next, created, updated int64
		latency                int64
	)
	dest := append([]any{&d.ID, &d.OrgID, &d.SubscriptionID, &d.EventID, &d.Replay, &status, &d.Attempts,
		&next, &d.LastStatus, &latency, &d.LastError, &created, &updated}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	d.Status, d.LastLatency = intake.DeliveryStatus(status), time.Duration(latency)*time.Microsecond
	d.NextAttemptAt, d.CreatedAt, d.UpdatedAt = fromMS(next), fromMS(created), fromMS(updated)
	return &d, nil
}

func pendingDeliveries(tx *wtx, sub *intake.Subscription, limit int) ([]*intake.Delivery, error) {
	rows, err := tx.conn.QueryContext(tx.ctx, `SELECT `+deliveryColumns+`,
			e.id, e.org_id, e.name, e.job_id, e.stage_id, e.payload, e.created_at
		FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
		WHERE d.subscription_id = ? AND d.status = 'pending' ORDER BY d.id LIMIT ?`, sub.ID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*intake.Delivery
	for rows.Next() {
		var (
			e             intake.Event
			name, payload string
			created       int64
		)
		d, err := scanDelivery(rows, &e.ID, &e.OrgID, &name, &e.JobID, &e.StageID, &payload, &created)
		if err != nil {
			return nil, err
		}
		e.Name, e.Payload, e.CreatedAt = intake.EventName(name), []byte(payload), fromMS(created)
		d.Event, d.Subscription = &e, sub
		out = append(out, d)
	}
	return out, rows.Err()
}

const (
	finishDeliverySQL = `UPDATE webhook_deliveries SET status = ?, attempts = ?,
		next_attempt_at = ?, last_status = ?, last_latency_us = ?, last_error = ?, updated_at = ?
		WHERE id = ? AND subscription_id = ?`
	insertAttemptSQL = `INSERT INTO webhook_attempts (delivery_id, at, status, latency_us, error)
		VALUES (?, ?, ?, ?, ?)`
)

// FinishDeliveries saves outcomes and releases the lease; see
// intake.WebhookStore. Its two statements per delivery are prepared once
// on the writer's connection: preparing them afresh for each delivery was
// most of the finish's cost.
func (s *Store) FinishDeliveries(ctx context.Context, owner string, subscriptionID int64, done []*intake.Delivery, attempts []intake.DeliveryAttempt) error {
	return s.w.doReplayable(ctx, func(tx *wtx) error {
		for _, d := range done {
			_, err := tx.st.finishDelivery.ExecContext(tx.ctx,
				string(d.Status), d.Attempts, ms(d.NextAttemptAt), d.LastStatus, d.LastLatency.Microseconds(),
				d.LastError, ms(d.UpdatedAt), d.ID, subscriptionID)
			if err != nil {
				return storeError(err, "cannot save the delivery")
			}
		}
		for _, a := range attempts {
			_, err := tx.st.insertAttempt.ExecContext(tx.ctx, a.DeliveryID, ms(a.At), a.Status, a.Latency.Microseconds(), a.Error)
			if err != nil {
				return storeError(err, "cannot save the attempt")
			}
		}
		_, err := tx.conn.ExecContext(tx.ctx, `UPDATE webhook_subscriptions SET lease_owner = '', lease_until = 0
			WHERE id = ? AND lease_owner = ?`, subscriptionID, owner)
		return storeError(err, "cannot release the subscription")
	})
}

// ReplayEvents queues the subscription's events since a time again.
// Errors: ENotFound.
func (s *Store) ReplayEvents(ctx context.Context, orgID, subscriptionID int64, since, now time.Time) (int, error) {
	var n int64
	err := s.w.do(ctx, func(tx *wtx) error {
		var one int
		err := tx.conn.QueryRowContext(tx.ctx, `SELECT 1 FROM webhook_subscriptions WHERE org_id = ? AND id = ?`,
			orgID, subscriptionID).Scan(&one)
		if err != nil {
			return notFound(err, "subscription")
		}
		res, err := tx.conn.ExecContext(tx.ctx, `INSERT INTO webhook_deliveries
				(org_id, subscription_id, event_id, application_id, replay, status, attempts, next_attempt_at, created_at, updated_at)
			SELECT e.org_id, s.id, e.id, e.application_id, 1, 'pending', 0, ?, ?, ?
			FROM events e JOIN webhook_subscriptions s ON s.id = ? AND s.org_id = e.org_id
				AND (s.job_id = 0 OR s.job_id = e.job_id) AND (s.stage_id = 0 OR s.stage_id = e.stage_id)
				AND EXISTS (SELECT 1 FROM json_each(s.events) WHERE value = e.name)
			WHERE e.org_id = ? AND e.created_at >= ?
			ORDER BY e.id`, ms(now), ms(now), ms(now), subscriptionID, orgID, ms(since))
		if err != nil {
			return storeError(err, "cannot queue the replay")
		}
		n, err = res.RowsAffected()
		return storeError(err, "cannot queue the replay")
	})
	return int(n), err
}
