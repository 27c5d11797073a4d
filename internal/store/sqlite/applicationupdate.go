package sqlite

import (
	"context"
	"intake"
)

// UpdateApplication loads the application in the writer's transaction, lets
// fn change it and saves it, all in one savepoint: nothing is written when
// fn fails. fn runs on the writer goroutine, so it must be quick and must
// not call the Store's write methods (they would wait for it forever); a
// panic in fn is re-raised in the caller. Identity fields (ids, reference, applicant key, org, job,
// source, creator, creation time) are kept whatever fn does. The person is
// updated for all its applications; a stage change records a move dated
// UpdatedAt; documents are saved as fn leaves them (nil removes one).
// Errors: ENotFound, fn's error, EConflict when the new email is another
// person's.
func (s *Store) UpdateApplication(ctx context.Context, orgID int64, reference string, fn func(*intake.Application) error) (*intake.Application, error) {
	var out *intake.Application
	err := s.w.do(ctx, func(tx *wtx) error {
		var err error
		out, err = tx.updateApplication(orgID, reference, fn)
		return err
	})
	if err != nil {
		return nil, err
	}
	out.Events = nil
	return out, nil
}

func (tx *wtx) updateApplication(orgID int64, reference string, fn func(*intake.Application) error) (*intake.Application, error) {
	a, err := scanApplication(tx.st.appByReference.QueryRowContext(tx.ctx, orgID, reference))
	if err != nil {
		return nil, notFound(err, "application")
	}
	before := *a
	var docs [3]*intake.Document
	for i, sl := range slots(a) {
		if d := *sl.doc; d != nil {
			c := *d
			docs[i] = &c
		}
	}
	if err := fn(a); err != nil {
		return nil, err
	}
	a.ID, a.Reference, a.ApplicantKey, a.OrgID, a.JobID = before.ID, before.Reference, before.ApplicantKey, before.OrgID, before.JobID
	a.Source, a.CreatedByKey, a.CreatedAt = before.Source, before.CreatedByKey, before.CreatedAt
	a.Person.ID, a.Person.OrgID = before.Person.ID, before.OrgID

	if err := tx.updatePerson(&a.Person); err != nil {
		return nil, err
	}
	c, err := encodeApplication(a)
	if err != nil {
		return nil, storeError(err, "cannot encode the application")
	}
	_, err = tx.st.updateApp.ExecContext(tx.ctx, a.StageID, c.tags, a.Origin, a.Referrer, a.CoverLetter,
		a.Comment, a.Archived, a.OffererID, c.answers, c.nlGiven, c.nlAt, a.ResumeLink, a.RemoteResumeURL,
		a.RemotePortfolioURL, a.RemoteImageURL, ms(a.UpdatedAt), a.ID)
	if err != nil {
		return nil, storeError(err, "cannot update the application")
	}
	for _, m := range intake.MovesOf(&before, a) {
		if _, err := tx.st.insertMove.ExecContext(tx.ctx, a.ID, m.FromStageID, m.ToStageID,
			m.FromJobID, m.ToJobID, string(m.Kind), ms(m.CreatedAt), m.Actor); err != nil {
			return nil, storeError(err, "cannot record the move")
		}
	}
	for i, sl := range slots(a) {
		d := *sl.doc
		switch {
		case d == nil && docs[i] != nil:
			err = tx.deleteDocument(a.ID, sl.kind)
		case d != nil && (docs[i] == nil || *d != *docs[i]):
			err = tx.saveDocument(a.ID, sl.kind, d)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := tx.insertEvents(a.ID, a.Events); err != nil {
		return nil, err
	}
	return a, nil
}
