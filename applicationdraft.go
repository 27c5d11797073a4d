package intake

import "context"

// Draft is a create validated, its files fetched and staged, not stored
// yet: what PrepareApplication returns. The adapter renders its answer from
// Candidate (before the commit when the answer is to be kept with an
// idempotency key), then commits or discards the draft.
type Draft struct {
	// Candidate is the application as CommitApplication will store it.
	Candidate *Candidate
	// Replay is set when an earlier request with the same idempotency key
	// already created the candidate: send its status and body as they are.
	// Such a draft has nothing to commit.
	Replay *IdempotencyRecord

	p    *Principal
	in   *NewApplication
	done bool
}

// PrepareApplication validates a create and fetches and stages its files;
// nothing is stored until CommitApplication. A draft that is not committed
// must be discarded (DiscardApplication) to delete its staged files; Flatchr
// /test is such a dry run.
// Errors: EForbidden (scope), ENotFound (job), EInvalid naming every bad
// field, ETooLarge for a file over its cap, EConflict when an idempotency
// key is reused with another request.
func (s *Service) PrepareApplication(ctx context.Context, p *Principal, in *NewApplication) (*Draft, error) {
	if err := s.allowCreate(p, in); err != nil {
		return nil, err
	}
	if in.Idempotency != nil {
		rec, err := s.replay(ctx, p, in.Idempotency)
		if err != nil {
			return nil, err
		}
		if rec != nil {
			return &Draft{Replay: rec, done: true}, nil
		}
	}
	app, err := s.newApplication(p, in)
	if err != nil {
		return nil, err
	}
	if err := s.attachFiles(ctx, app, in.Resume, in.Portfolio, in.Avatar); err != nil {
		return nil, err
	}
	return &Draft{Candidate: &Candidate{Application: app, Job: in.Job, Org: p.Org}, p: p, in: in}, nil
}

// CommitApplication stores a prepared draft. answer is the dialect's answer
// to keep with the create's idempotency key, so that a retry gets the same
// bytes; nil when the create has no key. The draft is used up, whatever the
// outcome.
// Errors: EInvalid on the email when the person already applied to the job
// and the policy is DuplicateReject; EInternal when the draft was used
// already, or answer is missing for a create with a key.
func (s *Service) CommitApplication(ctx context.Context, d *Draft, answer *Response) (*CreateResult, error) {
	if d.done {
		return nil, Errorf(EInternal, "the draft was committed or discarded already")
	}
	d.done = true
	p, in, app := d.p, d.in, d.Candidate.Application
	var rec *IdempotencyRecord
	if in.Idempotency != nil {
		if answer == nil {
			s.discardDocuments(ctx, app)
			return nil, Errorf(EInternal, "a create with an idempotency key must be committed with its answer")
		}
		rec = &IdempotencyRecord{
			OrgID: p.Org.ID, KeyID: p.Key.ID, Key: in.Idempotency.Key,
			RequestHash: in.Idempotency.RequestHash, Status: answer.Status, Body: answer.Body,
			Reference: app.Reference, CreatedAt: app.CreatedAt,
		}
	}
	recordApplicant(app, EventNewApplicant, in.Job, p.Org, p, 0, app.CreatedAt)
	if err := s.store.CreateApplication(ctx, app, rec); err != nil {
		res, err := s.createFailed(ctx, p, in, app, err)
		if res != nil && res.Merged {
			// The merge moved the resume onto the existing application.
			app.Resume = nil
		}
		s.discardDocuments(ctx, app)
		return res, err
	}
	s.commitDocuments(ctx, app)
	return &CreateResult{Candidate: d.Candidate}, nil
}

// DiscardApplication drops a draft that will not be committed, deleting its
// staged files. It does nothing to a committed or discarded draft, so it may
// be deferred right after PrepareApplication.
func (s *Service) DiscardApplication(ctx context.Context, d *Draft) {
	if d == nil || d.done {
		return
	}
	d.done = true
	s.discardDocuments(ctx, d.Candidate.Application)
}
