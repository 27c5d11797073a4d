package sqlite

import (
	"context"

	"intake"
)

const (
	insertMoveSQL = `INSERT INTO moves (application_id, from_stage_id, to_stage_id, created_at) VALUES (?, ?, ?, ?)`
	movesSQL      = `SELECT m.application_id, m.from_stage_id, m.to_stage_id, m.created_at
		FROM moves m JOIN applications a ON a.id = m.application_id
		WHERE a.org_id = ? AND m.application_id = ? ORDER BY m.id`
)

// Moves lists the stage changes of an application of the organization,
// oldest first; none for an application of another organization.
func (s *Store) Moves(ctx context.Context, orgID, applicationID int64) ([]intake.Move, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	rows, err := s.r.moves.QueryContext(ctx, orgID, applicationID)
	if err != nil {
		return nil, s.readError(err, "moves")
	}
	defer rows.Close()
	var out []intake.Move
	for rows.Next() {
		var (
			m  intake.Move
			at int64
		)
		if err := rows.Scan(&m.ApplicationID, &m.FromStageID, &m.ToStageID, &at); err != nil {
			return nil, s.readError(err, "moves")
		}
		m.CreatedAt = fromMS(at)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, s.readError(err, "moves")
	}
	return out, nil
}
