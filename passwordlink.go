package intake

import (
	"context"
	"time"
)

// LinkPurpose says why a password link was made.
type LinkPurpose string

// Link purposes.
const (
	// LinkInvite lets an invited user set their first password.
	LinkInvite LinkPurpose = "invite"
	// LinkReset lets a user replace a forgotten password.
	LinkReset LinkPurpose = "reset"
)

// Lifetimes of password links.
const (
	InviteLinkTTL = 72 * time.Hour
	ResetLinkTTL  = time.Hour
)

// PasswordLink is a one-time link to set a user's password: an invitation
// or a reset. Only the hash of its token is stored (HashToken), so the
// store cannot give a working link back.
type PasswordLink struct {
	ID        int64
	Hash      string
	OrgID     int64
	UserID    int64
	Purpose   LinkPurpose
	CreatedAt time.Time
	ExpiresAt time.Time
	// UsedAt is set once the link has served, or once another link of
	// the same user did: a link serves at most once.
	UsedAt *time.Time
}

// PasswordLinkStore is the part of Store that keeps password links.
type PasswordLinkStore interface {
	// CreatePasswordLink stores a link and fills its ID. Errors: EConflict
	// when the hash exists; ENotFound when the user is not one of the
	// link's organization.
	CreatePasswordLink(ctx context.Context, l *PasswordLink) error
	// PasswordLinkByHash finds an unused link with its user, whatever its
	// expiry. Errors: ENotFound (unknown or used).
	PasswordLinkByHash(ctx context.Context, hash string) (*PasswordLink, *User, error)
	// UsePasswordLink atomically takes an unused link: it lets fn check the
	// link and change its user, then saves the user (as UpdateUser does)
	// and marks, at usedAt, the link and every other unused link of the
	// user as used. When fn fails nothing changes. Two concurrent calls
	// for one link: one wins, the other gets ENotFound. fn may be called
	// again. Errors: ENotFound (unknown or used), fn's error.
	UsePasswordLink(ctx context.Context, hash string, usedAt time.Time, fn func(*PasswordLink, *User) error) (*User, error)
}
