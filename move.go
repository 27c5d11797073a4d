package intake

import (
	"context"
	"time"
)

// Move records a stage, job or archive change of an application
// (WelcomeKit moves). Stage and job ids are kept as they were: a move
// outlives a removed stage.
type Move struct {
	ID            int64
	ApplicationID int64
	FromStageID   int64
	ToStageID     int64
	FromJobID     int64
	ToJobID       int64
	Kind          MoveKind
	CreatedAt     time.Time
	// Actor names who made it (a user's or API key's name); "" when not
	// recorded (moves made before it was). Filled by Moves, not JobMoves.
	Actor string
	// Reference is the application's WelcomeKit reference, filled by
	// JobMoves.
	Reference string
}

// MoveKind says what a move changed.
type MoveKind string

// Move kinds. A stage change within the job is MoveStage; a change of job
// is MoveJob (its stages are those of each side's job).
const (
	MoveStage     MoveKind = "stage"
	MoveJob       MoveKind = "job"
	MoveArchive   MoveKind = "archive"
	MoveUnarchive MoveKind = "unarchive"
)

// MovesOf returns the moves an application change records, in this order:
// a job or stage change, then an archive change. Stores call it from
// UpdateApplication so that every dialect and the dashboard record moves
// the same way.
func MovesOf(before, after *Application) []Move {
	var out []Move
	switch {
	case before.JobID != after.JobID:
		out = append(out, Move{Kind: MoveJob})
	case before.StageID != after.StageID:
		out = append(out, Move{Kind: MoveStage})
	}
	switch {
	case !before.Archived && after.Archived:
		out = append(out, Move{Kind: MoveArchive})
	case before.Archived && !after.Archived:
		out = append(out, Move{Kind: MoveUnarchive})
	}
	for i := range out {
		m := &out[i]
		m.ApplicationID = after.ID
		m.FromStageID, m.ToStageID = before.StageID, after.StageID
		m.FromJobID, m.ToJobID = before.JobID, after.JobID
		m.CreatedAt = after.UpdatedAt
		m.Actor = after.Actor
	}
	return out
}

// JobMoves lists the moves into or out of a job, oldest first, with their
// total (WelcomeKit GET /moves). The caller checks the moves_r scope.
// Errors: ENotFound (job of another organization).
func (s *Service) JobMoves(ctx context.Context, p *Principal, job *Job, pg Page) ([]Move, int, error) {
	if job == nil || job.OrgID != p.Org.ID {
		return nil, 0, Errorf(ENotFound, "Job not found")
	}
	pg = pg.clamp()
	return s.store.JobMoves(ctx, p.Org.ID, job.ID, pg.Offset, pg.Limit)
}

// ApplicationMoves lists an application's moves, oldest first (the
// dashboard card's timeline).
func (s *Service) ApplicationMoves(ctx context.Context, orgID, applicationID int64) ([]Move, error) {
	return s.store.Moves(ctx, orgID, applicationID)
}

// JobOf returns a job of the principal's organization by id (a move's
// other side). Errors: ENotFound.
func (s *Service) JobOf(ctx context.Context, p *Principal, jobID int64) (*Job, error) {
	return s.job(ctx, p.Org.ID, jobID)
}
