package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"intake"
)

// CreateJob stores a new job with its stages and questions, and its
// events. Errors: EConflict.
func (s *Store) CreateJob(ctx context.Context, j *intake.Job) error {
	stageIDs := make([]int64, len(j.Stages))
	for i, st := range j.Stages {
		stageIDs[i] = st.ID
	}
	err := s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		// A retried transaction starts from the ids as given: the events
		// encode j itself, so it is filled in place.
		j.ID = 0
		for i := range j.Stages {
			j.Stages[i].ID, j.Stages[i].JobID = stageIDs[i], 0
		}
		questions, err := jsonb(j.Questions)
		if err != nil {
			return err
		}
		content, err := jsonb(j.Content)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO jobs (org_id, reference, title, vacancy_key, vacancy_slug,
				published, archived, questions, created_at, updated_at,
				external_reference, content, published_at, archived_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
			RETURNING id`,
			j.OrgID, j.Reference, j.Title, j.VacancyKey, j.VacancySlug, j.Published, j.Archived, questions,
			toDB(j.CreatedAt), toDB(j.UpdatedAt), j.ExternalReference, content,
			toDBPtr(j.PublishedAt), toDBPtr(j.ArchivedAt)).Scan(&j.ID)
		if err != nil {
			return fmt.Errorf("create job: %w", err)
		}
		ids, err := saveStages(ctx, tx, j.ID, j.Stages)
		if err != nil {
			return err
		}
		for i, id := range ids {
			j.Stages[i].ID, j.Stages[i].JobID = id, j.ID
		}
		return insertEvents(ctx, tx, 0, jobEvents(j))
	})
	if err != nil {
		return err
	}
	j.CreatedAt, j.UpdatedAt = toDB(j.CreatedAt), toDB(j.UpdatedAt)
	j.Events = nil
	return nil
}

// jobEvents gives the job's id to its events recorded before it had one.
func jobEvents(j *intake.Job) []*intake.Event {
	for _, e := range j.Events {
		if e.JobID == 0 {
			e.JobID = j.ID
		}
	}
	return j.Events
}

// UpdateJob loads a job, lets fn change it and saves it in one transaction.
// Errors: ENotFound, fn's, EConflict, EInvalid.
func (s *Store) UpdateJob(ctx context.Context, orgID int64, reference string, fn func(*intake.Job) error) (*intake.Job, error) {
	var out *intake.Job
	err := s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		// Lock the job first, then read it in a statement of its own: under
		// READ COMMITTED a locking read that waited sees the row's new
		// version, but its stages subquery would still see the snapshot
		// taken before the wait, and the stages a concurrent update added
		// would be deleted as unclaimed.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM jobs WHERE org_id = $1 AND reference = $2 FOR UPDATE`, orgID, reference); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, jobSelect+"WHERE j.org_id = $1 AND j.reference = $2", orgID, reference)
		if err != nil {
			return err
		}
		jobs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Job, error) { return scanJob(r) })
		if err != nil {
			return err
		}
		if len(jobs) == 0 {
			return intake.Errorf(intake.ENotFound, "job not found")
		}
		j := jobs[0]
		kept := *j
		if err := fn(j); err != nil {
			return err
		}
		j.ID, j.OrgID, j.Reference, j.VacancyKey, j.CreatedAt = kept.ID, kept.OrgID, kept.Reference, kept.VacancyKey, kept.CreatedAt
		for i := range j.Stages {
			j.Stages[i].Position = i
		}
		questions, err := jsonb(j.Questions)
		if err != nil {
			return err
		}
		content, err := jsonb(j.Content)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE jobs SET title = $1, vacancy_slug = $2, published = $3, archived = $4,
				questions = $5, updated_at = $6, external_reference = $7, content = $8,
				published_at = $9, archived_at = $10
			WHERE id = $11`,
			j.Title, j.VacancySlug, j.Published, j.Archived, questions, toDB(j.UpdatedAt),
			j.ExternalReference, content, toDBPtr(j.PublishedAt), toDBPtr(j.ArchivedAt), j.ID)
		if err != nil {
			return fmt.Errorf("update job: %w", err)
		}
		ids, err := saveStages(ctx, tx, j.ID, j.Stages)
		if err != nil {
			return err
		}
		for i, id := range ids {
			j.Stages[i].ID, j.Stages[i].JobID = id, j.ID
		}
		if err := insertEvents(ctx, tx, 0, jobEvents(j)); err != nil {
			return err
		}
		out = j
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.UpdatedAt = toDB(out.UpdatedAt)
	out.Events = nil
	return out, nil
}

// ListJobs lists matching jobs by id with their stages and questions, and
// the number of matches.
func (s *Store) ListJobs(ctx context.Context, f intake.JobFilter) ([]*intake.Job, int, error) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, arg any) {
		args = append(args, arg)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.OrgID != 0 {
		add("j.org_id = $%d", f.OrgID)
	}
	if f.Status != nil {
		switch *f.Status {
		case intake.JobArchived:
			where = append(where, "j.archived")
		case intake.JobPublished:
			where = append(where, "NOT j.archived AND j.published")
		default:
			where = append(where, "NOT j.archived AND NOT j.published")
		}
	}
	if f.ContractType != nil {
		add("j.content->>'contract_type' = $%d", *f.ContractType)
	}
	if f.CreatedAfter != nil {
		add("j.created_at > $%d", toDB(*f.CreatedAfter))
	}
	if f.UpdatedAfter != nil {
		add("j.updated_at > $%d", toDB(*f.UpdatedAfter))
	}
	if f.PublishedAfter != nil {
		add("j.published_at > $%d", toDB(*f.PublishedAfter))
	}
	cond := ""
	if len(where) > 0 {
		cond = "WHERE " + strings.Join(where, " AND ") + " "
	}
	page := cond + fmt.Sprintf("ORDER BY j.id OFFSET $%d", len(args)+1)
	pageArgs := append(append([]any(nil), args...), f.Offset)
	if f.Limit > 0 {
		page += fmt.Sprintf(" LIMIT $%d", len(args)+2)
		pageArgs = append(pageArgs, f.Limit)
	}
	var (
		out   []*intake.Job
		total int
	)
	err := s.tx(ctx, snapshot, func(ctx context.Context, tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM jobs j "+cond, args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, jobSelect+page, pageArgs...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Job, error) { return scanJob(r) })
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// StageCounts counts a job's applications per stage.
func (s *Store) StageCounts(ctx context.Context, orgID, jobID int64) (map[int64]int, error) {
	out := map[int64]int{}
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		clear(out)
		rows, err := q.Query(ctx, `SELECT a.stage_id, count(*) FROM applications a
			WHERE a.org_id = $1 AND a.job_id = $2 GROUP BY a.stage_id`, orgID, jobID)
		if err != nil {
			return err
		}
		var (
			id int64
			n  int
		)
		_, err = pgx.ForEachRow(rows, []any{&id, &n}, func() error { out[id] = n; return nil })
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// OrgByReference finds an organization by its WelcomeKit reference.
// Errors: ENotFound.
func (s *Store) OrgByReference(ctx context.Context, reference string) (*intake.Org, error) {
	var out *intake.Org
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		o, err := scanOrg(q.QueryRow(ctx, "SELECT "+orgColumns+", o.content FROM orgs o WHERE o.reference = $1", reference))
		if errors.Is(err, pgx.ErrNoRows) {
			return intake.Errorf(intake.ENotFound, "organization not found")
		}
		out = o
		return err
	})
	return out, err
}
