package sqlite

import (
	"context"
	"strings"

	"intake"
)

const insertEventSQL = `INSERT INTO events (org_id, name, job_id, stage_id, application_id, payload, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?)`

// insertEvents appends events to the outbox in the write's transaction and
// fills their ids. Every write method that takes a value embedding
// intake.Outbox calls it once the value's own rows are written, so the
// events encode the ids just assigned. applicationID is the application the
// events are about, 0 for a job's.
func (tx *wtx) insertEvents(applicationID int64, events []*intake.Event) error {
	for _, e := range events {
		payload, err := e.EncodeData()
		if err != nil {
			return storeError(err, "cannot encode the event")
		}
		res, err := tx.st.insertEvent.ExecContext(tx.ctx, e.OrgID, string(e.Name), e.JobID, e.StageID,
			applicationID, string(payload), ms(e.CreatedAt))
		if err != nil {
			return storeError(err, "cannot record the event")
		}
		if e.ID, err = res.LastInsertId(); err != nil {
			return storeError(err, "cannot record the event")
		}
	}
	return nil
}

// Events lists an organization's matching events, lowest id first.
func (s *Store) Events(ctx context.Context, f intake.EventFilter) ([]*intake.Event, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	var b strings.Builder
	b.WriteString(`SELECT id, org_id, name, job_id, stage_id, payload, created_at FROM events
		WHERE org_id = ? AND id > ?`)
	args := []any{f.OrgID, f.AfterID}
	if !f.Since.IsZero() {
		b.WriteString(` AND created_at >= ?`)
		args = append(args, ms(f.Since))
	}
	if f.Names != nil {
		b.WriteString(` AND name IN (SELECT value FROM json_each(?))`)
		names, err := jsonList(f.Names)
		if err != nil {
			return nil, storeError(err, "cannot encode the filter")
		}
		args = append(args, names)
	}
	b.WriteString(` ORDER BY id LIMIT ?`)
	args = append(args, max(f.Limit, 0))
	rows, err := s.rdb.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, s.readError(err, "events")
	}
	defer rows.Close()
	var out []*intake.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, s.readError(err, "events")
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, s.readError(err, "events")
	}
	return out, nil
}

func scanEvent(sc scanner) (*intake.Event, error) {
	var (
		e       intake.Event
		name    string
		payload string
		created int64
	)
	if err := sc.Scan(&e.ID, &e.OrgID, &name, &e.JobID, &e.StageID, &payload, &created); err != nil {
		return nil, err
	}
	e.Name, e.Payload, e.CreatedAt = intake.EventName(name), []byte(payload), fromMS(created)
	return &e, nil
}
