package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"intake"
)

// Each scan of FindApplications reads one index range of the 0090
// migration in the order of intake.FindKey and stops after a page. $1 is
// the organization, $2 and $3 the range, $4 the rows read, $5 the creating key
// when the reader sees only its own candidates (0 otherwise, and unused).
const (
	findEmailSQL = `SELECT lower(p.email) COLLATE "C", p.id, a.id FROM people p
	JOIN applications a ON a.person_id = p.id
	WHERE p.org_id = $1 AND p.email <> '' AND lower(p.email) COLLATE "C" >= lower($2)
		AND lower(p.email) COLLATE "C" < lower($3)%s
	ORDER BY lower(p.email) COLLATE "C", p.id, a.id DESC LIMIT $4`
	findFirstLastSQL = `SELECT lower(p.firstname || ' ' || p.lastname) COLLATE "C", p.id, a.id FROM people p
	JOIN applications a ON a.person_id = p.id
	WHERE p.org_id = $1 AND lower(p.firstname || ' ' || p.lastname) COLLATE "C" >= lower($2)
		AND lower(p.firstname || ' ' || p.lastname) COLLATE "C" < lower($3)%s
	ORDER BY lower(p.firstname || ' ' || p.lastname) COLLATE "C", p.id, a.id DESC LIMIT $4`
	findLastFirstSQL = `SELECT lower(p.lastname || ' ' || p.firstname) COLLATE "C", p.id, a.id FROM people p
	JOIN applications a ON a.person_id = p.id
	WHERE p.org_id = $1 AND lower(p.lastname || ' ' || p.firstname) COLLATE "C" >= lower($2)
		AND lower(p.lastname || ' ' || p.firstname) COLLATE "C" < lower($3)%s
	ORDER BY lower(p.lastname || ' ' || p.firstname) COLLATE "C", p.id, a.id DESC LIMIT $4`
	findTagSQL = `SELECT t.tag, 0::bigint, t.application_id FROM application_tags t
	JOIN applications a ON a.id = t.application_id
	WHERE t.org_id = $1 AND t.tag >= lower($2) AND t.tag < lower($3)%s
	ORDER BY t.tag, t.application_id DESC LIMIT $4`
	// $2 is the job, $3 unused.
	findJobSQL = `SELECT '', 0::bigint, a.id FROM applications a
	WHERE a.org_id = $1 AND a.job_id = $2::bigint AND $3::text IS NOT NULL%s
	ORDER BY a.id DESC LIMIT $4`

	findOwnFilter = ` AND a.created_by_key = $5`
	findAnyFilter = ` AND $5::bigint IS NOT NULL`
)

func findSQL(query string, own bool) string {
	if own {
		return strings.Replace(query, "%s", findOwnFilter, 1)
	}
	return strings.Replace(query, "%s", findAnyFilter, 1)
}

// FindApplications searches an organization's applications by email, name,
// tag and job (intake.FindStore).
func (s *Store) FindApplications(ctx context.Context, q intake.FindQuery) ([]intake.FindHit, error) {
	if q.Limit <= 0 {
		return []intake.FindHit{}, nil
	}
	depth := q.Offset + q.Limit
	own := q.CreatedByKey != nil
	var key int64
	if own {
		key = *q.CreatedByKey
	}
	end := intake.FindPrefixEnd(q.Text)
	var hits []intake.FindHit
	err := s.tx(ctx, snapshot, func(ctx context.Context, tx pgx.Tx) error {
		hits = nil
		scan := func(query string, match intake.FindMatch, from, to any, limit int) ([]intake.FindKey, error) {
			rows, err := tx.Query(ctx, findSQL(query, own), q.OrgID, from, to, limit, key)
			if err != nil {
				return nil, err
			}
			return pgx.CollectRows(rows, func(r pgx.CollectableRow) (intake.FindKey, error) {
				k := intake.FindKey{Match: match}
				err := r.Scan(&k.Text, &k.Tie, &k.ApplicationID)
				return k, err
			})
		}
		var scans [][]intake.FindKey
		for _, query := range []string{findEmailSQL, findFirstLastSQL, findLastFirstSQL} {
			keys, err := scan(query, intake.FindPerson, q.Text, end, depth)
			if err != nil {
				return err
			}
			scans = append(scans, keys)
		}
		// An application may hold several matching tags, so depth rows
		// may hold fewer applications: read more until they do.
		for limit := 2 * depth; ; limit *= 2 {
			keys, err := scan(findTagSQL, intake.FindTag, q.Text, end, limit)
			if err != nil {
				return err
			}
			if cut := intake.CutFindScan(keys, depth); len(keys) < limit || len(cut) < len(keys) {
				scans = append(scans, cut)
				break
			}
		}
		for _, job := range q.JobIDs {
			keys, err := scan(findJobSQL, intake.FindJob, job, "", depth)
			if err != nil {
				return err
			}
			scans = append(scans, keys)
		}
		page := intake.MergeFindKeys(q.Offset, q.Limit, scans...)
		if len(page) == 0 {
			return nil
		}
		ids := make([]int64, len(page))
		for i, k := range page {
			ids[i] = k.ApplicationID
		}
		rows, err := tx.Query(ctx, appSelect+`WHERE a.org_id = $1 AND a.id = ANY($2)`, q.OrgID, ids)
		if err != nil {
			return err
		}
		apps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Application, error) { return scanApplication(r) })
		if err != nil {
			return err
		}
		byID := make(map[int64]*intake.Application, len(apps))
		for _, a := range apps {
			byID[a.ID] = a
		}
		for _, k := range page {
			if a := byID[k.ApplicationID]; a != nil {
				hits = append(hits, intake.FindHit{Application: a, Match: k.Match})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if hits == nil {
		hits = []intake.FindHit{}
	}
	return hits, nil
}

// FunnelCounts counts a job's applications per stage from the counters
// the 0091 migration keeps (intake.FindStore).
func (s *Store) FunnelCounts(ctx context.Context, orgID, jobID int64) ([]intake.StageCount, error) {
	var out []intake.StageCount
	err := s.tx(ctx, snapshot, func(ctx context.Context, tx pgx.Tx) error {
		out = nil
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM jobs WHERE id = $1 AND org_id = $2`, jobID, orgID).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return intake.Errorf(intake.ENotFound, "Job not found")
		}
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT stage_id, archived, sum(total) FROM stage_counts WHERE job_id = $1
			GROUP BY stage_id, archived HAVING sum(total) <> 0`, jobID)
		if err != nil {
			return err
		}
		var (
			stage, n int64
			archived bool
		)
		by := map[int64]int{}
		_, err = pgx.ForEachRow(rows, []any{&stage, &archived, &n}, func() error {
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
			return nil
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DayCounts counts applications per UTC day and source from the counters
// the 0091 migration keeps (intake.FindStore).
func (s *Store) DayCounts(ctx context.Context, f intake.DayCountFilter) ([]intake.DayCount, error) {
	query := `SELECT day, source, sum(total) FROM day_counts WHERE org_id = $1 AND day >= $2 AND day < $3
		GROUP BY day, source HAVING sum(total) <> 0 ORDER BY day, source`
	args := []any{f.OrgID, dayNumber(f.From), dayNumber(f.To)}
	if f.JobID != nil {
		query = `SELECT day, source, sum(total) FROM day_counts WHERE org_id = $1 AND job_id = $4 AND day >= $2 AND day < $3
			GROUP BY day, source HAVING sum(total) <> 0 ORDER BY day, source`
		args = append(args, *f.JobID)
	}
	out := []intake.DayCount{}
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		out = out[:0]
		rows, err := q.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		var (
			day    int32
			source string
			n      int64
		)
		_, err = pgx.ForEachRow(rows, []any{&day, &source, &n}, func() error {
			out = append(out, intake.DayCount{Day: time.Unix(int64(day)*86400, 0).UTC(), Source: intake.Source(source), Count: int(n)})
			return nil
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// dayNumber is t's UTC day as the counters number them: days since
// 1970-01-01, rounded down.
func dayNumber(t time.Time) int64 {
	d := t.Unix() / 86400
	if t.Unix()%86400 < 0 {
		d--
	}
	return d
}
