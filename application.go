package intake

import (
	"context"
	"strings"
	"time"
)

// Candidate is an application with the job and organization a dialect needs
// to render it.
type Candidate struct {
	*Application
	Job *Job
	Org *Org
}

// Stage returns the stage the application sits in.
func (c *Candidate) Stage() (Stage, bool) { return c.Job.StageByID(c.StageID) }

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

// FileInput is a document sent with a create or update: either a remote URL
// the service downloads, or bytes the adapter already staged in the
// BlobStore while decoding the request.
type FileInput struct {
	URL      string
	Staged   *Blob
	FileName string
}

// IdempotencyRequest asks CreateApplication to make the create replayable.
// Render produces the dialect's response for the new candidate; it is stored
// with the candidate in the same transaction.
type IdempotencyRequest struct {
	Key         string
	RequestHash string
	Render      func(*Candidate) (status int, body []byte, err error)
}

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
	// PrivacyConsent says the applicant agreed to the processing of their
	// data (the career site's form requires it); its time is recorded.
	PrivacyConsent bool
	ResumeLink     string
	Resume         *FileInput
	Portfolio      *FileInput
	Avatar         *FileInput
	OnDuplicate    DuplicatePolicy
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

// replay answers a create whose idempotency key was seen before.
func (s *Service) replay(ctx context.Context, p *Principal, req *IdempotencyRequest) (*CreateResult, error) {
	if req.Key == "" || len(req.Key) > MaxIdempotencyKey {
		return nil, FieldErrors(map[string]string{"Idempotency-Key": "must be 1 to 255 characters"})
	}
	rec, err := s.store.Idempotency(ctx, p.Org.ID, p.Key.ID, req.Key)
	switch {
	case ErrorCodeOf(err) == ENotFound:
		return nil, nil
	case err != nil:
		return nil, err
	case rec.RequestHash != req.RequestHash:
		return nil, Errorf(EConflict, "Idempotency-Key was already used with a different request")
	}
	return &CreateResult{Replay: rec}, nil
}

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
	if in.PrivacyConsent {
		app.PrivacyConsentAt = &now
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

// resolveAnswers matches answers to the job's questions, by id then by exact
// text (spec flatchr §2 Answers); unmatched answers are kept as free
// answers. With enforceRequired, required questions left unanswered are
// reported.
func resolveAnswers(f fieldErrors, job *Job, in []Answer, enforceRequired bool) []Answer {
	if len(in) > MaxAnswers {
		f.add("answers", "has too many answers")
		return nil
	}
	out := make([]Answer, 0, len(in))
	answered := map[string]bool{}
	for _, a := range in {
		validText(f, "answers", a.Value, MaxAnswerLength)
		validText(f, "answers", a.Question, MaxAnswerLength)
		q, ok := questionFor(job, a.Question)
		if ok {
			a.QuestionID = q.ID
			blank := strings.TrimSpace(a.Value) == ""
			if !blank {
				answered[q.ID] = true
			}
			if !blank && len(q.Options) > 0 && !optionsAllow(q.Options, a.Value) {
				f.add("answers", "value "+quote(a.Value)+" is not an option of question "+quote(q.ID))
			}
		}
		out = append(out, a)
	}
	for _, q := range job.Questions {
		if enforceRequired && q.Required && !answered[q.ID] {
			f.add("answers", "question "+quote(q.ID)+" is required")
		}
	}
	return out
}

func questionFor(job *Job, question string) (Question, bool) {
	for _, q := range job.Questions {
		if q.ID == question {
			return q, true
		}
	}
	for _, q := range job.Questions {
		if q.Text == question {
			return q, true
		}
	}
	return Question{}, false
}

// optionsAllow checks a value, possibly several `;`-separated ones, against
// a question's options.
func optionsAllow(options []string, value string) bool {
	for v := range strings.SplitSeq(value, ";") {
		v = strings.TrimSpace(v)
		found := false
		for _, o := range options {
			if o == v {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func quote(s string) string { return "\"" + s + "\"" }

// Application returns one application visible to the principal.
// Errors: EForbidden (scope), ENotFound (unknown, other org, or another key's
// under my_candidates_*).
func (s *Service) Application(ctx context.Context, p *Principal, reference string) (*Candidate, error) {
	ok, own := p.canRead()
	if !ok {
		return nil, p.Allow(ActionRead)
	}
	app, err := s.store.Application(ctx, p.Org.ID, reference)
	if err != nil {
		return nil, notFound(err)
	}
	if own && app.CreatedByKey != p.Key.ID {
		return nil, Errorf(ENotFound, "Candidate not found")
	}
	job, err := s.job(ctx, p.Org.ID, app.JobID)
	if err != nil {
		return nil, err
	}
	return &Candidate{Application: app, Job: job, Org: p.Org}, nil
}

func notFound(err error) error {
	if ErrorCodeOf(err) == ENotFound {
		return Errorf(ENotFound, "Candidate not found")
	}
	return err
}

// ApplicationQuery is a list request; the job is required (WelcomeKit lists
// per job).
type ApplicationQuery struct {
	Job            *Job
	Email          *string
	Origin         *string
	Referrer       *string
	StageID        *int64
	StageReference *string
	Archived       *bool
	CreatedAfter   *time.Time
	UpdatedAfter   *time.Time
	Offset, Limit  int
}

// Applications lists the applications of a job visible to the principal and
// the total count. Errors: EForbidden (scope), ENotFound (job).
func (s *Service) Applications(ctx context.Context, p *Principal, q ApplicationQuery) ([]*Candidate, int, error) {
	ok, own := p.canRead()
	if !ok {
		return nil, 0, p.Allow(ActionRead)
	}
	if q.Job == nil || q.Job.OrgID != p.Org.ID {
		return nil, 0, Errorf(ENotFound, "Job not found")
	}
	f := ApplicationFilter{
		OrgID: p.Org.ID, JobID: &q.Job.ID, Email: q.Email, Origin: q.Origin,
		Referrer: q.Referrer, StageID: q.StageID, Archived: q.Archived,
		CreatedAfter: q.CreatedAfter, UpdatedAfter: q.UpdatedAfter,
		Offset: q.Offset, Limit: q.Limit,
	}
	if own {
		f.CreatedByKey = &p.Key.ID
	}
	if q.StageReference != nil {
		st, ok := q.Job.StageByReference(*q.StageReference)
		if !ok || (q.StageID != nil && *q.StageID != st.ID) {
			return []*Candidate{}, 0, nil
		}
		f.StageID = &st.ID
	}
	apps, total, err := s.store.Applications(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	out := make([]*Candidate, len(apps))
	for i, a := range apps {
		out[i] = &Candidate{Application: a, Job: q.Job, Org: p.Org}
	}
	return out, total, nil
}

// ApplicationUpdate changes an application; nil fields are left as they are.
type ApplicationUpdate struct {
	StageID     *int64
	Email       *string
	Firstname   *string
	Lastname    *string
	Subtitle    *string
	Phone       *string
	CoverLetter *string
	Tags        *[]string
	Archived    *bool
	// Media sets the given networks; an empty value removes one.
	Media      map[string]string
	ResumeLink *string
	Resume     *FileInput
	Portfolio  *FileInput
	Avatar     *FileInput
}

// UpdateApplication applies upd to an application visible to the principal.
// Errors: EForbidden (scope), ENotFound, EInvalid naming every bad field.
func (s *Service) UpdateApplication(ctx context.Context, p *Principal, reference string, upd *ApplicationUpdate) (*Candidate, error) {
	ok, own := p.canWrite()
	if !ok {
		return nil, p.Allow(ActionWrite)
	}
	current, err := s.Application(ctx, p, reference)
	if err != nil {
		return nil, err
	}
	if own && current.CreatedByKey != p.Key.ID {
		return nil, Errorf(ENotFound, "Candidate not found")
	}
	if err := s.validateUpdate(current.Job, upd); err != nil {
		return nil, err
	}
	files := &Application{}
	if err := s.attachFiles(ctx, files, upd.Resume, upd.Portfolio, upd.Avatar); err != nil {
		return nil, err
	}
	now := s.Now()
	// The replaced documents are those of the row as the store's
	// transaction sees it: a concurrent update may have replaced them since
	// current was read.
	var replaced []*Document
	app, err := s.store.UpdateApplication(ctx, p.Org.ID, reference, func(a *Application) error {
		if own && a.CreatedByKey != p.Key.ID {
			return Errorf(ENotFound, "Candidate not found")
		}
		before := *a
		applyUpdate(a, upd, files, now)
		replaced = replacedDocuments(&before, a)
		return nil
	})
	if err != nil {
		s.discardDocuments(ctx, files)
		if ErrorCodeOf(err) == EConflict {
			return nil, FieldErrors(map[string]string{"email": "has already been taken"})
		}
		return nil, notFound(err)
	}
	s.commitDocuments(ctx, files)
	for _, d := range replaced {
		s.discardBlob(ctx, d.BlobKey)
	}
	return &Candidate{Application: app, Job: current.Job, Org: p.Org}, nil
}

func (s *Service) validateUpdate(job *Job, upd *ApplicationUpdate) error {
	f := fieldErrors{}
	if upd.StageID != nil {
		if _, ok := job.StageByID(*upd.StageID); !ok {
			f.add("job_stage_id", "is not a stage of this job")
		}
	}
	if upd.Email != nil {
		*upd.Email = strings.TrimSpace(*upd.Email)
		validEmail(f, "email", *upd.Email)
	}
	if upd.Firstname != nil {
		validName(f, "firstname", *upd.Firstname, false)
	}
	if upd.Lastname != nil {
		validName(f, "lastname", *upd.Lastname, false)
	}
	if upd.Subtitle != nil {
		validText(f, "subtitle", *upd.Subtitle, MaxShortText)
	}
	if upd.Phone != nil && len(*upd.Phone) > MaxPhoneLength {
		f.add("phone", "is too long (maximum is 50 characters)")
	}
	if upd.CoverLetter != nil {
		validText(f, "cover_letter", *upd.CoverLetter, MaxLongText)
	}
	if upd.Tags != nil {
		*upd.Tags = NormalizeTags(*upd.Tags)
		validTags(f, "tag_list", *upd.Tags)
	}
	validMedia(f, "media_", upd.Media)
	for field, file := range map[string]*FileInput{"remote_resume_url": upd.Resume, "remote_portfolio_url": upd.Portfolio, "remote_image_url": upd.Avatar} {
		if file != nil && file.Staged == nil {
			validURL(f, field, file.URL)
		}
	}
	return f.err()
}

func applyUpdate(a *Application, upd *ApplicationUpdate, files *Application, now time.Time) {
	setIf(&a.StageID, upd.StageID)
	setIf(&a.Person.Email, upd.Email)
	setIf(&a.Person.Firstname, upd.Firstname)
	setIf(&a.Person.Lastname, upd.Lastname)
	setIf(&a.Person.Subtitle, upd.Subtitle)
	setIf(&a.Person.Phone, upd.Phone)
	setIf(&a.CoverLetter, upd.CoverLetter)
	setIf(&a.Tags, upd.Tags)
	setIf(&a.Archived, upd.Archived)
	setIf(&a.ResumeLink, upd.ResumeLink)
	if len(upd.Media) > 0 {
		media := make(map[string]string, len(a.Person.Media)+len(upd.Media))
		for k, v := range a.Person.Media {
			media[k] = v
		}
		for k, v := range upd.Media {
			if v == "" {
				delete(media, k)
			} else {
				media[k] = v
			}
		}
		a.Person.Media = media
	}
	if files.Resume != nil {
		a.Resume, a.RemoteResumeURL = files.Resume, upd.Resume.URL
	}
	if files.Portfolio != nil {
		a.Portfolio, a.RemotePortfolioURL = files.Portfolio, upd.Portfolio.URL
	}
	if files.Avatar != nil {
		a.Avatar, a.RemoteImageURL = files.Avatar, upd.Avatar.URL
	}
	a.UpdatedAt = now
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// IdempotencyTTL is how long an Idempotency-Key is remembered.
const IdempotencyTTL = 24 * time.Hour

// PurgeIdempotency forgets idempotency keys older than IdempotencyTTL and
// returns how many it dropped.
func (s *Service) PurgeIdempotency(ctx context.Context) (int, error) {
	return s.store.PurgeIdempotency(ctx, s.now().Add(-IdempotencyTTL))
}
