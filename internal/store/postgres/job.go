package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"intake"
)

// jobSelect reads jobs with their stages in one round trip: stages are
// aggregated as JSON in pipeline order.
const jobSelect = `SELECT j.id, j.org_id, j.reference, j.title, j.vacancy_key, j.vacancy_slug,
	j.published, j.archived, j.questions, j.created_at, j.updated_at,
	j.external_reference, j.content, j.published_at, j.archived_at,
	(SELECT jsonb_agg(jsonb_build_object('id', s.id, 'job_id', s.job_id, 'position', s.position,
			'name', s.name, 'reference', s.reference, 'visible', s.visible) ORDER BY s.position, s.id)
		FROM stages s WHERE s.job_id = j.id)
	FROM jobs j `

// stageJSON mirrors the object built by jobSelect.
type stageJSON struct {
	ID        int64  `json:"id"`
	JobID     int64  `json:"job_id"`
	Position  int    `json:"position"`
	Name      string `json:"name"`
	Reference string `json:"reference"`
	Visible   bool   `json:"visible"`
}

func scanJob(row pgx.Row) (*intake.Job, error) {
	var (
		j                 intake.Job
		questions, stages []byte
		content           []byte
	)
	err := row.Scan(&j.ID, &j.OrgID, &j.Reference, &j.Title, &j.VacancyKey, &j.VacancySlug,
		&j.Published, &j.Archived, &questions, &j.CreatedAt, &j.UpdatedAt,
		&j.ExternalReference, &content, &j.PublishedAt, &j.ArchivedAt, &stages)
	if err != nil {
		return nil, err
	}
	if err := fromJSONB(content, &j.Content); err != nil {
		return nil, err
	}
	j.PublishedAt, j.ArchivedAt = fromDBPtr(j.PublishedAt), fromDBPtr(j.ArchivedAt)
	if err := fromJSONB(questions, &j.Questions); err != nil {
		return nil, err
	}
	if stages != nil {
		var ss []stageJSON
		if err := fromJSONB(stages, &ss); err != nil {
			return nil, err
		}
		for _, s := range ss {
			j.Stages = append(j.Stages, intake.Stage(s))
		}
	}
	j.CreatedAt, j.UpdatedAt = fromDB(j.CreatedAt), fromDB(j.UpdatedAt)
	return &j, nil
}

func (s *Store) queryJobs(ctx context.Context, sql string, args ...any) ([]*intake.Job, error) {
	var out []*intake.Job
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, jobSelect+sql, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Job, error) { return scanJob(r) })
		return err
	})
	return out, err
}

func (s *Store) queryJob(ctx context.Context, sql string, args ...any) (*intake.Job, error) {
	jobs, err := s.queryJobs(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	if len(jobs) == 0 {
		return nil, intake.Errorf(intake.ENotFound, "job not found")
	}
	return jobs[0], nil
}

// Jobs lists an organization's jobs (with stages and questions) by id.
func (s *Store) Jobs(ctx context.Context, orgID int64) ([]*intake.Job, error) {
	return s.queryJobs(ctx, "WHERE j.org_id = $1 ORDER BY j.id", orgID)
}

// Job finds a job by id. Errors: ENotFound.
func (s *Store) Job(ctx context.Context, orgID, jobID int64) (*intake.Job, error) {
	return s.queryJob(ctx, "WHERE j.org_id = $1 AND j.id = $2", orgID, jobID)
}

// JobByReference finds a job by its WelcomeKit reference. Errors: ENotFound.
func (s *Store) JobByReference(ctx context.Context, orgID int64, reference string) (*intake.Job, error) {
	return s.queryJob(ctx, "WHERE j.org_id = $1 AND j.reference = $2", orgID, reference)
}

// JobByVacancy finds a job by Flatchr vacancy slug, else by encoded vacancy
// key. Errors: ENotFound.
func (s *Store) JobByVacancy(ctx context.Context, orgID int64, slugOrKey string) (*intake.Job, error) {
	return s.queryJob(ctx, `WHERE j.org_id = $1 AND (j.vacancy_slug = $2 OR j.vacancy_key = $2)
		ORDER BY j.vacancy_slug = $2 DESC LIMIT 1`, orgID, slugOrKey)
}
