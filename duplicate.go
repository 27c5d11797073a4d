package intake

import (
	"context"
)

// DuplicatePolicy says what a create does when the person already applied to
// the job: the vendors differ (spec welcomekit §9 #15, flatchr §12 #19).
type DuplicatePolicy int

func (s *Service) createFailed(ctx context.Context, p *Principal, in *NewApplication, app *Application, err error) (*CreateResult, error) {
	fields := ErrorFields(err)
	if ErrorCodeOf(err) != EConflict || fields == nil {
		return nil, err
	}
	if _, ok := fields["idempotency_key"]; ok {
		// A concurrent request with the same key won the race: answer as
		// its retry would.
		res, rerr := s.replay(ctx, p, in.Idempotency)
		if rerr != nil || res != nil {
			return res, rerr
		}
		return nil, err
	}
	ref, ok := fields["reference"]
	if !ok {
		return nil, err
	}
	if in.OnDuplicate == DuplicateReject {
		return nil, FieldErrors(map[string]string{"email": "has already been taken for this job"})
	}
	existing, err := s.mergeDuplicate(ctx, p, ref, in, app.Resume)
	if err != nil {
		return nil, err
	}
	return &CreateResult{Candidate: existing, Merged: true}, nil
}

// mergeDuplicate replaces the resume of an existing application with the
// one already staged for the failed create (Flatchr's idempotent re-apply)
// and returns the application.
func (s *Service) mergeDuplicate(ctx context.Context, p *Principal, ref string, in *NewApplication, resume *Document) (*Candidate, error) {
	app, err := s.store.Application(ctx, p.Org.ID, ref)
	if err != nil {
		return nil, err
	}
	if _, own := p.canWrite(); own && app.CreatedByKey != p.Key.ID {
		// A my_candidates_* key must not see, nor change, another key's
		// candidate: it learns only what a WelcomeKit duplicate says.
		return nil, FieldErrors(map[string]string{"email": "has already applied to this job"})
	}
	if resume == nil {
		return &Candidate{Application: app, Job: in.Job, Org: p.Org}, nil
	}
	staged := &FileInput{
		URL:      resume.SourceURL,
		FileName: resume.FileName,
		Staged:   &Blob{Key: resume.BlobKey, Size: resume.Size, SHA256: resume.SHA256, ContentType: resume.ContentType},
	}
	return s.UpdateApplication(ctx, p, ref, &ApplicationUpdate{Resume: staged, ResumeLink: &in.ResumeLink})
}
