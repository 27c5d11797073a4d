package intake

import (
	"context"
	"time"
)

// Source names the channel an application arrived through.
type Source string

// Sources.
const (
	SourceWelcomeKit Source = "welcomekit"
	SourceFlatchr    Source = "flatchr"
	SourceDashboard  Source = "dashboard"
)

// Application is a person applying to a job, sitting at one stage. It is what
// WelcomeKit calls a candidate and Flatchr an applicant.
type Application struct {
	ID int64
	// Reference is the WelcomeKit candidate reference (`wttj-` + 24 hex).
	Reference string
	// ApplicantKey is the Flatchr encoded applicant id (16 base62).
	ApplicantKey string
	OrgID        int64
	JobID        int64
	StageID      int64
	Person       Person
	Tags         []string
	Origin       string
	Referrer     string
	CoverLetter  string
	// Comment is the free text sent with the application (WelcomeKit
	// `comment`, Flatchr `comment`).
	Comment  string
	Archived bool
	Source   Source
	// CreatedByKey is the id of the API key that created it (0 for the
	// dashboard); `my_candidates_*` scopes only see their own.
	CreatedByKey int64
	// OffererID is the Flatchr source (job board) id; 0 when none.
	OffererID int64
	Answers   []Answer
	// Newsletter is the Flatchr legalNewsletterPartners consent, with the
	// time it was given or refused; nil when the client said nothing.
	Newsletter *Consent
	// PrivacyConsentAt is when the applicant agreed to the processing of
	// their data on the career site's form; nil when no form asked.
	PrivacyConsentAt *time.Time
	// ResumeLink is the URL a Flatchr `type=link` resume was given as.
	ResumeLink string
	// Remote URLs as given by WelcomeKit clients, kept for audit.
	RemoteResumeURL    string
	RemotePortfolioURL string
	RemoteImageURL     string
	Resume             *Document
	Portfolio          *Document
	Avatar             *Document
	CreatedAt          time.Time
	UpdatedAt          time.Time
	// Actor names who makes the change being written (UpdateApplication
	// sets it); it is recorded on the change's moves, never stored with
	// the application nor sent in events.
	Actor string `json:"-"`
	// Outbox holds the events to append with the next write of the
	// application.
	Outbox
}

// Consent records a yes/no decision and when it was made.
type Consent struct {
	Given bool
	At    time.Time
}

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
