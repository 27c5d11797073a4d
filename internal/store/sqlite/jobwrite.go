package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"intake"
)

const (
	insertJobSQL = `INSERT INTO jobs (org_id, reference, title, vacancy_key, vacancy_slug,
			published, archived, created_at, updated_at,
			external_reference, content, published_at, archived_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`

	updateJobSQL = `UPDATE jobs SET title = ?, vacancy_slug = ?, published = ?, archived = ?,
			updated_at = ?, external_reference = ?, content = ?, published_at = ?, archived_at = ?
		WHERE id = ?`

	externalReferenceTakenSQL = `SELECT 1 FROM jobs WHERE org_id = ? AND external_reference = ? AND id <> ?`
)

// CreateJob stores a new job with its stages and questions, and its
// events. Errors: EConflict.
func (s *Store) CreateJob(ctx context.Context, j *intake.Job) error {
	stageIDs := make([]int64, len(j.Stages))
	for i, st := range j.Stages {
		stageIDs[i] = st.ID
	}
	err := s.w.do(ctx, func(tx *wtx) error {
		// A batch run again starts from the ids as given: the events
		// encode j itself, so it is filled in place.
		j.ID = 0
		for i := range j.Stages {
			j.Stages[i].ID = stageIDs[i]
		}
		content, err := json.Marshal(j.Content)
		if err != nil {
			return storeError(err, "cannot encode job content")
		}
		err = tx.conn.QueryRowContext(tx.ctx, insertJobSQL, j.OrgID, j.Reference, j.Title,
			j.VacancyKey, j.VacancySlug, j.Published, j.Archived,
			ms(j.CreatedAt), ms(j.UpdatedAt), j.ExternalReference, string(content),
			nullMS(j.PublishedAt), nullMS(j.ArchivedAt)).Scan(&j.ID)
		if err != nil {
			return tx.jobConflict(err, j)
		}
		if err := tx.saveStages(j); err != nil {
			return err
		}
		if err := tx.saveQuestions(j); err != nil {
			return err
		}
		return tx.insertEvents(0, jobEvents(j))
	})
	if err != nil {
		return err
	}
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
	err := s.w.do(ctx, func(tx *wtx) error {
		j, err := tx.loadJob(orgID, reference)
		if err != nil {
			return err
		}
		kept := *j
		if err := fn(j); err != nil {
			return err
		}
		j.ID, j.OrgID, j.Reference, j.VacancyKey, j.CreatedAt = kept.ID, kept.OrgID, kept.Reference, kept.VacancyKey, kept.CreatedAt
		content, err := json.Marshal(j.Content)
		if err != nil {
			return storeError(err, "cannot encode job content")
		}
		_, err = tx.conn.ExecContext(tx.ctx, updateJobSQL, j.Title, j.VacancySlug, j.Published, j.Archived,
			ms(j.UpdatedAt), j.ExternalReference, string(content), nullMS(j.PublishedAt), nullMS(j.ArchivedAt), j.ID)
		if err != nil {
			return tx.jobConflict(err, j)
		}
		for i := range j.Stages {
			j.Stages[i].Position = i
		}
		if err := tx.saveStages(j); err != nil {
			return err
		}
		if err := tx.saveQuestions(j); err != nil {
			return err
		}
		if err := tx.insertEvents(0, jobEvents(j)); err != nil {
			return err
		}
		out = j
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Events = nil
	return out, nil
}

// jobConflict names the field a failed job write collided on: the vendor
// documents external_reference as unique, and the generated reference and
// vacancy are random, so an external reference in use is the likely one.
func (tx *wtx) jobConflict(err error, j *intake.Job) error {
	err = storeError(err, "job "+j.Reference)
	if intake.ErrorCodeOf(err) != intake.EConflict {
		return err
	}
	if j.ExternalReference != "" {
		var one int
		switch qerr := tx.conn.QueryRowContext(tx.ctx, externalReferenceTakenSQL, j.OrgID, j.ExternalReference, j.ID).Scan(&one); {
		case qerr == nil:
			return &intake.Error{Code: intake.EConflict, Message: "external_reference is already taken",
				Fields: map[string]string{"external_reference": "is already taken"}}
		case !errors.Is(qerr, sql.ErrNoRows):
			return storeError(qerr, "cannot read jobs")
		}
	}
	return &intake.Error{Code: intake.EConflict, Message: "reference is already taken",
		Fields: map[string]string{"reference": "is already taken"}}
}

// loadJob reads a job with its stages and questions inside the write
// transaction.
func (tx *wtx) loadJob(orgID int64, reference string) (*intake.Job, error) {
	j, err := scanJob(tx.conn.QueryRowContext(tx.ctx, jobByReferenceSQL, orgID, reference))
	if err != nil {
		return nil, notFound(err, "job")
	}
	rows, err := tx.conn.QueryContext(tx.ctx, stagesSQL, j.ID)
	if err != nil {
		return nil, storeError(err, "cannot read stages")
	}
	defer rows.Close()
	for rows.Next() {
		var st intake.Stage
		if err := rows.Scan(&st.ID, &st.JobID, &st.Position, &st.Name, &st.Reference, &st.Visible); err != nil {
			return nil, storeError(err, "cannot read stages")
		}
		j.Stages = append(j.Stages, st)
	}
	if err := rows.Err(); err != nil {
		return nil, storeError(err, "cannot read stages")
	}
	qrows, err := tx.conn.QueryContext(tx.ctx, questionsSQL, j.ID)
	if err != nil {
		return nil, storeError(err, "cannot read questions")
	}
	defer qrows.Close()
	for qrows.Next() {
		var (
			q       intake.Question
			jobID   int64
			options string
		)
		if err := qrows.Scan(&jobID, &q.ID, &q.Text, &q.Type, &q.Required, &options, &q.Position); err != nil {
			return nil, storeError(err, "cannot read questions")
		}
		if q.Options, err = fromJSONList[string](options); err != nil {
			return nil, storeError(err, "cannot read questions")
		}
		j.Questions = append(j.Questions, q)
	}
	return j, storeError(qrows.Err(), "cannot read questions")
}
