package intake

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
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

// LinkSent is a password link made for a user. When a mailer is configured
// the link is mailed to them and URL stays empty; otherwise, or when the
// mail failed, URL holds the link for the caller to show once to the admin
// who asked for it. The link itself is stored only as a hash.
type LinkSent struct {
	User    *User
	Purpose LinkPurpose
	// Mailed reports that the mail server accepted the mail.
	Mailed bool
	// URL is the link, set when it was not mailed.
	URL string
	// MailError says why mailing failed, when it did (client-safe).
	MailError string
}

// newLinkToken returns a fresh link token: 256 random bits, URL-safe.
func newLinkToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// createLink stores a new link for u and returns its token.
func (s *Service) createLink(ctx context.Context, u *User, purpose LinkPurpose) (string, error) {
	ttl := ResetLinkTTL
	if purpose == LinkInvite {
		ttl = InviteLinkTTL
	}
	token, now := newLinkToken(), s.Now()
	l := &PasswordLink{Hash: HashToken(token), OrgID: u.OrgID, UserID: u.ID, Purpose: purpose,
		CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := s.store.CreatePasswordLink(ctx, l); err != nil {
		return "", err
	}
	return token, nil
}

// linkPurpose is an invitation for users who never set a password.
func linkPurpose(u *User) LinkPurpose {
	if u.PasswordHash == "" {
		return LinkInvite
	}
	return LinkReset
}

// sendLink makes a link for u, asked for by the admin by (nil when the user
// asked themselves), and mails it when it can.
func (s *Service) sendLink(ctx context.Context, org *Org, u, by *User, linkURL func(string) string) (*LinkSent, error) {
	purpose := linkPurpose(u)
	token, err := s.createLink(ctx, u, purpose)
	if err != nil {
		return nil, err
	}
	url := linkURL(token)
	out := &LinkSent{User: u, Purpose: purpose}
	if s.activity.Mailer == nil {
		out.URL = url
		return out, nil
	}
	if err := s.activity.Mailer.Send(ctx, linkMail(s.activity.MailFrom, org, u, by, purpose, url)); err != nil {
		s.log.WarnContext(ctx, "password link: mail failed", "user", u.ID, "err", err)
		out.URL, out.MailError = url, "The mail server refused the message: "+ErrorMessage(err)
		return out, nil
	}
	out.Mailed = true
	return out, nil
}

// linkMail is the mail carrying a password link. It is sent from from when
// set (the operator's --smtp-from), else from the admin who asked, else
// from the user's own address.
func linkMail(from string, org *Org, u, by *User, purpose LinkPurpose, url string) *Mail {
	m := &Mail{From: from, To: []string{u.Email}}
	if by != nil {
		if m.From == "" {
			m.From = by.Email
		} else {
			m.ReplyTo = by.Email
		}
	}
	if m.From == "" {
		m.From = u.Email
	}
	if purpose == LinkInvite {
		intro := fmt.Sprintf("You are invited to %s on intake, as %s.", org.Name, u.Role)
		if by != nil {
			name := strings.TrimSpace(by.Firstname + " " + by.Lastname)
			intro = fmt.Sprintf("%s (%s) invited you to %s on intake, as %s.", name, by.Email, org.Name, u.Role)
		}
		m.Subject = "Your invitation to " + org.Name + " on intake"
		m.Body = fmt.Sprintf("Hello,\n\n%s\n\n"+
			"Choose your password within %d hours at this address (it works once):\n\n%s\n\n"+
			"Your sign-in email is %s.\n\nIf you did not expect this invitation, ignore this message.\n",
			intro, int(InviteLinkTTL.Hours()), url, u.Email)
		return m
	}
	m.Subject = "Reset your intake password for " + org.Name
	m.Body = fmt.Sprintf("Hello,\n\nA new password was asked for %s on intake (%s).\n\n"+
		"Choose it within %d minutes at this address (it works once):\n\n%s\n\n"+
		"If you did not ask for it, ignore this message: your password stays as it is.\n",
		u.Email, org.Name, int(ResetLinkTTL.Minutes()), url)
	return m
}

// Password reset requests allowed per email and per client address within
// LoginWindow; past that, requests are dropped (the answer stays the same).
const (
	ResetRequestsPerEmail   = 3
	ResetRequestsPerAddress = 20
)

// RequestPasswordReset mails a reset link to the user of email, for the
// client at addr ("forgot password"). It answers the same whatever
// happens, so that it tells no one whether the email has an account: an
// unknown or disabled email, a request over the limits and the absence of
// a mailer send nothing. The mail is sent in the background, so the answer
// takes the same time in every case; failures are logged.
func (s *Service) RequestPasswordReset(ctx context.Context, email, addr string, linkURL func(token string) string) {
	email = strings.TrimSpace(email)
	if email == "" || linkURL == nil {
		return
	}
	now := s.now()
	emailKey, addrKey := "e:"+strings.ToLower(email), "a:"+addr
	if s.resets.blocked(now, emailKey, addrKey) > 0 {
		s.log.WarnContext(ctx, "password reset: too many requests", "addr", addr)
		return
	}
	s.resets.fail(now, emailKey, ResetRequestsPerEmail, addrKey, ResetRequestsPerAddress)
	u, org, err := s.store.UserByEmail(ctx, email)
	if err != nil || u.Disabled || u.PasswordHash == "" {
		if err != nil && ErrorCodeOf(err) != ENotFound {
			s.log.ErrorContext(ctx, "password reset", "err", err)
		}
		return
	}
	if s.activity.Mailer == nil {
		s.log.WarnContext(ctx, "password reset asked for, but no mail server is configured (--smtp-url)", "user", u.ID)
		return
	}
	ctx = context.WithoutCancel(ctx)
	go func() {
		ctx, cancel := context.WithTimeout(ctx, resetMailTimeout)
		defer cancel()
		token, err := s.createLink(ctx, u, LinkReset)
		if err == nil {
			err = s.activity.Mailer.Send(ctx, linkMail(s.activity.MailFrom, org, u, nil, LinkReset, linkURL(token)))
		}
		if err != nil {
			s.log.ErrorContext(ctx, "password reset: link not sent", "user", u.ID, "err", err)
		}
	}()
}

// resetMailTimeout bounds a background reset mail.
const resetMailTimeout = time.Minute

// PasswordLinkUser returns the user a live link is for, and the link.
// Errors: ENotFound for an unknown, used or expired link, or a disabled
// user: the page cannot tell which.
func (s *Service) PasswordLinkUser(ctx context.Context, token string) (*PasswordLink, *User, error) {
	if token == "" {
		return nil, nil, errDeadLink
	}
	l, u, err := s.store.PasswordLinkByHash(ctx, HashToken(token))
	switch {
	case ErrorCodeOf(err) == ENotFound:
		return nil, nil, errDeadLink
	case err != nil:
		return nil, nil, err
	case !s.now().Before(l.ExpiresAt) || u.Disabled:
		return nil, nil, errDeadLink
	}
	return l, u, nil
}

// errDeadLink is the one answer to a link that cannot serve.
var errDeadLink = Errorf(ENotFound, "This link is invalid, expired or already used.")

// SetPasswordWithLink sets the password of a live link's user, once: the
// link and every other link of the user die, and so do the user's
// sessions and tokens (they are bound to the password hash).
// Errors: EInvalid (password), ENotFound (as PasswordLinkUser).
func (s *Service) SetPasswordWithLink(ctx context.Context, token, password string) (*User, error) {
	h, err := s.hasher()
	if err != nil {
		return nil, err
	}
	if _, _, err := s.PasswordLinkUser(ctx, token); err != nil {
		return nil, err
	}
	f := fieldErrors{}
	validPassword(f, "password", password)
	if err := f.err(); err != nil {
		return nil, err
	}
	hash, err := h.Hash(password)
	if err != nil {
		return nil, err
	}
	u, err := s.store.UsePasswordLink(ctx, HashToken(token), s.Now(), func(l *PasswordLink, u *User) error {
		if !s.now().Before(l.ExpiresAt) || u.Disabled {
			return errDeadLink
		}
		u.PasswordHash, u.UpdatedAt = hash, s.Now()
		u.SessionEpoch++
		return nil
	})
	if ErrorCodeOf(err) == ENotFound {
		return nil, errDeadLink
	}
	return u, err
}
