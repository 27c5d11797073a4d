package sqlite

import (
	"context"
	"database/sql"
	"time"

	"intake"
)

const (
	jobInOrgSQL  = `SELECT id FROM jobs WHERE id = ? AND org_id = ?`
	funnelSQL    = `SELECT stage_id, archived, total FROM stage_counts WHERE job_id = ? AND total <> 0`
	dayCountsSQL = `SELECT day, source, sum(total) FROM day_counts
	WHERE org_id = ?1 AND day >= ?2 AND day < ?3 AND (?4 IS NULL OR job_id = ?4)
	GROUP BY day, source HAVING sum(total) <> 0 ORDER BY day, source`
	dayCountsJobSQL = `SELECT day, source, total FROM day_counts
	WHERE org_id = ?1 AND job_id = ?4 AND day >= ?2 AND day < ?3 AND total <> 0
	ORDER BY day, source`
)

const msPerDay = 24 * 60 * 60 * 1000

// FunnelCounts counts a job's applications per stage from the counters
// the 0091 migration keeps (intake.FindStore).
func (s *Store) FunnelCounts(ctx context.Context, orgID, jobID int64) ([]intake.StageCount, error) {
	var out []intake.StageCount
	err := s.read(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, jobInOrgSQL, jobID, orgID).Scan(&id); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, funnelSQL, jobID)
		if err != nil {
			return err
		}
		defer rows.Close()
		by := map[int64]int{}
		for rows.Next() {
			var (
				stage, n int64
				archived bool
			)
			if err := rows.Scan(&stage, &archived, &n); err != nil {
				return err
			}
			i, ok := by[stage]
			if !ok {
				i = len(out)
				by[stage] = i
				out = append(out, intake.StageCount{StageID: stage})
			}
			if archived {
				out[i].Archived += int(n)
			} else {
				out[i].Active += int(n)
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, s.readError(err, "job")
	}
	return out, nil
}

// DayCounts counts applications per UTC day and source from the counters
// the 0091 migration keeps (intake.FindStore).
func (s *Store) DayCounts(ctx context.Context, f intake.DayCountFilter) ([]intake.DayCount, error) {
	query := dayCountsSQL
	var job any
	if f.JobID != nil {
		query, job = dayCountsJobSQL, *f.JobID
	}
	out := []intake.DayCount{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, query, f.OrgID, dayNumber(f.From), dayNumber(f.To), job)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				day, n int64
				source string
			)
			if err := rows.Scan(&day, &source, &n); err != nil {
				return err
			}
			out = append(out, intake.DayCount{Day: time.UnixMilli(day * msPerDay).UTC(), Source: intake.Source(source), Count: int(n)})
		}
		return rows.Err()
	})
	if err != nil {
		return nil, s.readError(err, "day counts")
	}
	return out, nil
}

// dayNumber is t's UTC day as the counters number them: days since
// 1970-01-01, rounded down.
func dayNumber(t time.Time) int64 {
	ms := t.UnixMilli()
	d := ms / msPerDay
	if ms%msPerDay < 0 {
		d--
	}
	return d
}
