package sqlite

import (
	"context"
	"database/sql"

	"intake"
)

// ApplicationDeliveries lists the deliveries about one application; see
// intake.WebhookStore.
func (s *Store) ApplicationDeliveries(ctx context.Context, orgID, applicationID int64, limit int) ([]*intake.Delivery, error) {
	var out []*intake.Delivery
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+deliveryColumns+`,
				e.name, e.job_id, e.stage_id, e.created_at, s.url
			FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
				JOIN webhook_subscriptions s ON s.id = d.subscription_id
			WHERE d.org_id = ? AND d.application_id = ? AND d.application_id <> 0
			ORDER BY d.id DESC LIMIT ?`, orgID, applicationID, max(limit, 0))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				e       intake.Event
				sub     intake.Subscription
				name    string
				created int64
			)
			d, err := scanDelivery(rows, &name, &e.JobID, &e.StageID, &created, &sub.URL)
			if err != nil {
				return err
			}
			e.ID, e.OrgID, e.Name, e.CreatedAt = d.EventID, d.OrgID, intake.EventName(name), fromMS(created)
			sub.ID, sub.OrgID = d.SubscriptionID, d.OrgID
			d.Event, d.Subscription = &e, &sub
			out = append(out, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, s.readError(err, "deliveries")
	}
	return out, nil
}
