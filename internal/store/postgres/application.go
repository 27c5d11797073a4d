package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"intake"
)

const appSelect = `SELECT a.id, a.reference, a.applicant_key, a.org_id, a.job_id, a.stage_id,
	` + personColumns + `,
	a.tags, a.origin, a.referrer, a.cover_letter, a.comment, a.archived, a.source,
	a.created_by_key, a.offerer_id, a.answers, a.newsletter_given, a.newsletter_at, a.resume_link,
	a.remote_resume_url, a.remote_portfolio_url, a.remote_image_url, a.created_at, a.updated_at,
	a.privacy_consent_at,
	` + documentsJSON + `
	FROM applications a JOIN people p ON p.id = a.person_id `

func scanApplication(row pgx.Row) (*intake.Application, error) {
	var (
		a                          intake.Application
		media, tags, answers, docs []byte
		newsletterGiven            *bool
		newsletterAt, privacyAt    *time.Time
	)
	dst := []any{&a.ID, &a.Reference, &a.ApplicantKey, &a.OrgID, &a.JobID, &a.StageID}
	dst = append(dst, personDest(&a.Person, &media)...)
	dst = append(dst, &tags, &a.Origin, &a.Referrer, &a.CoverLetter, &a.Comment, &a.Archived, &a.Source,
		&a.CreatedByKey, &a.OffererID, &answers, &newsletterGiven, &newsletterAt, &a.ResumeLink,
		&a.RemoteResumeURL, &a.RemotePortfolioURL, &a.RemoteImageURL, &a.CreatedAt, &a.UpdatedAt,
		&privacyAt, &docs)
	if err := row.Scan(dst...); err != nil {
		return nil, err
	}
	if err := fromJSONB(media, &a.Person.Media); err != nil {
		return nil, err
	}
	if err := fromJSONB(tags, &a.Tags); err != nil {
		return nil, err
	}
	if err := fromJSONB(answers, &a.Answers); err != nil {
		return nil, err
	}
	if newsletterGiven != nil && newsletterAt != nil {
		a.Newsletter = &intake.Consent{Given: *newsletterGiven, At: fromDB(*newsletterAt)}
	}
	if privacyAt != nil {
		t := fromDB(*privacyAt)
		a.PrivacyConsentAt = &t
	}
	a.CreatedAt, a.UpdatedAt = fromDB(a.CreatedAt), fromDB(a.UpdatedAt)
	return &a, setDocuments(&a, docs)
}

// appValues holds an application's columns as bound parameters.
type appValues struct {
	tags, answers   []byte
	newsletterGiven *bool
	newsletterAt    *time.Time
	privacyAt       *time.Time
}

func encodeApplication(a *intake.Application) (appValues, error) {
	var (
		v   appValues
		err error
	)
	if v.tags, err = jsonb(a.Tags); err != nil {
		return v, err
	}
	if v.answers, err = jsonb(a.Answers); err != nil {
		return v, err
	}
	if a.Newsletter != nil {
		at := toDB(a.Newsletter.At)
		v.newsletterGiven, v.newsletterAt = &a.Newsletter.Given, &at
	}
	if a.PrivacyConsentAt != nil {
		at := toDB(*a.PrivacyConsentAt)
		v.privacyAt = &at
	}
	return v, nil
}

// CreateApplication stores app, its person, its documents and the
// idempotency record in one transaction, filling ids and the person as
// stored. Errors: *intake.ApplicationExists naming the existing application
// when the person already applied to the job; *intake.IdempotencyKeyTaken
// when the key is taken.
func (s *Store) CreateApplication(ctx context.Context, app *intake.Application, idem *intake.IdempotencyRecord) error {
	v, err := encodeApplication(app)
	if err != nil {
		return storeError(err)
	}
	var (
		id     int64
		person intake.Person
	)
	err = s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		// The record goes first: of two requests racing with one key, the
		// second waits here for the first to commit and then answers as its
		// replay rather than as a duplicate applicant.
		if idem != nil {
			if err := insertIdempotency(ctx, tx, idem); err != nil {
				return err
			}
		}
		var err error
		if person, err = upsertPerson(ctx, tx, &app.Person); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO applications (org_id, reference, applicant_key, job_id, stage_id,
				person_id, tags, origin, referrer, cover_letter, comment, archived, source, created_by_key,
				offerer_id, answers, newsletter_given, newsletter_at, resume_link, remote_resume_url,
				remote_portfolio_url, remote_image_url, created_at, updated_at, privacy_consent_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
				$20, $21, $22, $23, $24, $25)
			ON CONFLICT (job_id, person_id) DO NOTHING
			RETURNING id`,
			app.OrgID, app.Reference, app.ApplicantKey, app.JobID, app.StageID, person.ID, v.tags,
			app.Origin, app.Referrer, app.CoverLetter, app.Comment, app.Archived, app.Source,
			app.CreatedByKey, app.OffererID, v.answers, v.newsletterGiven, v.newsletterAt, app.ResumeLink,
			app.RemoteResumeURL, app.RemotePortfolioURL, app.RemoteImageURL,
			toDB(app.CreatedAt), toDB(app.UpdatedAt), v.privacyAt).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return duplicateApplication(ctx, tx, app.JobID, person.ID)
		}
		if err != nil {
			return err
		}
		created := *app
		created.ID = id
		if err := saveDocuments(ctx, tx, &created, nil); err != nil {
			return err
		}
		// The events encode app: it gets its ids before they are written.
		app.ID, app.Person = id, person
		return insertEvents(ctx, tx, app.ID, app.Events)
	})
	if err != nil {
		return err
	}
	app.Events = nil
	return nil
}

func duplicateApplication(ctx context.Context, tx pgx.Tx, jobID, personID int64) error {
	var ref string
	err := tx.QueryRow(ctx, "SELECT reference FROM applications WHERE job_id = $1 AND person_id = $2",
		jobID, personID).Scan(&ref)
	if err != nil {
		return fmt.Errorf("find duplicate application: %w", err)
	}
	return &intake.ApplicationExists{Reference: ref}
}

// Application finds an application by reference. Errors: ENotFound.
func (s *Store) Application(ctx context.Context, orgID int64, reference string) (*intake.Application, error) {
	return s.queryApplication(ctx, "WHERE a.org_id = $1 AND a.reference = $2", orgID, reference)
}

// ApplicationByKey finds an application by Flatchr applicant key.
// Errors: ENotFound.
func (s *Store) ApplicationByKey(ctx context.Context, orgID int64, applicantKey string) (*intake.Application, error) {
	return s.queryApplication(ctx, "WHERE a.org_id = $1 AND a.applicant_key = $2", orgID, applicantKey)
}

func (s *Store) queryApplication(ctx context.Context, where string, args ...any) (*intake.Application, error) {
	var out *intake.Application
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		var err error
		out, err = scanApplication(q.QueryRow(ctx, appSelect+where, args...))
		if errors.Is(err, pgx.ErrNoRows) {
			return intake.Errorf(intake.ENotFound, "application not found")
		}
		return err
	})
	return out, err
}

// Applications lists matching applications, oldest first, and the total
// number of matches ignoring Offset and Limit, both from one snapshot.
func (s *Store) Applications(ctx context.Context, f intake.ApplicationFilter) ([]*intake.Application, int, error) {
	where, args := applicationFilter(f)
	var (
		out   []*intake.Application
		total int
	)
	err := s.tx(ctx, snapshot, func(ctx context.Context, tx pgx.Tx) error {
		var err error
		switch {
		case f.WholeJob():
			// The trigger's count (0002_job_counts.sql); the join keeps
			// another organization's job at zero.
			err = tx.QueryRow(ctx, `SELECT coalesce(sum(c.total), 0) FROM job_application_counts c
				JOIN jobs j ON j.id = c.job_id WHERE c.job_id = $1 AND j.org_id = $2`, *f.JobID, f.OrgID).Scan(&total)
		case f.Email != nil:
			err = tx.QueryRow(ctx, "SELECT count(*) FROM applications a JOIN people p ON p.id = a.person_id "+where, args...).Scan(&total)
		default:
			err = tx.QueryRow(ctx, "SELECT count(*) FROM applications a "+where, args...).Scan(&total)
		}
		if err != nil || f.Limit <= 0 {
			out = []*intake.Application{}
			return err
		}
		// The page's ids first, from the list index alone, then their rows:
		// OFFSET then skips index entries, not joined rows whose documents
		// were aggregated only to be dropped (31 ms at page 100 of a job
		// of a million, against 3 now).
		people := ""
		if f.Email != nil {
			people = " JOIN people p ON p.id = a.person_id"
		}
		page := fmt.Sprintf("WHERE a.id IN (SELECT a.id FROM applications a%s %s ORDER BY a.created_at, a.id OFFSET $%d LIMIT $%d) ORDER BY a.created_at, a.id",
			people, where, len(args)+1, len(args)+2)
		rows, err := tx.Query(ctx, appSelect+page, append(args, max(f.Offset, 0), f.Limit)...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*intake.Application, error) { return scanApplication(r) })
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// applicationFilter builds the WHERE clause of a filter; values are always
// bound parameters.
func applicationFilter(f intake.ApplicationFilter) (string, []any) {
	conds := []string{"a.org_id = $1"}
	args := []any{f.OrgID}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.JobID != nil {
		add("a.job_id = ?", *f.JobID)
	}
	if f.Email != nil {
		add("lower(p.email) = lower(?)", *f.Email)
	}
	if f.Origin != nil {
		add("a.origin = ?", *f.Origin)
	}
	if f.Referrer != nil {
		add("a.referrer = ?", *f.Referrer)
	}
	if f.StageID != nil {
		add("a.stage_id = ?", *f.StageID)
	}
	if f.Archived != nil {
		add("a.archived = ?", *f.Archived)
	}
	if f.CreatedAfter != nil {
		add("a.created_at > ?", *f.CreatedAfter)
	}
	if f.UpdatedAfter != nil {
		add("a.updated_at > ?", *f.UpdatedAfter)
	}
	if f.CreatedByKey != nil {
		add("a.created_by_key = ?", *f.CreatedByKey)
	}
	return "WHERE " + strings.Join(conds, " AND "), args
}

// UpdateApplication locks the application and its person, lets fn change
// them and saves the result. A stage change records a Move. Errors:
// ENotFound, whatever fn returns, EConflict (Fields["email"]) when the new
// email belongs to another person of the organization.
func (s *Store) UpdateApplication(ctx context.Context, orgID int64, reference string, fn func(*intake.Application) error) (*intake.Application, error) {
	var (
		out   *intake.Application
		fnErr error
	)
	err := s.tx(ctx, readWrite, func(ctx context.Context, tx pgx.Tx) error {
		before, err := scanApplication(tx.QueryRow(ctx,
			appSelect+"WHERE a.org_id = $1 AND a.reference = $2 FOR UPDATE OF a, p", orgID, reference))
		if errors.Is(err, pgx.ErrNoRows) {
			return intake.Errorf(intake.ENotFound, "application not found")
		}
		if err != nil {
			return err
		}
		app := cloneApplication(before)
		if fnErr = fn(app); fnErr != nil {
			return fnErr
		}
		// Identity and ownership are not the caller's to change.
		app.ID, app.Reference, app.ApplicantKey, app.OrgID, app.JobID = before.ID, before.Reference, before.ApplicantKey, before.OrgID, before.JobID
		app.Person.ID, app.Person.OrgID = before.Person.ID, before.Person.OrgID
		app.CreatedByKey, app.CreatedAt = before.CreatedByKey, before.CreatedAt
		if err := updatePerson(ctx, tx, &app.Person); err != nil {
			return err
		}
		if err := updateApplication(ctx, tx, app); err != nil {
			return err
		}
		for _, m := range intake.MovesOf(before, app) {
			_, err := tx.Exec(ctx, `INSERT INTO moves (org_id, application_id, from_stage_id, to_stage_id,
					from_job_id, to_job_id, kind, created_at, actor)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, app.OrgID, app.ID, m.FromStageID, m.ToStageID,
				m.FromJobID, m.ToJobID, string(m.Kind), toDB(m.CreatedAt), m.Actor)
			if err != nil {
				return err
			}
		}
		if err := saveDocuments(ctx, tx, app, before); err != nil {
			return err
		}
		if err := insertEvents(ctx, tx, app.ID, app.Events); err != nil {
			return err
		}
		app.Events = nil
		out = app
		return nil
	})
	if fnErr != nil {
		// The caller's error, untouched: the service matches on it.
		return nil, fnErr
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

func updateApplication(ctx context.Context, tx pgx.Tx, a *intake.Application) error {
	v, err := encodeApplication(a)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE applications SET stage_id = $3, tags = $4, origin = $5, referrer = $6,
			cover_letter = $7, comment = $8, archived = $9, source = $10, offerer_id = $11, answers = $12,
			newsletter_given = $13, newsletter_at = $14, resume_link = $15, remote_resume_url = $16,
			remote_portfolio_url = $17, remote_image_url = $18, updated_at = $19
		WHERE org_id = $1 AND id = $2`,
		a.OrgID, a.ID, a.StageID, v.tags, a.Origin, a.Referrer, a.CoverLetter, a.Comment, a.Archived,
		a.Source, a.OffererID, v.answers, v.newsletterGiven, v.newsletterAt, a.ResumeLink,
		a.RemoteResumeURL, a.RemotePortfolioURL, a.RemoteImageURL, toDB(a.UpdatedAt))
	return err
}

// Moves lists the stage changes of an application, oldest first.
func (s *Store) Moves(ctx context.Context, orgID, applicationID int64) ([]intake.Move, error) {
	var out []intake.Move
	err := s.run(ctx, func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, `SELECT id, application_id, from_stage_id, to_stage_id, from_job_id, to_job_id,
				kind, created_at, actor FROM moves
			WHERE org_id = $1 AND application_id = $2 ORDER BY id`, orgID, applicationID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (intake.Move, error) {
			var m intake.Move
			err := r.Scan(&m.ID, &m.ApplicationID, &m.FromStageID, &m.ToStageID, &m.FromJobID, &m.ToJobID, &m.Kind, &m.CreatedAt, &m.Actor)
			m.CreatedAt = fromDB(m.CreatedAt)
			return m, err
		})
		return err
	})
	return out, err
}

// cloneApplication copies a deeply enough that fn changing the copy leaves
// the original intact for comparison.
func cloneApplication(a *intake.Application) *intake.Application {
	c := *a
	c.Tags = slices.Clone(a.Tags)
	c.Answers = slices.Clone(a.Answers)
	c.Person.Media = maps.Clone(a.Person.Media)
	if a.Newsletter != nil {
		n := *a.Newsletter
		c.Newsletter = &n
	}
	if a.PrivacyConsentAt != nil {
		t := *a.PrivacyConsentAt
		c.PrivacyConsentAt = &t
	}
	for _, kind := range documentKinds {
		if d := *documentSlot(a, kind); d != nil {
			dc := *d
			*documentSlot(&c, kind) = &dc
		}
	}
	return &c
}
