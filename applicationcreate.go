package intake

import (
	"context"
	"strings"
)

// Duplicate policies.
const (
	// DuplicateReject fails with EInvalid on the email field (WelcomeKit).
	DuplicateReject DuplicatePolicy = iota
	// DuplicateMerge answers success with the existing application, whose
	// resume is replaced if one was sent (Flatchr).
	DuplicateMerge
)

// NewApplication is the input of CreateApplication.
type NewApplication struct {
	Job         *Job   // resolved with JobByReference or JobByVacancy
	StageID     *int64 // nil: the job's first stage
	Person      Person
	Tags        []string
	Origin      string
	Referrer    string
	CoverLetter string
	Comment     string
	Archived    bool
	Source      Source
	OffererID   int64
	Answers     []Answer
	Newsletter  *bool
	ResumeLink  string
	Resume      *FileInput
	Portfolio   *FileInput
	Avatar      *FileInput
	OnDuplicate DuplicatePolicy
	// DryRun validates everything, downloads and type-checks files, then
	// stores nothing (Flatchr /test).
	DryRun      bool
	Idempotency *IdempotencyRequest
}

// CreateResult is what CreateApplication did.
type CreateResult struct {
	Candidate *Candidate
	// Merged is set when the person had already applied and DuplicateMerge
	// returned the existing application.
	Merged bool
	// Replay is set when an earlier request with the same idempotency key
	// already created the candidate: send its status and body as they are.
	Replay *IdempotencyRecord
}

// CreateApplication validates and stores a new application.
// Errors: EForbidden (scope), EInvalid naming every bad field, ETooLarge for
// a file over its cap, EConflict when an idempotency key is reused with
// another body.
func (s *Service) CreateApplication(ctx context.Context, p *Principal, in *NewApplication) (*CreateResult, error) {
	if err := p.Allow(ActionWrite); err != nil {
		return nil, err
	}
	if in.Job == nil || in.Job.OrgID != p.Org.ID {
		return nil, Errorf(ENotFound, "Job not found")
	}
	if in.Idempotency != nil {
		if res, err := s.replay(ctx, p, in.Idempotency); res != nil || err != nil {
			return res, err
		}
	}
	app, err := s.newApplication(p, in)
	if err != nil {
		return nil, err
	}
	if err := s.attachFiles(ctx, app, in.Resume, in.Portfolio, in.Avatar); err != nil {
		return nil, err
	}
	cand := &Candidate{Application: app, Job: in.Job, Org: p.Org}
	if in.DryRun {
		s.discardDocuments(ctx, app)
		return &CreateResult{Candidate: cand}, nil
	}
	var rec *IdempotencyRecord
	if in.Idempotency != nil {
		status, body, err := in.Idempotency.Render(cand)
		if err != nil {
			s.discardDocuments(ctx, app)
			return nil, err
		}
		rec = &IdempotencyRecord{
			OrgID: p.Org.ID, KeyID: p.Key.ID, Key: in.Idempotency.Key,
			RequestHash: in.Idempotency.RequestHash, Status: status, Body: body,
			Reference: app.Reference, CreatedAt: app.CreatedAt,
		}
	}
	recordApplicant(app, EventNewApplicant, in.Job, p.Org, p, 0, app.CreatedAt)
	err = s.store.CreateApplication(ctx, app, rec)
	if err != nil {
		res, err := s.createFailed(ctx, p, in, app, err)
		if res != nil && res.Merged {
			// The merge moved the resume onto the existing application.
			app.Resume = nil
		}
		s.discardDocuments(ctx, app)
		return res, err
	}
	s.commitDocuments(ctx, app)
	return &CreateResult{Candidate: cand}, nil
}

func (s *Service) newApplication(p *Principal, in *NewApplication) (*Application, error) {
	f := fieldErrors{}
	person := in.Person
	person.OrgID = p.Org.ID
	person.Email = strings.TrimSpace(person.Email)
	letter := in.Source == SourceFlatchr
	validName(f, "firstname", person.Firstname, letter)
	validName(f, "lastname", person.Lastname, letter)
	if person.Email != "" || in.Source == SourceWelcomeKit {
		if person.Email == "" {
			f.add("email", "can't be blank")
		} else {
			validEmail(f, "email", person.Email)
		}
	}
	if person.Civility != "" {
		if c, ok := NormalizeCivility(person.Civility); ok {
			person.Civility = c
		} else {
			f.add("civility", "is not included in the list (Mr, Ms)")
		}
	}
	if len(person.Phone) > MaxPhoneLength {
		f.add("phone", "is too long (maximum is 50 characters)")
	}
	validText(f, "subtitle", person.Subtitle, MaxShortText)
	validMedia(f, "media_", person.Media)
	tags := NormalizeTags(in.Tags)
	validTags(f, "tag_list", tags)
	validText(f, "origin", in.Origin, MaxShortText)
	validText(f, "referrer", in.Referrer, MaxURLLength)
	validText(f, "cover_letter", in.CoverLetter, MaxLongText)
	validText(f, "comment", in.Comment, MaxLongText)
	validURLish(f, "resume", in.ResumeLink)
	for _, remote := range [...]struct {
		field string
		file  *FileInput
	}{{"remote_resume_url", in.Resume}, {"remote_portfolio_url", in.Portfolio}, {"remote_image_url", in.Avatar}} {
		if remote.file != nil && remote.file.Staged == nil {
			validURL(f, remote.field, remote.file.URL)
		}
	}
	stage, ok := in.Job.FirstStage()
	if in.StageID != nil {
		stage, ok = in.Job.StageByID(*in.StageID)
		if !ok {
			f.add("job_stage_id", "is not a stage of this job")
		}
	} else if !ok {
		f.add("job_stage_id", "is required: the job has no stages")
	}
	// Screening questions are a Flatchr form's: WelcomeKit has no answers
	// parameter, so its clients cannot be held to required questions.
	answers := resolveAnswers(f, in.Job, in.Answers, in.Source == SourceFlatchr)
	if err := f.err(); err != nil {
		return nil, err
	}
	now := s.Now()
	app := &Application{
		Reference:    NewCandidateReference(),
		ApplicantKey: NewApplicantKey(),
		OrgID:        p.Org.ID,
		JobID:        in.Job.ID,
		StageID:      stage.ID,
		Person:       person,
		Tags:         tags,
		Origin:       in.Origin,
		Referrer:     in.Referrer,
		CoverLetter:  in.CoverLetter,
		Comment:      in.Comment,
		Archived:     in.Archived,
		Source:       in.Source,
		CreatedByKey: p.Key.ID,
		OffererID:    in.OffererID,
		Answers:      answers,
		ResumeLink:   in.ResumeLink,
		CreatedAt:    now,
		UpdatedAt:    now,
	}
	if in.Newsletter != nil {
		app.Newsletter = &Consent{Given: *in.Newsletter, At: now}
	}
	if in.Resume != nil {
		app.RemoteResumeURL = in.Resume.URL
	}
	if in.Portfolio != nil {
		app.RemotePortfolioURL = in.Portfolio.URL
	}
	if in.Avatar != nil {
		app.RemoteImageURL = in.Avatar.URL
	}
	return app, nil
}
