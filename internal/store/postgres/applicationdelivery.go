package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"intake"
)

// ApplicationDeliveries lists the deliveries about one application; see
// intake.WebhookStore.
func (s *Store) ApplicationDeliveries(ctx context.Context, orgID, applicationID int64, limit int) ([]*intake.Delivery, error) {
	var out []*intake.Delivery
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, `SELECT `+deliveryColumns+`,
				e.name, e.job_id, e.stage_id, e.created_at, s.url
			FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
				JOIN webhook_subscriptions s ON s.id = d.subscription_id
			WHERE d.org_id = $1 AND d.application_id = $2 AND d.application_id <> 0
			ORDER BY d.id DESC LIMIT $3`, orgID, applicationID, max(limit, 0))
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Delivery, error) {
			var (
				e       intake.Event
				sub     intake.Subscription
				name    string
				created time.Time
			)
			d, err := scanDelivery(r, &name, &e.JobID, &e.StageID, &created, &sub.URL)
			if err != nil {
				return nil, err
			}
			e.ID, e.OrgID, e.Name, e.CreatedAt = d.EventID, d.OrgID, intake.EventName(name), fromDB(created)
			sub.ID, sub.OrgID = d.SubscriptionID, d.OrgID
			d.Event, d.Subscription = &e, &sub
			return d, nil
		})
		return err
	})
	return out, err
}
