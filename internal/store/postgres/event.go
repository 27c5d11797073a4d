package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"intake"
)

// insertEvents appends events to the outbox in the write's transaction and
// fills their ids. Every write method that takes a value embedding
// intake.Outbox calls it once the value's own rows are written, so the
// events encode the ids just assigned. applicationID is the application the
// events are about, 0 for a job's.
func insertEvents(ctx context.Context, tx pgx.Tx, applicationID int64, events []*intake.Event) error {
	for _, e := range events {
		payload, err := e.EncodeData()
		if err != nil {
			return intake.WrapError(intake.EInternal, err, "cannot encode the event")
		}
		err = tx.QueryRow(ctx, `INSERT INTO events (org_id, name, job_id, stage_id, application_id, payload, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			e.OrgID, string(e.Name), e.JobID, e.StageID, applicationID, string(payload), toDB(e.CreatedAt)).Scan(&e.ID)
		if err != nil {
			return err
		}
	}
	return nil
}

// Events lists an organization's matching events, lowest id first.
func (s *Store) Events(ctx context.Context, f intake.EventFilter) ([]*intake.Event, error) {
	var b strings.Builder
	b.WriteString(`SELECT id, org_id, name, job_id, stage_id, payload::text, created_at FROM events
		WHERE org_id = $1 AND id > $2`)
	args := []any{f.OrgID, f.AfterID}
	if !f.Since.IsZero() {
		args = append(args, toDB(f.Since))
		b.WriteString(` AND created_at >= $3`)
	}
	if f.Names != nil {
		names := make([]string, len(f.Names))
		for i, n := range f.Names {
			names[i] = string(n)
		}
		args = append(args, names)
		b.WriteString(` AND name = ANY($` + strconv.Itoa(len(args)) + `)`)
	}
	args = append(args, max(f.Limit, 0))
	b.WriteString(` ORDER BY id LIMIT $` + strconv.Itoa(len(args)))
	var out []*intake.Event
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, b.String(), args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Event, error) { return scanEvent(r) })
		return err
	})
	return out, err
}

func scanEvent(r pgx.Row) (*intake.Event, error) {
	var (
		e       intake.Event
		name    string
		payload string
		created time.Time
	)
	if err := r.Scan(&e.ID, &e.OrgID, &name, &e.JobID, &e.StageID, &payload, &created); err != nil {
		return nil, err
	}
	e.Name, e.Payload, e.CreatedAt = intake.EventName(name), []byte(payload), fromDB(created)
	return &e, nil
}
