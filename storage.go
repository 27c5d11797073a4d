package intake

import (
	"context"
	"time"
)

// Store persists the domain. Every tenant query takes the organization id
// explicitly; a row of another organization is reported as ENotFound, never
// returned. Implementations must pass storetest.Run.
//
// A successful write is durable (fsync'd) before the method returns.
type Store interface {
	ActivityStore
	EventStore
	WebhookStore
	JobStore
	UserStore
	PasswordLinkStore
	ApplicantStore
	FindStore

	// SaveWorld upserts organizations by Reference, keys by Hash, jobs by
	// (org, Reference) and stages by ID (stages with ID 0 by name within
	// their job, else inserted with a new ID), all in one transaction. Stage
	// order is Position. Stages not listed are removed unless applications
	// sit in them; questions are replaced.
	// It fills in the ids and timestamps of the values it was given, from
	// what is stored. Re-applying never un-revokes a revoked key.
	// Errors: EConflict when an id or reference is taken by another
	// organization or job; EInvalid when a stage in use would be removed.
	SaveWorld(ctx context.Context, orgs []WorldOrg) error

	// Orgs lists every organization, by name.
	Orgs(ctx context.Context) ([]*Org, error)
	// OrgBySlug finds an organization by its Flatchr career-site slug.
	// Errors: ENotFound.
	OrgBySlug(ctx context.Context, slug string) (*Org, error)

	// CreateAPIKey stores a new key, with its OwnerUserID when not 0, and
	// fills its ID. Errors: EConflict if the hash exists; EInvalid when the
	// owner is not a user of the key's organization.
	CreateAPIKey(ctx context.Context, key *APIKey) error
	// APIKeyByHash returns a key, revoked or not, and its organization.
	// Errors: ENotFound.
	APIKeyByHash(ctx context.Context, hash string) (*APIKey, *Org, error)
	// APIKeys lists an organization's keys, oldest first.
	APIKeys(ctx context.Context, orgID int64) ([]*APIKey, error)
	// RevokeAPIKey marks a key revoked at the given time. Errors: ENotFound.
	// SetAPIKeyOwner makes a user of the key's organization its owner.
	// Errors: ENotFound for a key of another organization; EInvalid when
	// the user is not one of the organization's.
	SetAPIKeyOwner(ctx context.Context, orgID, keyID, ownerUserID int64) error
	RevokeAPIKey(ctx context.Context, orgID, keyID int64, at time.Time) error

	// Jobs lists an organization's jobs (with stages and questions) by id.
	Jobs(ctx context.Context, orgID int64) ([]*Job, error)
	// Job finds a job by id. Errors: ENotFound.
	Job(ctx context.Context, orgID, jobID int64) (*Job, error)
	// JobByReference finds a job by its WelcomeKit reference. Errors: ENotFound.
	JobByReference(ctx context.Context, orgID int64, reference string) (*Job, error)
	// JobByVacancy finds a job by Flatchr vacancy slug, else by encoded
	// vacancy key. Errors: ENotFound.
	JobByVacancy(ctx context.Context, orgID int64, slugOrKey string) (*Job, error)

	// CreateApplication stores app (and its person, documents and, if idem is
	// not nil, the idempotency record) atomically, filling ids. The person is
	// matched by (org, lower(email)) when the email is not empty: an existing
	// person gets the non-empty profile fields of app.Person, its media
	// merged per network, and the email's latest spelling.
	// Errors: *IdempotencyKeyTaken when idem's key is taken, checked first;
	// *ApplicationExists, with the existing application's reference, when
	// the person already applied to the job; another EConflict when the
	// reference or applicant key is taken.
	CreateApplication(ctx context.Context, app *Application, idem *IdempotencyRecord) error
	// Application finds an application by reference. Errors: ENotFound.
	Application(ctx context.Context, orgID int64, reference string) (*Application, error)
	// ApplicationByKey finds an application by Flatchr applicant key.
	// Errors: ENotFound.
	ApplicationByKey(ctx context.Context, orgID int64, applicantKey string) (*Application, error)
	// Applications lists matching applications, oldest first, and the total
	// number of matches ignoring Offset and Limit.
	Applications(ctx context.Context, f ApplicationFilter) ([]*Application, int, error)
	// UpdateApplication loads the application, lets fn change it and saves
	// it, atomically. fn must not have side effects: it may be called again.
	// Identity fields (ids, reference, applicant key, org, job, source,
	// creator, creation time) are kept whatever fn does. Person fields are
	// shared by all of that person's applications. A stage change records a
	// Move. Documents are saved as fn leaves them (nil removes one).
	// Errors: ENotFound, whatever fn returns, EConflict when the new email
	// belongs to another person of the organization.
	UpdateApplication(ctx context.Context, orgID int64, reference string, fn func(*Application) error) (*Application, error)
	// Moves lists the stage changes of an application, oldest first; empty
	// for another organization's application.
	Moves(ctx context.Context, orgID, applicationID int64) ([]Move, error)

	// Idempotency returns a stored record. Errors: ENotFound.
	Idempotency(ctx context.Context, orgID, keyID int64, key string) (*IdempotencyRecord, error)
	// PurgeIdempotency deletes records created before t; it returns how many.
	PurgeIdempotency(ctx context.Context, before time.Time) (int, error)

	// ReferencedBlobs returns which of keys some document row points at, in
	// any organization (blob keys are global).
	ReferencedBlobs(ctx context.Context, keys []string) (map[string]bool, error)

	// Ping reports whether the store can serve requests. Errors:
	// EUnavailable, also after Close.
	Ping(ctx context.Context) error
	// Close waits for pending writes and releases resources.
	Close() error
}
