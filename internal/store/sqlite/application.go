package sqlite

import (
	"context"
	"database/sql"
	"intake"
)

// applicationSelect reads an application whole: its person and its three
// document slots come in the same row.
const applicationSelect = `SELECT a.id, a.reference, a.applicant_key, a.org_id, a.job_id, a.stage_id,
	p.id, p.email, p.firstname, p.lastname, p.civility, p.phone, p.subtitle, p.media,
	a.tags, a.origin, a.referrer, a.cover_letter, a.comment, a.archived, a.source,
	a.created_by_key, a.offerer_id, a.answers, a.newsletter_given, a.newsletter_at, a.privacy_consent_at,
	a.resume_link, a.remote_resume_url, a.remote_portfolio_url, a.remote_image_url,
	a.created_at, a.updated_at,
	r.blob_key, r.file_name, r.content_type, r.size, r.sha256, r.source_url, r.created_at,
	f.blob_key, f.file_name, f.content_type, f.size, f.sha256, f.source_url, f.created_at,
	v.blob_key, v.file_name, v.content_type, v.size, v.sha256, v.source_url, v.created_at
FROM applications a
JOIN persons p ON p.id = a.person_id
LEFT JOIN documents r ON r.application_id = a.id AND r.kind = 'resume'
LEFT JOIN documents f ON f.application_id = a.id AND f.kind = 'portfolio'
LEFT JOIN documents v ON v.application_id = a.id AND v.kind = 'avatar'`

const (
	applicationByReferenceSQL = applicationSelect + ` WHERE a.org_id = ? AND a.reference = ?`
	applicationByKeySQL       = applicationSelect + ` WHERE a.org_id = ? AND a.applicant_key = ?`

	// A second application of the person to the job changes no row; a
	// taken reference or applicant key still fails.
	insertApplicationSQL = `INSERT INTO applications (reference, applicant_key, org_id, job_id, stage_id,
			person_id, tags, origin, referrer, cover_letter, comment, archived, source, created_by_key,
			offerer_id, answers, newsletter_given, newsletter_at, resume_link, remote_resume_url,
			remote_portfolio_url, remote_image_url, created_at, updated_at, privacy_consent_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (job_id, person_id) DO NOTHING`
	existingReferenceSQL = `SELECT reference FROM applications WHERE job_id = ? AND person_id = ?`

	jobTotalSQL = `SELECT c.total FROM job_application_counts c
		JOIN jobs j ON j.id = c.job_id WHERE c.job_id = ? AND j.org_id = ?`

	updateApplicationSQL = `UPDATE applications SET stage_id = ?, tags = ?, origin = ?, referrer = ?,
		cover_letter = ?, comment = ?, archived = ?, offerer_id = ?, answers = ?,
		newsletter_given = ?, newsletter_at = ?, resume_link = ?, remote_resume_url = ?,
		remote_portfolio_url = ?, remote_image_url = ?, updated_at = ?
		WHERE id = ?`
)

// docRow holds the nullable columns of one document slot.
type docRow struct {
	key, name, ctype, sha, url sql.Null[string]
	size, created              sql.Null[int64]
}

func (d *docRow) document(kind intake.DocumentKind) *intake.Document {
	if !d.key.Valid {
		return nil
	}
	return &intake.Document{
		Kind: kind, BlobKey: d.key.V, FileName: d.name.V, ContentType: d.ctype.V,
		Size: d.size.V, SHA256: d.sha.V, SourceURL: d.url.V, CreatedAt: fromMS(d.created.V),
	}
}

func scanApplication(sc scanner) (*intake.Application, error) {
	var (
		a                     intake.Application
		media, tags, answers  string
		nlGiven               sql.Null[bool]
		nlAt, privacyAt       sql.Null[int64]
		created, updated      int64
		resume, folio, avatar docRow
	)
	p := &a.Person
	err := sc.Scan(&a.ID, &a.Reference, &a.ApplicantKey, &a.OrgID, &a.JobID, &a.StageID,
		&p.ID, &p.Email, &p.Firstname, &p.Lastname, &p.Civility, &p.Phone, &p.Subtitle, &media,
		&tags, &a.Origin, &a.Referrer, &a.CoverLetter, &a.Comment, &a.Archived, &a.Source,
		&a.CreatedByKey, &a.OffererID, &answers, &nlGiven, &nlAt, &privacyAt,
		&a.ResumeLink, &a.RemoteResumeURL, &a.RemotePortfolioURL, &a.RemoteImageURL,
		&created, &updated,
		&resume.key, &resume.name, &resume.ctype, &resume.size, &resume.sha, &resume.url, &resume.created,
		&folio.key, &folio.name, &folio.ctype, &folio.size, &folio.sha, &folio.url, &folio.created,
		&avatar.key, &avatar.name, &avatar.ctype, &avatar.size, &avatar.sha, &avatar.url, &avatar.created)
	if err != nil {
		return nil, err
	}
	p.OrgID = a.OrgID
	a.CreatedAt, a.UpdatedAt = fromMS(created), fromMS(updated)
	if nlGiven.Valid {
		a.Newsletter = &intake.Consent{Given: nlGiven.V, At: fromMS(nlAt.V)}
	}
	if privacyAt.Valid {
		t := fromMS(privacyAt.V)
		a.PrivacyConsentAt = &t
	}
	a.Resume = resume.document(intake.DocResume)
	a.Portfolio = folio.document(intake.DocPortfolio)
	a.Avatar = avatar.document(intake.DocAvatar)
	if p.Media, err = fromJSONMedia(media); err != nil {
		return nil, err
	}
	if a.Tags, err = fromJSONList[string](tags); err != nil {
		return nil, err
	}
	if a.Answers, err = fromJSONAnswers(answers); err != nil {
		return nil, err
	}
	return &a, nil
}

// appColumns are the encoded forms of an application's list and optional
// columns, shared by insert and update.
type appColumns struct {
	tags, answers string
	nlGiven       sql.Null[bool]
	nlAt          sql.Null[int64]
	privacyAt     sql.Null[int64]
}

func encodeApplication(a *intake.Application) (appColumns, error) {
	var c appColumns
	var err error
	if c.tags, err = jsonList(a.Tags); err != nil {
		return c, err
	}
	if c.answers, err = jsonAnswers(a.Answers); err != nil {
		return c, err
	}
	if a.Newsletter != nil {
		c.nlGiven = sql.Null[bool]{V: a.Newsletter.Given, Valid: true}
		c.nlAt = sql.Null[int64]{V: ms(a.Newsletter.At), Valid: true}
	}
	if a.PrivacyConsentAt != nil {
		c.privacyAt = sql.Null[int64]{V: ms(*a.PrivacyConsentAt), Valid: true}
	}
	return c, nil
}

// CreateApplication stores app, its person, documents and idempotency
// record in one savepoint of the next batch, and fills app.ID and
// app.Person.ID. The idempotency key is claimed first, so a retry that is
// also a duplicate application reports the key.
// Errors: *intake.IdempotencyKeyTaken, *intake.ApplicationExists (the
// person already applied to the job), EConflict for a taken reference or
// applicant key.
func (s *Store) CreateApplication(ctx context.Context, app *intake.Application, idem *intake.IdempotencyRecord) error {
	cols, err := encodeApplication(app)
	if err != nil {
		return storeError(err, "cannot encode the application")
	}
	err = s.w.doReplayable(ctx, func(tx *wtx) error { return tx.createApplication(app, idem, &cols) })
	if err != nil {
		return err
	}
	app.Events = nil
	return nil
}

func (tx *wtx) createApplication(a *intake.Application, idem *intake.IdempotencyRecord, c *appColumns) error {
	if idem != nil {
		if err := tx.insertIdempotency(idem); err != nil {
			return err
		}
	}
	personID, err := tx.savePerson(a.OrgID, &a.Person)
	if err != nil {
		return err
	}
	// Exec rather than RETURNING: no Rows to allocate on the hot path.
	res, err := tx.st.insertApp.ExecContext(tx.ctx, a.Reference, a.ApplicantKey, a.OrgID, a.JobID, a.StageID,
		personID, c.tags, a.Origin, a.Referrer, a.CoverLetter, a.Comment, a.Archived, string(a.Source),
		a.CreatedByKey, a.OffererID, c.answers, c.nlGiven, c.nlAt, a.ResumeLink, a.RemoteResumeURL,
		a.RemotePortfolioURL, a.RemoteImageURL, ms(a.CreatedAt), ms(a.UpdatedAt), c.privacyAt)
	if err != nil {
		return storeError(err, "application reference or applicant key")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return storeError(err, "cannot store the application")
	}
	if n == 0 {
		var ref string
		if err := tx.st.existingReference.QueryRowContext(tx.ctx, a.JobID, personID).Scan(&ref); err != nil {
			return storeError(err, "cannot read the existing application")
		}
		return &intake.ApplicationExists{Reference: ref}
	}
	id, err := res.LastInsertId()
	if err != nil {
		return storeError(err, "cannot store the application")
	}
	for _, sl := range slots(a) {
		if d := *sl.doc; d != nil {
			if err := tx.saveDocument(id, sl.kind, d); err != nil {
				return err
			}
		}
	}
	a.ID, a.Person.ID, a.Person.OrgID = id, personID, a.OrgID
	return tx.insertEvents(a.ID, a.Events)
}

// Application finds an application of the organization by reference.
// Errors: ENotFound.
func (s *Store) Application(ctx context.Context, orgID int64, reference string) (*intake.Application, error) {
	return s.application(ctx, s.r.appByReference, orgID, reference)
}

// ApplicationByKey finds an application of the organization by Flatchr
// applicant key. Errors: ENotFound.
func (s *Store) ApplicationByKey(ctx context.Context, orgID int64, applicantKey string) (*intake.Application, error) {
	return s.application(ctx, s.r.appByKey, orgID, applicantKey)
}

func (s *Store) application(ctx context.Context, st *sql.Stmt, orgID int64, key string) (*intake.Application, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	a, err := scanApplication(st.QueryRowContext(ctx, orgID, key))
	if err != nil {
		return nil, s.readError(err, "application")
	}
	return a, nil
}
