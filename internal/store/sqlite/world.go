package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"intake"
)

const (
	upsertOrgSQL = `INSERT INTO orgs (name, reference, company_key, slug, created_at, updated_at, content)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (reference) DO UPDATE SET
			name = excluded.name, company_key = excluded.company_key,
			slug = excluded.slug, updated_at = excluded.updated_at, content = excluded.content
		RETURNING id, created_at, updated_at`

	// The WHERE leaves a hash of another organization alone, and so
	// returns no row.
	upsertWorldKeySQL = `INSERT INTO api_keys (org_id, name, hash, scopes, created_at)
		VALUES (?1, ?2, ?3, ?4, ?5)
		ON CONFLICT (hash) DO UPDATE SET name = excluded.name, scopes = excluded.scopes
			WHERE api_keys.org_id = ?1
		RETURNING id, created_at, revoked_at`

	// ?1 is the job id the world gives, NULL when none. A given id must
	// be the one the job already has; no row comes back otherwise. A job
	// keeps the time it was first published; it is archived from the first
	// start that archives it.
	upsertJobSQL = `INSERT INTO jobs (id, org_id, reference, title, vacancy_key, vacancy_slug,
			published, archived, created_at, updated_at,
			external_reference, content, published_at, archived_at)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
		ON CONFLICT (org_id, reference) DO UPDATE SET
			title = excluded.title, vacancy_key = excluded.vacancy_key,
			vacancy_slug = excluded.vacancy_slug, published = excluded.published,
			archived = excluded.archived, updated_at = excluded.updated_at,
			external_reference = excluded.external_reference, content = excluded.content,
			published_at = CASE WHEN excluded.published
				THEN coalesce(jobs.published_at, excluded.published_at) ELSE jobs.published_at END,
			archived_at = CASE WHEN excluded.archived
				THEN coalesce(jobs.archived_at, excluded.archived_at) END
			WHERE ?1 IS NULL OR jobs.id = ?1
		RETURNING id, created_at, updated_at, published_at, archived_at`

	// A stage id of another job returns no row.
	upsertStageSQL = `INSERT INTO stages (id, job_id, position, name, reference, visible)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6)
		ON CONFLICT (id) DO UPDATE SET
			position = excluded.position, name = excluded.name,
			reference = excluded.reference, visible = excluded.visible
			WHERE stages.job_id = ?2
		RETURNING id`

	jobStagesSQL      = `SELECT id, name FROM stages WHERE job_id = ?`
	deleteStageSQL    = `DELETE FROM stages WHERE id = ?`
	deleteQuestionSQL = `DELETE FROM questions WHERE job_id = ?`
	insertQuestionSQL = `INSERT INTO questions (job_id, id, position, text, type, required, options)
		VALUES (?, ?, ?, ?, ?, ?, ?)`
)

// SaveWorld upserts the organizations, their keys, jobs, stages and
// questions in one transaction and fills in ids and timestamps as stored.
// Errors: EConflict when a slug, company key, key hash, job or stage id
// belongs to another organization or job; EInvalid when a stage that
// applications sit in would be removed.
func (s *Store) SaveWorld(ctx context.Context, orgs []intake.WorldOrg) error {
	return s.w.do(ctx, func(tx *wtx) error {
		for i := range orgs {
			if err := tx.saveOrg(&orgs[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

func (tx *wtx) saveOrg(wo *intake.WorldOrg) error {
	o := &wo.Org
	var created, updated int64
	content, err := json.Marshal(o.Content)
	if err != nil {
		return storeError(err, "cannot encode organization content")
	}
	err = tx.conn.QueryRowContext(tx.ctx, upsertOrgSQL, o.Name, o.Reference, o.CompanyKey, o.Slug,
		ms(o.CreatedAt), ms(o.UpdatedAt), string(content)).Scan(&o.ID, &created, &updated)
	if err != nil {
		return storeError(err, fmt.Sprintf("organization %s: company key or slug taken by another organization", o.Reference))
	}
	o.CreatedAt, o.UpdatedAt = fromMS(created), fromMS(updated)
	for i := range wo.Keys {
		if err := tx.saveKey(o, &wo.Keys[i]); err != nil {
			return err
		}
	}
	for i := range wo.Jobs {
		if err := tx.saveJob(o, &wo.Jobs[i]); err != nil {
			return err
		}
	}
	return nil
}

func (tx *wtx) saveKey(o *intake.Org, k *intake.APIKey) error {
	scopes, err := jsonList(k.Scopes)
	if err != nil {
		return storeError(err, "cannot encode scopes")
	}
	var (
		created int64
		revoked sql.Null[int64]
	)
	err = tx.conn.QueryRowContext(tx.ctx, upsertWorldKeySQL, o.ID, k.Name, k.Hash, scopes, ms(k.CreatedAt)).
		Scan(&k.ID, &created, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return intake.Errorf(intake.EConflict, "organization %s: API key %q is a key of another organization", o.Reference, k.Name)
	}
	if err != nil {
		return storeError(err, "cannot save API key "+k.Name)
	}
	k.OrgID, k.CreatedAt, k.RevokedAt = o.ID, fromMS(created), fromNullMS(revoked)
	return nil
}

func (tx *wtx) saveJob(o *intake.Org, j *intake.Job) error {
	id := sql.Null[int64]{V: j.ID, Valid: j.ID != 0}
	content, err := json.Marshal(j.Content)
	if err != nil {
		return storeError(err, "cannot encode job content")
	}
	var (
		created, updated    int64
		published, archived sql.Null[int64]
	)
	err = tx.conn.QueryRowContext(tx.ctx, upsertJobSQL, id, o.ID, j.Reference, j.Title, j.VacancyKey,
		j.VacancySlug, j.Published, j.Archived, ms(j.CreatedAt), ms(j.UpdatedAt),
		j.ExternalReference, string(content), nullMS(j.PublishedAt), nullMS(j.ArchivedAt)).
		Scan(&j.ID, &created, &updated, &published, &archived)
	if errors.Is(err, sql.ErrNoRows) {
		return intake.Errorf(intake.EConflict, "organization %s: job %s already has another id than %d", o.Reference, j.Reference, id.V)
	}
	if err != nil {
		return storeError(err, fmt.Sprintf("organization %s: job %s: id or vacancy taken by another job", o.Reference, j.Reference))
	}
	j.OrgID, j.CreatedAt, j.UpdatedAt = o.ID, fromMS(created), fromMS(updated)
	j.PublishedAt, j.ArchivedAt = fromNullMS(published), fromNullMS(archived)
	if err := tx.saveStages(j); err != nil {
		return err
	}
	return tx.saveQuestions(j)
}

// saveStages matches the job's stages to the stored ones (by id, else by
// name), removes the stored ones left unmatched, then upserts.
func (tx *wtx) saveStages(j *intake.Job) error {
	stored, err := tx.jobStages(j.ID)
	if err != nil {
		return err
	}
	claimed := map[int64]bool{}
	for _, st := range j.Stages {
		if st.ID != 0 {
			claimed[st.ID] = true
		}
	}
	for i := range j.Stages {
		st := &j.Stages[i]
		if st.ID != 0 {
			continue
		}
		for id, name := range stored {
			if name == st.Name && !claimed[id] {
				st.ID = id
				claimed[id] = true
				break
			}
		}
	}
	for id, name := range stored {
		if claimed[id] {
			continue
		}
		if _, err := tx.conn.ExecContext(tx.ctx, deleteStageSQL, id); err != nil {
			if se, ok := errors.AsType[*sqlite.Error](err); ok && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY {
				return intake.WrapError(intake.EInvalid, err,
					fmt.Sprintf("job %s: stage %q (id %d) cannot be removed: applications sit in it", j.Reference, name, id))
			}
			return storeError(err, "cannot remove stage "+name)
		}
	}
	for i := range j.Stages {
		st := &j.Stages[i]
		id := sql.Null[int64]{V: st.ID, Valid: st.ID != 0}
		err := tx.conn.QueryRowContext(tx.ctx, upsertStageSQL, id, j.ID, st.Position, st.Name, st.Reference, st.Visible).Scan(&st.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return intake.Errorf(intake.EConflict, "job %s: stage id %d belongs to another job", j.Reference, id.V)
		}
		if err != nil {
			return storeError(err, fmt.Sprintf("job %s: cannot save stage %q", j.Reference, st.Name))
		}
		st.JobID = j.ID
	}
	return nil
}

func (tx *wtx) jobStages(jobID int64) (map[int64]string, error) {
	rows, err := tx.conn.QueryContext(tx.ctx, jobStagesSQL, jobID)
	if err != nil {
		return nil, storeError(err, "cannot read stages")
	}
	defer rows.Close()
	stored := map[int64]string{}
	for rows.Next() {
		var (
			id   int64
			name string
		)
		if err := rows.Scan(&id, &name); err != nil {
			return nil, storeError(err, "cannot read stages")
		}
		stored[id] = name
	}
	return stored, storeError(rows.Err(), "cannot read stages")
}

func (tx *wtx) saveQuestions(j *intake.Job) error {
	if _, err := tx.conn.ExecContext(tx.ctx, deleteQuestionSQL, j.ID); err != nil {
		return storeError(err, "cannot replace questions")
	}
	for _, q := range j.Questions {
		options, err := jsonList(q.Options)
		if err != nil {
			return storeError(err, "cannot encode question options")
		}
		if _, err := tx.conn.ExecContext(tx.ctx, insertQuestionSQL, j.ID, q.ID, q.Position, q.Text, q.Type, q.Required, options); err != nil {
			return storeError(err, fmt.Sprintf("job %s: cannot save question %s", j.Reference, q.ID))
		}
	}
	return nil
}
