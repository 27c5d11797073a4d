package sqlite

import (
	"context"
	"database/sql"
	"time"

	"intake"
)

// The delivery log: what was sent, each attempt, the queue, and its purge.

// Deliveries lists matching deliveries, newest first.
func (s *Store) Deliveries(ctx context.Context, f intake.DeliveryFilter) ([]*intake.Delivery, error) {
	q := `SELECT ` + deliveryColumns + ` FROM webhook_deliveries d WHERE d.org_id = ?`
	args := []any{f.OrgID}
	if f.SubscriptionID != 0 {
		q += ` AND d.subscription_id = ?`
		args = append(args, f.SubscriptionID)
	}
	if f.Status != "" {
		q += ` AND d.status = ?`
		args = append(args, string(f.Status))
	}
	q += ` ORDER BY d.id DESC LIMIT ?`
	args = append(args, max(f.Limit, 0))
	var out []*intake.Delivery
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanDelivery(rows)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, s.readError(err, "deliveries")
	}
	return out, nil
}

// DeliveryAttempts lists a delivery's attempts, oldest first.
func (s *Store) DeliveryAttempts(ctx context.Context, orgID, deliveryID int64) ([]intake.DeliveryAttempt, error) {
	var out []intake.DeliveryAttempt
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT a.delivery_id, a.at, a.status, a.latency_us, a.error
			FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
			WHERE d.org_id = ? AND a.delivery_id = ? ORDER BY a.id`, orgID, deliveryID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				a           intake.DeliveryAttempt
				at, latency int64
			)
			if err := rows.Scan(&a.DeliveryID, &at, &a.Status, &latency, &a.Error); err != nil {
				return err
			}
			a.At, a.Latency = fromMS(at), time.Duration(latency)*time.Microsecond
			out = append(out, a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, s.readError(err, "attempts")
	}
	return out, nil
}

// WebhookQueue reports the pending deliveries and the oldest one's age.
func (s *Store) WebhookQueue(ctx context.Context) (int, time.Time, error) {
	var (
		n      int
		oldest sql.Null[int64]
	)
	err := s.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*), min(created_at) FROM webhook_deliveries WHERE status = 'pending'`).
			Scan(&n, &oldest)
	})
	if err != nil {
		return 0, time.Time{}, s.readError(err, "deliveries")
	}
	if !oldest.Valid {
		return n, time.Time{}, nil
	}
	return n, fromMS(oldest.V), nil
}

// PurgeDeliveries deletes finished deliveries and the events older than
// before that no delivery needs; see intake.WebhookStore.
func (s *Store) PurgeDeliveries(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.w.do(ctx, func(tx *wtx) error {
		res, err := tx.conn.ExecContext(tx.ctx, `DELETE FROM webhook_deliveries WHERE status <> 'pending' AND updated_at < ?`, ms(before))
		if err != nil {
			return storeError(err, "cannot purge deliveries")
		}
		n, _ = res.RowsAffected()
		// With no active subscription, undispatched events will never be
		// delivered (skipUnheard): they go too. The newest event stays, so
		// that ids keep growing (undispatchedSQL) and no event id is ever
		// given twice.
		_, err = tx.conn.ExecContext(tx.ctx, `DELETE FROM events WHERE created_at < ?
			AND (id <= (SELECT last_dispatched FROM event_cursor) OR NOT EXISTS (`+anyActiveSQL+`))
			AND id < (SELECT max(id) FROM events)
			AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = events.id)`, ms(before))
		return storeError(err, "cannot purge events")
	})
	return int(n), err
}
