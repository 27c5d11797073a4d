package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"intake"
)

const jobColumns = `j.id, j.org_id, j.reference, j.title, j.vacancy_key, j.vacancy_slug,
	j.published, j.archived, j.created_at, j.updated_at,
	j.external_reference, j.content, j.published_at, j.archived_at`

const (
	jobByIDSQL        = `SELECT ` + jobColumns + ` FROM jobs j WHERE j.org_id = ? AND j.id = ?`
	jobByReferenceSQL = `SELECT ` + jobColumns + ` FROM jobs j WHERE j.org_id = ? AND j.reference = ?`
	jobBySlugSQL      = `SELECT ` + jobColumns + ` FROM jobs j WHERE j.org_id = ? AND j.vacancy_slug = ?`
	jobByKeySQL       = `SELECT ` + jobColumns + ` FROM jobs j WHERE j.org_id = ? AND j.vacancy_key = ?`
	jobsSQL           = `SELECT ` + jobColumns + ` FROM jobs j WHERE j.org_id = ? ORDER BY j.id`

	stageColumns = `s.id, s.job_id, s.position, s.name, s.reference, s.visible`
	stagesSQL    = `SELECT ` + stageColumns + ` FROM stages s WHERE s.job_id = ? ORDER BY s.position, s.id`
	orgStagesSQL = `SELECT ` + stageColumns + ` FROM stages s JOIN jobs j ON j.id = s.job_id
		WHERE j.org_id = ? ORDER BY s.job_id, s.position, s.id`

	questionColumns = `q.job_id, q.id, q.text, q.type, q.required, q.options, q.position`
	questionsSQL    = `SELECT ` + questionColumns + ` FROM questions q WHERE q.job_id = ? ORDER BY q.position, q.id`
	orgQuestionsSQL = `SELECT ` + questionColumns + ` FROM questions q JOIN jobs j ON j.id = q.job_id
		WHERE j.org_id = ? ORDER BY q.job_id, q.position, q.id`
)

func scanJob(sc scanner) (*intake.Job, error) {
	var (
		j                   intake.Job
		created, updated    int64
		content             string
		published, archived sql.Null[int64]
	)
	err := sc.Scan(&j.ID, &j.OrgID, &j.Reference, &j.Title, &j.VacancyKey, &j.VacancySlug,
		&j.Published, &j.Archived, &created, &updated,
		&j.ExternalReference, &content, &published, &archived)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(content), &j.Content); err != nil {
		return nil, fmt.Errorf("decode job content: %w", err)
	}
	j.CreatedAt, j.UpdatedAt = fromMS(created), fromMS(updated)
	j.PublishedAt, j.ArchivedAt = fromNullMS(published), fromNullMS(archived)
	return &j, nil
}

// Jobs lists an organization's jobs, with stages and questions, by id.
func (s *Store) Jobs(ctx context.Context, orgID int64) ([]*intake.Job, error) {
	var out []*intake.Job
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.StmtContext(ctx, s.r.jobs).QueryContext(ctx, orgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		byID := map[int64]*intake.Job{}
		for rows.Next() {
			j, err := scanJob(rows)
			if err != nil {
				return err
			}
			out = append(out, j)
			byID[j.ID] = j
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return fillJobs(ctx, tx, s.r.orgStages, s.r.orgQuestions, orgID, byID)
	})
	if err != nil {
		return nil, s.readError(err, "jobs")
	}
	return out, nil
}

// Job finds a job of the organization by id. Errors: ENotFound.
func (s *Store) Job(ctx context.Context, orgID, jobID int64) (*intake.Job, error) {
	return s.job(ctx, s.r.jobByID, orgID, jobID)
}

// JobByReference finds a job by its WelcomeKit reference. Errors: ENotFound.
func (s *Store) JobByReference(ctx context.Context, orgID int64, reference string) (*intake.Job, error) {
	return s.job(ctx, s.r.jobByReference, orgID, reference)
}

// JobByVacancy finds a job by Flatchr vacancy slug, else by encoded vacancy
// key. Errors: ENotFound.
func (s *Store) JobByVacancy(ctx context.Context, orgID int64, slugOrKey string) (*intake.Job, error) {
	j, err := s.job(ctx, s.r.jobBySlug, orgID, slugOrKey)
	if intake.ErrorCodeOf(err) == intake.ENotFound {
		return s.job(ctx, s.r.jobByKey, orgID, slugOrKey)
	}
	return j, err
}

func (s *Store) job(ctx context.Context, st *sql.Stmt, orgID int64, key any) (*intake.Job, error) {
	var j *intake.Job
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		j, err = scanJob(tx.StmtContext(ctx, st).QueryRowContext(ctx, orgID, key))
		if err != nil {
			return err
		}
		return fillJobs(ctx, tx, s.r.stages, s.r.questions, j.ID, map[int64]*intake.Job{j.ID: j})
	})
	if err != nil {
		return nil, s.readError(err, "job")
	}
	return j, nil
}

// fillJobs adds stages and questions to jobs; stages and questions select
// them by the one argument arg (a job id or an org id).
func fillJobs(ctx context.Context, tx *sql.Tx, stages, questions *sql.Stmt, arg int64, jobs map[int64]*intake.Job) error {
	rows, err := tx.StmtContext(ctx, stages).QueryContext(ctx, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var st intake.Stage
		if err := rows.Scan(&st.ID, &st.JobID, &st.Position, &st.Name, &st.Reference, &st.Visible); err != nil {
			return err
		}
		if j := jobs[st.JobID]; j != nil {
			j.Stages = append(j.Stages, st)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.StmtContext(ctx, questions).QueryContext(ctx, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			q       intake.Question
			jobID   int64
			options string
		)
		if err := rows.Scan(&jobID, &q.ID, &q.Text, &q.Type, &q.Required, &options, &q.Position); err != nil {
			return err
		}
		if q.Options, err = fromJSONList[string](options); err != nil {
			return err
		}
		if j := jobs[jobID]; j != nil {
			j.Questions = append(j.Questions, q)
		}
	}
	return rows.Err()
}
