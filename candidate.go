package intake

import "time"

// Source names the channel an application arrived through.
type Source string

// Sources.
const (
	SourceWelcomeKit Source = "welcomekit"
	SourceFlatchr    Source = "flatchr"
	SourceDashboard  Source = "dashboard"
)

// Person is a human applicant within one organization. Applications of the
// same email in one organization share a person.
type Person struct {
	ID        int64
	OrgID     int64
	Email     string // as given; matched case-insensitively
	Firstname string
	Lastname  string
	Civility  string // "Mr", "Ms" or empty
	Phone     string
	Subtitle  string
	// Media holds profile links by network: website, github, linkedin, …
	// Flatchr's urls.other is kept under "other".
	Media map[string]string
}

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
}

// Answer is a reply to a screening question or a candidate tag.
type Answer struct {
	QuestionID string // resolved question id; empty for a free answer
	Question   string // question text or id as sent
	Value      string
}

// Consent records a yes/no decision and when it was made.
type Consent struct {
	Given bool
	At    time.Time
}

// DocumentKind says what a stored file is for.
type DocumentKind string

// Document kinds.
const (
	DocResume    DocumentKind = "resume"
	DocPortfolio DocumentKind = "portfolio"
	DocAvatar    DocumentKind = "avatar"
)

// Document is a file attached to an application, stored in the BlobStore.
type Document struct {
	Kind        DocumentKind
	BlobKey     string
	FileName    string
	ContentType string // sniffed from the bytes, never taken from the client
	Size        int64
	SHA256      string // hex
	SourceURL   string // where it was fetched from, if it was
	CreatedAt   time.Time
}

// Move records a stage, job or archive change of an application
// (WelcomeKit moves). Stage and job ids are kept as they were: a move
// outlives a removed stage.
type Move struct {
	ID            int64
	ApplicationID int64
	FromStageID   int64
	ToStageID     int64
	FromJobID     int64
	ToJobID       int64
	Kind          MoveKind
	CreatedAt     time.Time
	// Reference is the application's WelcomeKit reference, filled by
	// JobMoves.
	Reference string
}

// ApplicationFilter selects applications of one organization. Nil pointers
// do not filter.
type ApplicationFilter struct {
	OrgID        int64
	JobID        *int64
	Email        *string // case-insensitive exact match
	Origin       *string
	Referrer     *string
	StageID      *int64
	Archived     *bool
	CreatedAfter *time.Time // strictly after
	UpdatedAfter *time.Time // strictly after
	CreatedByKey *int64
	Offset       int
	Limit        int // 0 means no rows, only the total
}

// WholeJob reports whether f selects every application of one job, whose
// total the stores keep rather than count.
func (f ApplicationFilter) WholeJob() bool {
	return f.JobID != nil && f.Email == nil && f.Origin == nil && f.Referrer == nil && f.StageID == nil &&
		f.Archived == nil && f.CreatedAfter == nil && f.UpdatedAfter == nil && f.CreatedByKey == nil
}

// IdempotencyRecord remembers the response to a create so that a retry with
// the same Idempotency-Key replays it instead of creating again.
type IdempotencyRecord struct {
	OrgID       int64
	KeyID       int64 // the API key that sent it: keys are scoped per API key
	Key         string
	RequestHash string // hex SHA-256 of the canonical request
	Status      int
	Body        []byte
	Reference   string
	CreatedAt   time.Time
}
