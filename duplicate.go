package intake

import (
	"context"
	"errors"
)

// DuplicatePolicy says what a create does when the person already applied to
// the job: the vendors differ (spec welcomekit §9 #15, flatchr §12 #19).
type DuplicatePolicy int

// Duplicate policies.
const (
	// DuplicateReject fails with EInvalid on the email field (WelcomeKit).
	DuplicateReject DuplicatePolicy = iota
	// DuplicateMerge answers success with the existing application, whose
	// resume is replaced if one was sent (Flatchr).
	DuplicateMerge
)

// ApplicationExists is a store's refusal of a second application of one
// person to one job (Store.CreateApplication). It is an EConflict error to
// ErrorCodeOf, and carries the existing application's reference.
type ApplicationExists struct {
	Reference string
}

func (e *ApplicationExists) Error() string {
	return "conflict: the person already applied to this job as " + e.Reference
}

// Unwrap gives the EConflict *Error that ErrorCodeOf and ErrorMessage read.
func (e *ApplicationExists) Unwrap() error {
	return &Error{Code: EConflict, Message: "the person already applied to this job"}
}

// createFailed answers a store's refusal of a create: a concurrent request
// with the same idempotency key, or a person who already applied.
func (s *Service) createFailed(ctx context.Context, p *Principal, in *NewApplication, app *Application, err error) (*CreateResult, error) {
	if _, ok := errors.AsType[*IdempotencyKeyTaken](err); ok {
		// A concurrent request with the same key won the race: answer as
		// its retry would.
		rec, rerr := s.replay(ctx, p, in.Idempotency)
		if rerr != nil {
			return nil, rerr
		}
		if rec != nil {
			return &CreateResult{Replay: rec}, nil
		}
		return nil, err
	}
	exists, ok := errors.AsType[*ApplicationExists](err)
	if !ok {
		return nil, err
	}
	if in.OnDuplicate == DuplicateReject {
		return nil, FieldErrors(map[string]string{"email": "has already been taken for this job"})
	}
	existing, err := s.mergeDuplicate(ctx, p, exists.Reference, in, app.Resume)
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
	return s.UpdateApplication(ctx, p, ref, &ApplicationUpdate{Resume: staged, ResumeLink: &in.Application.ResumeLink})
}
