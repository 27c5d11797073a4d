package intake

import (
	"context"
	"slices"
	"strings"
)

// ActivityStore persists what happens to an application after it applied:
// moves, attached documents, comments, messages and traits. Every method
// takes the organization id; rows of another organization are never
// returned, and writes to them fail with ENotFound.
type ActivityStore interface {
	// JobMoves lists the moves whose job, before or after, is jobID, oldest
	// first, each with its application's Reference, and their total.
	JobMoves(ctx context.Context, orgID, jobID int64, offset, limit int) ([]Move, int, error)

	// CreateAttachments stores documents of one application in one
	// transaction, filling their ids. Errors: ENotFound (application).
	CreateAttachments(ctx context.Context, orgID int64, docs []*Attachment) error
	// Attachments lists an application's documents, oldest first, and their
	// total.
	Attachments(ctx context.Context, orgID, applicationID int64, offset, limit int) ([]*Attachment, int, error)

	// CreateComment stores a comment and fills its id. Errors: ENotFound
	// (application, or ReplyTo not a comment of the same application).
	CreateComment(ctx context.Context, c *Comment) error
	// Comments lists an application's comments, oldest first.
	Comments(ctx context.Context, orgID, applicationID int64) ([]*Comment, error)
	// DeleteComment removes a comment and returns it; replies to it keep
	// their ReplyTo. Errors: ENotFound.
	DeleteComment(ctx context.Context, orgID, applicationID, commentID int64) (*Comment, error)

	// CreateMessage stores a message and fills its id. Errors: ENotFound.
	CreateMessage(ctx context.Context, m *Message) error
	// SetMessageDelivery records the outcome of sending a message.
	// Errors: ENotFound.
	SetMessageDelivery(ctx context.Context, orgID, messageID int64, d Sending) error
	// Messages lists an application's messages, oldest first, and their
	// total.
	Messages(ctx context.Context, orgID, applicationID int64, offset, limit int) ([]*Message, int, error)

	// SaveTags upserts an organization's tag definitions by Key, filling
	// their ids; tags not listed are kept (traits may use them).
	SaveTags(ctx context.Context, orgID int64, tags []*Tag) error
	// Tags lists an organization's tags by position, then id.
	Tags(ctx context.Context, orgID int64) ([]*Tag, error)
	// SetTrait stores t (filling ID, Key and CreatedAt from what is
	// stored). Unless multiple, it replaces the application's trait of the
	// same tag; a trait with the same tag and value is returned as it is.
	// With addValue, the value is appended to the tag's values.
	// Errors: ENotFound (application or tag).
	SetTrait(ctx context.Context, t *Trait, multiple, addValue bool) error
	// Traits lists an application's traits, oldest first.
	Traits(ctx context.Context, orgID, applicationID int64) ([]*Trait, error)
}

// ActivityConfig wires the collaborators of the activity rules.
type ActivityConfig struct {
	// Markdown renders comment text to safe HTML (raw HTML escaped).
	// Without it comments are stored as escaped text in paragraphs.
	Markdown func(src string) (string, error)
	// Mailer sends messages; nil stores them as not sent.
	Mailer Mailer
	// MailFrom is the sender address of messages that carry none (Flatchr
	// messages); see Mailer.
	MailFrom string
}

// CandidateRef names an application the way a dialect does: WelcomeKit by
// Reference, Flatchr by ApplicantKey.
type CandidateRef struct {
	Reference    string
	ApplicantKey string
}

// RequireScopes checks that the principal's key carries, for each group,
// at least one of its scopes (WelcomeKit endpoints such as POST /comments
// need comments_w and a candidates scope). Errors: EForbidden naming the
// first group missing.
func (p *Principal) RequireScopes(groups ...[]Scope) error {
	for _, g := range groups {
		if !slices.ContainsFunc(g, p.Key.Has) {
			names := make([]string, len(g))
			for i, s := range g {
				names[i] = string(s)
			}
			return Errorf(EForbidden, "this endpoint requires one of the scopes %s", strings.Join(names, ", "))
		}
	}
	return nil
}

// Scope groups of the activity endpoints (spec welcomekit §1 Scopes).
var (
	ScopesCandidateRead  = []Scope{ScopeCandidatesR, ScopeCandidatesRW, ScopeMyCandidatesR, ScopeMyCandidatesRW}
	ScopesCandidateWrite = []Scope{ScopeCandidatesRW, ScopeMyCandidatesRW}
	ScopesDocumentsRead  = []Scope{"documents_r", "documents_rw"}
	ScopesDocumentsWrite = []Scope{"documents_rw"}
	ScopesEmailsRead     = []Scope{"emails_r", "emails_rw"}
	ScopesEmailsWrite    = []Scope{"emails_rw"}
	ScopesCommentsWrite  = []Scope{"comments_w"}
	ScopesMovesRead      = []Scope{"moves_r"}
)

// activityTarget finds the application an activity call is about, visible
// to the principal: write asks for a candidates write scope, read for any
// candidates scope; my_candidates_* keys see only their own.
// Errors: EForbidden, ENotFound.
func (s *Service) activityTarget(ctx context.Context, p *Principal, ref CandidateRef, write bool) (*Candidate, error) {
	ok, own := p.canRead()
	if write {
		ok, own = p.canWrite()
	}
	if !ok {
		if write {
			return nil, p.Allow(ActionWrite)
		}
		return nil, p.Allow(ActionRead)
	}
	var (
		app *Application
		err error
	)
	switch {
	case ref.ApplicantKey != "":
		app, err = s.store.ApplicationByKey(ctx, p.Org.ID, ref.ApplicantKey)
	case ref.Reference != "":
		app, err = s.store.Application(ctx, p.Org.ID, ref.Reference)
	default:
		err = Errorf(ENotFound, "Candidate not found")
	}
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

// Page is a slice of a list: Offset rows skipped, at most Limit returned.
type Page struct {
	Offset, Limit int
}

// MaxPerPage caps a list page.
const MaxPerPage = 100

func (pg Page) clamp() Page {
	if pg.Limit <= 0 || pg.Limit > MaxPerPage {
		pg.Limit = MaxPerPage
	}
	if pg.Offset < 0 {
		pg.Offset = 0
	}
	return pg
}

// author names who writes a comment or message: the signed-in user, else
// the API key (by its name). keyID is the principal's key id, which for a
// user is its negated user id (see userPrincipal).
func author(p *Principal) (name string, keyID int64) {
	if u := p.User; u != nil {
		return strings.TrimSpace(u.Firstname + " " + u.Lastname), p.Key.ID
	}
	if u := p.Owner; u != nil {
		return strings.TrimSpace(u.Firstname + " " + u.Lastname), p.Key.ID
	}
	return p.Key.Name, p.Key.ID
}
