package intake

import (
	"context"
	"strings"
)

// NewApplication is the input of a create.
type NewApplication struct {
	// Application is the application as the client describes it: person,
	// tags, origin, referrer, cover letter, comment, archived, source,
	// offerer, answers, resume link. A field added to Application reaches
	// the store from here without a copy. The Service sets every other
	// field (ids, reference, applicant key, organization, job, stage,
	// creator, consent, remote URLs, documents, times, events) whatever the
	// adapter left in them.
	Application Application
	Job         *Job   // resolved with JobByReference or JobByVacancy
	StageID     *int64 // nil: the job's first stage
	// Newsletter is the consent to the newsletter, when the client gave
	// or refused it; the Service dates it.
	Newsletter *bool
	// PrivacyConsent says the applicant agreed to the processing of their
	// data (the career site's form requires it); the Service dates it.
	PrivacyConsent bool
	Resume         *FileInput
	Portfolio      *FileInput
	Avatar         *FileInput
	OnDuplicate    DuplicatePolicy
	// Idempotency makes the create replayable under a key; the create then
	// goes through PrepareApplication and CommitApplication, which stores
	// the answer with it.
	Idempotency *IdempotencyRequest
}

// CreateResult is what a create did.
type CreateResult struct {
	Candidate *Candidate
	// Merged is set when the person had already applied and DuplicateMerge
	// returned the existing application.
	Merged bool
	// Replay is set when a concurrent request with the same idempotency key
	// created the candidate first: send its status and body as they are.
	Replay *IdempotencyRecord
}

// CreateApplication validates and stores a new application without an
// idempotency key: PrepareApplication and CommitApplication in one call.
// Errors: those of PrepareApplication and CommitApplication; EInternal
// when in has an idempotency key, whose answer it cannot store.
func (s *Service) CreateApplication(ctx context.Context, p *Principal, in *NewApplication) (*CreateResult, error) {
	if in.Idempotency != nil {
		return nil, Errorf(EInternal, "a create with an idempotency key must be committed with its answer")
	}
	d, err := s.PrepareApplication(ctx, p, in)
	if err != nil {
		return nil, err
	}
	return s.CommitApplication(ctx, d, nil)
}

// ValidateApplication checks a create as PrepareApplication would, without
// reading, downloading or storing anything: the principal's scope, the
// job's organization and every field. It lets an adapter report its own
// faults together with the Service's.
// Errors: EForbidden (scope), ENotFound (job), EInvalid naming every bad
// field.
func (s *Service) ValidateApplication(p *Principal, in *NewApplication) error {
	if err := s.allowCreate(p, in); err != nil {
		return err
	}
	_, err := s.newApplication(p, in)
	return err
}

// allowCreate checks the scope and that the job is the principal's.
func (s *Service) allowCreate(p *Principal, in *NewApplication) error {
	if err := p.Allow(ActionWrite); err != nil {
		return err
	}
	if in.Job == nil || in.Job.OrgID != p.Org.ID {
		return Errorf(ENotFound, "Job not found")
	}
	return nil
}

// newApplication validates in and builds the application to store: the
// client's fields of in.Application, normalized, and the Service's own.
// Errors: EInvalid naming every bad field.
func (s *Service) newApplication(p *Principal, in *NewApplication) (*Application, error) {
	f := fieldErrors{}
	c := &in.Application
	person := c.Person
	person.ID, person.OrgID = 0, p.Org.ID
	person.Email = strings.TrimSpace(person.Email)
	letter := c.Source == SourceFlatchr
	validName(f, "firstname", person.Firstname, letter)
	validName(f, "lastname", person.Lastname, letter)
	if person.Email != "" || c.Source == SourceWelcomeKit {
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
	tags := NormalizeTags(c.Tags)
	validTags(f, "tag_list", tags)
	validText(f, "origin", c.Origin, MaxShortText)
	validText(f, "referrer", c.Referrer, MaxURLLength)
	validText(f, "cover_letter", c.CoverLetter, MaxLongText)
	validText(f, "comment", c.Comment, MaxLongText)
	validURLish(f, "resume", c.ResumeLink)
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
	answers := resolveAnswers(f, in.Job, c.Answers, c.Source == SourceFlatchr)
	if err := f.err(); err != nil {
		return nil, err
	}
	now := s.Now()
	app := in.Application
	app.ID = 0
	app.Reference, app.ApplicantKey = NewCandidateReference(), NewApplicantKey()
	app.OrgID, app.JobID, app.StageID = p.Org.ID, in.Job.ID, stage.ID
	app.Person, app.Tags, app.Answers = person, tags, answers
	app.CreatedByKey = p.Key.ID
	app.Newsletter = nil
	if in.Newsletter != nil {
		app.Newsletter = &Consent{Given: *in.Newsletter, At: now}
	}
	app.PrivacyConsentAt = nil
	if in.PrivacyConsent {
		app.PrivacyConsentAt = &now
	}
	app.RemoteResumeURL, app.RemotePortfolioURL, app.RemoteImageURL = fileURL(in.Resume), fileURL(in.Portfolio), fileURL(in.Avatar)
	app.Resume, app.Portfolio, app.Avatar = nil, nil, nil
	app.CreatedAt, app.UpdatedAt = now, now
	app.Outbox = Outbox{}
	return &app, nil
}

// fileURL is the remote URL a file was given as; empty for none or bytes.
func fileURL(in *FileInput) string {
	if in == nil {
		return ""
	}
	return in.URL
}
