package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"intake"
)

// worldLock is the transaction advisory lock key serializing world saves:
// processes sharing the database all apply the world file at start, and
// taking turns keeps their upserts and sequence moves from interleaving.
const worldLock int64 = 0x696e74616b65 + 1

// savedOrg holds what the database assigned, copied into the caller's values
// only after commit: a retried transaction must start from the input as
// given, not from ids an aborted attempt filled in.
type savedOrg struct {
	id               int64
	created, updated time.Time
	keys             []savedKey
	jobs             []savedJob
}

type savedKey struct {
	id      int64
	created time.Time
	revoked *time.Time
}

type savedJob struct {
	id                  int64
	created, updated    time.Time
	published, archived *time.Time
	stageIDs            []int64
}

// SaveWorld upserts organizations, keys, jobs and stages in one transaction.
// Errors: EConflict when an id, reference or token belongs to another
// organization or job; EInvalid when a stage in use would be removed.
func (s *Store) SaveWorld(ctx context.Context, orgs []intake.WorldOrg) error {
	var saved []savedOrg
	err := s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		saved = saved[:0]
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", worldLock); err != nil {
			return err
		}
		for i := range orgs {
			so, err := saveOrg(ctx, tx, &orgs[i])
			if err != nil {
				return err
			}
			saved = append(saved, so)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, so := range saved {
		wo := &orgs[i]
		wo.Org.ID, wo.Org.CreatedAt, wo.Org.UpdatedAt = so.id, so.created, so.updated
		for k, sk := range so.keys {
			key := &wo.Keys[k]
			key.ID, key.OrgID, key.CreatedAt, key.RevokedAt = sk.id, so.id, sk.created, sk.revoked
		}
		for j, sj := range so.jobs {
			job := &wo.Jobs[j]
			job.ID, job.OrgID, job.CreatedAt, job.UpdatedAt = sj.id, so.id, sj.created, sj.updated
			job.PublishedAt, job.ArchivedAt = sj.published, sj.archived
			for k, id := range sj.stageIDs {
				job.Stages[k].ID, job.Stages[k].JobID = id, sj.id
			}
		}
	}
	return nil
}

func saveOrg(ctx context.Context, tx pgx.Tx, wo *intake.WorldOrg) (savedOrg, error) {
	o := &wo.Org
	var so savedOrg
	// updated_at moves only when something changed, so re-applying the same
	// world at every start leaves the rows as they were.
	content, err := jsonb(o.Content)
	if err != nil {
		return so, err
	}
	err = tx.QueryRow(ctx, `INSERT INTO orgs AS o (name, reference, company_key, slug, created_at, updated_at, content)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (reference) DO UPDATE SET
			name = excluded.name, company_key = excluded.company_key, slug = excluded.slug,
			content = excluded.content,
			updated_at = CASE WHEN (o.name, o.company_key, o.slug, o.content) IS DISTINCT FROM
				(excluded.name, excluded.company_key, excluded.slug, excluded.content) THEN excluded.updated_at ELSE o.updated_at END
		RETURNING id, created_at, updated_at`,
		o.Name, o.Reference, o.CompanyKey, o.Slug, toDB(o.CreatedAt), toDB(o.UpdatedAt), content).Scan(&so.id, &so.created, &so.updated)
	if err != nil {
		return so, fmt.Errorf("save organization %s: %w", o.Reference, err)
	}
	so.created, so.updated = fromDB(so.created), fromDB(so.updated)
	for i := range wo.Keys {
		sk, err := saveKey(ctx, tx, so.id, &wo.Keys[i])
		if err != nil {
			return so, err
		}
		so.keys = append(so.keys, sk)
	}
	for i := range wo.Jobs {
		sj, err := saveJob(ctx, tx, so.id, &wo.Jobs[i])
		if err != nil {
			return so, err
		}
		so.jobs = append(so.jobs, sj)
	}
	return so, nil
}

// saveKey upserts a key by hash. Revocations survive: a key revoked with the
// CLI stays revoked when the world file that declares it is applied again.
func saveKey(ctx context.Context, tx pgx.Tx, orgID int64, k *intake.APIKey) (savedKey, error) {
	scopes, err := jsonb(k.Scopes)
	if err != nil {
		return savedKey{}, err
	}
	var sk savedKey
	err = tx.QueryRow(ctx, `INSERT INTO api_keys AS k (org_id, name, hash, scopes, created_at, revoked_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (hash) DO UPDATE SET name = excluded.name, scopes = excluded.scopes
			WHERE k.org_id = excluded.org_id
		RETURNING id, created_at, revoked_at`,
		orgID, k.Name, k.Hash, scopes, toDB(k.CreatedAt), toDBPtr(k.RevokedAt)).Scan(&sk.id, &sk.created, &sk.revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return sk, conflict("token", "is already used by another organization")
	}
	if err != nil {
		return sk, fmt.Errorf("save API key %s: %w", k.Name, err)
	}
	sk.created, sk.revoked = fromDB(sk.created), fromDBPtr(sk.revoked)
	return sk, nil
}

func saveJob(ctx context.Context, tx pgx.Tx, orgID int64, j *intake.Job) (savedJob, error) {
	questions, err := jsonb(j.Questions)
	if err != nil {
		return savedJob{}, err
	}
	// A pinned id must be the one the job already has: moving a job to
	// another id would orphan its applications' WelcomeKit job_id.
	content, err := jsonb(j.Content)
	if err != nil {
		return savedJob{}, err
	}
	// A job keeps the time it was first published; it is archived from the
	// first start that archives it.
	var sj savedJob
	err = tx.QueryRow(ctx, `INSERT INTO jobs AS j (id, org_id, reference, title, vacancy_key, vacancy_slug,
			published, archived, questions, created_at, updated_at,
			external_reference, content, published_at, archived_at)
		VALUES (coalesce($1, nextval('jobs_id_seq')), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
		ON CONFLICT (org_id, reference) DO UPDATE SET
			title = excluded.title, vacancy_key = excluded.vacancy_key, vacancy_slug = excluded.vacancy_slug,
			published = excluded.published, archived = excluded.archived, questions = excluded.questions,
			external_reference = excluded.external_reference, content = excluded.content,
			published_at = CASE WHEN excluded.published THEN coalesce(j.published_at, excluded.published_at) ELSE j.published_at END,
			archived_at = CASE WHEN excluded.archived THEN coalesce(j.archived_at, excluded.archived_at) END,
			updated_at = CASE WHEN (j.title, j.vacancy_key, j.vacancy_slug, j.published, j.archived, j.questions,
				j.external_reference, j.content)
				IS DISTINCT FROM (excluded.title, excluded.vacancy_key, excluded.vacancy_slug,
				excluded.published, excluded.archived, excluded.questions, excluded.external_reference, excluded.content)
				THEN excluded.updated_at ELSE j.updated_at END
			WHERE $1::bigint IS NULL OR j.id = $1
		RETURNING id, created_at, updated_at, published_at, archived_at`,
		pinned(j.ID), orgID, j.Reference, j.Title, j.VacancyKey, j.VacancySlug,
		j.Published, j.Archived, questions, toDB(j.CreatedAt), toDB(j.UpdatedAt),
		j.ExternalReference, content, toDBPtr(j.PublishedAt), toDBPtr(j.ArchivedAt)).
		Scan(&sj.id, &sj.created, &sj.updated, &sj.published, &sj.archived)
	if errors.Is(err, pgx.ErrNoRows) {
		return sj, conflict("id", fmt.Sprintf("job %s already has another id", j.Reference))
	}
	if err != nil {
		return sj, fmt.Errorf("save job %s: %w", j.Reference, err)
	}
	sj.created, sj.updated = fromDB(sj.created), fromDB(sj.updated)
	sj.published, sj.archived = fromDBPtr(sj.published), fromDBPtr(sj.archived)
	if j.ID != 0 {
		if err := passSequence(ctx, tx, passJobSequence, j.ID); err != nil {
			return sj, err
		}
	}
	sj.stageIDs, err = saveStages(ctx, tx, sj.id, j.Stages)
	return sj, err
}

// saveStages makes the job's pipeline the given one and returns the stage
// ids in order.
func saveStages(ctx context.Context, tx pgx.Tx, jobID int64, stages []intake.Stage) ([]int64, error) {
	rows, err := tx.Query(ctx, "SELECT name, id FROM stages WHERE job_id = $1", jobID)
	if err != nil {
		return nil, err
	}
	byName := map[string]int64{}
	var (
		name string
		id   int64
	)
	_, err = pgx.ForEachRow(rows, []any{&name, &id}, func() error { byName[name] = id; return nil })
	if err != nil {
		return nil, err
	}
	pinnedIDs := map[int64]bool{}
	for _, st := range stages {
		pinnedIDs[st.ID] = st.ID != 0
	}
	ids := make([]int64, len(stages))
	for i, st := range stages {
		if st.ID == 0 {
			if existing, ok := byName[st.Name]; ok && !pinnedIDs[existing] {
				st.ID = existing
				delete(byName, st.Name)
			}
		}
		err := tx.QueryRow(ctx, `INSERT INTO stages AS s (id, job_id, position, name, reference, visible)
			VALUES (coalesce($1, nextval('stages_id_seq')), $2, $3, $4, $5, $6)
			ON CONFLICT (id) DO UPDATE SET position = excluded.position, name = excluded.name,
				reference = excluded.reference, visible = excluded.visible
				WHERE s.job_id = excluded.job_id
			RETURNING id`, pinned(st.ID), jobID, st.Position, st.Name, st.Reference, st.Visible).Scan(&ids[i])
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, conflict("stages.id", fmt.Sprintf("stage %d belongs to another job", st.ID))
		}
		if err != nil {
			return nil, fmt.Errorf("save stage %s: %w", st.Name, err)
		}
		if stages[i].ID != 0 {
			if err := passSequence(ctx, tx, passStageSequence, st.ID); err != nil {
				return nil, err
			}
		}
	}
	var inUse string
	err = tx.QueryRow(ctx, `SELECT s.name FROM stages s
		WHERE s.job_id = $1 AND s.id <> ALL($2) AND EXISTS (SELECT 1 FROM applications a WHERE a.stage_id = s.id)
		ORDER BY s.position LIMIT 1`, jobID, ids).Scan(&inUse)
	switch {
	case err == nil:
		return nil, intake.Errorf(intake.EInvalid, "stage %q cannot be removed: applications sit in it", inUse)
	case !errors.Is(err, pgx.ErrNoRows):
		return nil, err
	}
	if _, err := tx.Exec(ctx, "DELETE FROM stages WHERE job_id = $1 AND id <> ALL($2)", jobID, ids); err != nil {
		return nil, fmt.Errorf("remove stages: %w", err)
	}
	return ids, nil
}

// Moving a sequence past a pinned id keeps ids generated later from
// colliding with it; a sequence never moves back, so ids of removed stages
// are not reused.
const (
	passJobSequence = `SELECT setval('jobs_id_seq', $1) FROM jobs_id_seq
		WHERE $1 > CASE WHEN is_called THEN last_value ELSE last_value - 1 END`
	passStageSequence = `SELECT setval('stages_id_seq', $1) FROM stages_id_seq
		WHERE $1 > CASE WHEN is_called THEN last_value ELSE last_value - 1 END`
)

func passSequence(ctx context.Context, tx pgx.Tx, sql string, id int64) error {
	_, err := tx.Exec(ctx, sql, id)
	return err
}

// pinned returns nil for an id the database should assign.
func pinned(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func conflict(field, reason string) error {
	return &intake.Error{Code: intake.EConflict, Message: field + " " + reason, Fields: map[string]string{field: reason}}
}
