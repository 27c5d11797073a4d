package sqlite

import (
	"context"

	"intake"
)

const (
	insertMoveSQL = `INSERT INTO moves (application_id, from_stage_id, to_stage_id, from_job_id, to_job_id, kind, created_at, actor)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	movesSQL = `SELECT m.id, m.application_id, m.from_stage_id, m.to_stage_id, m.from_job_id, m.to_job_id, m.kind, m.created_at, m.actor
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
		if err := rows.Scan(&m.ID, &m.ApplicationID, &m.FromStageID, &m.ToStageID, &m.FromJobID, &m.ToJobID, &m.Kind, &at, &m.Actor); err != nil {
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

// jobMovesSQL merges the two index ranges of a job's moves (see the
// 0030 migration) in id order, then reads the page's rows. Each range is
// cut at the page's end first, so a page costs its offset plus its length
// in index entries, never the job's whole range.
const jobMovesSQL = `SELECT m.id, m.application_id, m.from_stage_id, m.to_stage_id, m.from_job_id, m.to_job_id,
		m.kind, m.created_at, a.reference
	FROM (SELECT id FROM (SELECT id FROM moves WHERE to_job_id = ?1 ORDER BY id LIMIT ?2 + ?3)
		UNION ALL SELECT id FROM (SELECT id FROM moves WHERE from_job_id = ?1 AND from_job_id <> to_job_id
			ORDER BY id LIMIT ?2 + ?3)
		ORDER BY id LIMIT ?2 OFFSET ?3) p
	JOIN moves m ON m.id = p.id
	JOIN applications a ON a.id = m.application_id
	WHERE a.org_id = ?4
	ORDER BY m.id`

// JobMoves lists the moves into or out of a job of the organization,
// oldest first, and their total (kept in job_move_counts).
func (s *Store) JobMoves(ctx context.Context, orgID, jobID int64, offset, limit int) ([]intake.Move, int, error) {
	total, err := s.count(ctx, `SELECT coalesce((SELECT c.total FROM job_move_counts c JOIN jobs j ON j.id = c.job_id
		WHERE c.job_id = ? AND j.org_id = ?), 0)`, jobID, orgID)
	if err != nil || total == 0 || limit <= 0 {
		return []intake.Move{}, total, err
	}
	rows, err := s.query(ctx, jobMovesSQL, jobID, limit, offset, orgID)
	out, err := collect(s, rows, err, "moves", func(r scanner) (intake.Move, error) {
		var (
			m  intake.Move
			at int64
		)
		err := r.Scan(&m.ID, &m.ApplicationID, &m.FromStageID, &m.ToStageID, &m.FromJobID, &m.ToJobID, &m.Kind, &at, &m.Reference)
		m.CreatedAt = fromMS(at)
		return m, err
	})
	return out, total, err
}
