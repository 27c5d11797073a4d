package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"intake"
)

const stageCountsSQL = `SELECT a.stage_id, count(*) FROM applications a
	WHERE a.org_id = ? AND a.job_id = ? GROUP BY a.stage_id`

// ListJobs lists matching jobs by id, with stages and questions, and the
// number of matches.
func (s *Store) ListJobs(ctx context.Context, f intake.JobFilter) ([]*intake.Job, int, error) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if f.OrgID != 0 {
		add("j.org_id = ?", f.OrgID)
	}
	if f.Status != nil {
		switch *f.Status {
		case intake.JobArchived:
			where = append(where, "j.archived = 1")
		case intake.JobPublished:
			where = append(where, "j.archived = 0 AND j.published = 1")
		default:
			where = append(where, "j.archived = 0 AND j.published = 0")
		}
	}
	if f.ContractType != nil {
		add("json_extract(j.content, '$.contract_type') = ?", *f.ContractType)
	}
	if f.CreatedAfter != nil {
		add("j.created_at > ?", ms(*f.CreatedAfter))
	}
	if f.UpdatedAfter != nil {
		add("j.updated_at > ?", ms(*f.UpdatedAfter))
	}
	if f.PublishedAfter != nil {
		add("j.published_at > ?", ms(*f.PublishedAfter))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	var (
		out   []*intake.Job
		total int
	)
	err := s.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM jobs j`+cond, args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+jobColumns+` FROM jobs j`+cond+` ORDER BY j.id LIMIT ? OFFSET ?`,
			append(args, limit, f.Offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			j, err := scanJob(rows)
			if err != nil {
				return err
			}
			out = append(out, j)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return fillJobPage(ctx, tx, out)
	})
	if err != nil {
		return nil, 0, s.readError(err, "jobs")
	}
	return out, total, nil
}

// StageCounts counts a job's applications per stage.
func (s *Store) StageCounts(ctx context.Context, orgID, jobID int64) (map[int64]int, error) {
	out := map[int64]int{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, stageCountsSQL, orgID, jobID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				return err
			}
			out[id] = n
		}
		return rows.Err()
	})
	if err != nil {
		return nil, s.readError(err, "stage counts")
	}
	return out, nil
}

// OrgByReference finds an organization by its WelcomeKit reference.
// Errors: ENotFound.
func (s *Store) OrgByReference(ctx context.Context, reference string) (*intake.Org, error) {
	var o *intake.Org
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		o, err = scanOrg(tx.QueryRowContext(ctx, orgByRefSQL, reference))
		return err
	})
	if err != nil {
		return nil, s.readError(err, "organization")
	}
	return o, nil
}

// jobChunk bounds the ids of one IN list, far below SQLite's limit on
// bound variables, for unpaged lists.
const jobChunk = 500

// fillJobPage adds stages and questions to a page of jobs with one query
// each per chunk: per-job queries made a page of a hundred jobs cost two
// hundred statements.
func fillJobPage(ctx context.Context, tx *sql.Tx, jobs []*intake.Job) error {
	for len(jobs) > jobChunk {
		if err := fillJobChunk(ctx, tx, jobs[:jobChunk]); err != nil {
			return err
		}
		jobs = jobs[jobChunk:]
	}
	if len(jobs) == 0 {
		return nil
	}
	return fillJobChunk(ctx, tx, jobs)
}

func fillJobChunk(ctx context.Context, tx *sql.Tx, jobs []*intake.Job) error {
	byID := make(map[int64]*intake.Job, len(jobs))
	ids := make([]any, len(jobs))
	for i, j := range jobs {
		byID[j.ID], ids[i] = j, j.ID
	}
	in := "(?" + strings.Repeat(", ?", len(jobs)-1) + ")"
	rows, err := tx.QueryContext(ctx, `SELECT `+stageColumns+` FROM stages s WHERE s.job_id IN `+in+
		` ORDER BY s.job_id, s.position, s.id`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var st intake.Stage
		if err := rows.Scan(&st.ID, &st.JobID, &st.Position, &st.Name, &st.Reference, &st.Visible); err != nil {
			return err
		}
		j := byID[st.JobID]
		j.Stages = append(j.Stages, st)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	qrows, err := tx.QueryContext(ctx, `SELECT `+questionColumns+` FROM questions q WHERE q.job_id IN `+in+
		` ORDER BY q.job_id, q.position, q.id`, ids...)
	if err != nil {
		return err
	}
	defer qrows.Close()
	for qrows.Next() {
		var (
			q       intake.Question
			jobID   int64
			options string
		)
		if err := qrows.Scan(&jobID, &q.ID, &q.Text, &q.Type, &q.Required, &options, &q.Position); err != nil {
			return err
		}
		if q.Options, err = fromJSONList[string](options); err != nil {
			return err
		}
		j := byID[jobID]
		j.Questions = append(j.Questions, q)
	}
	return qrows.Err()
}
