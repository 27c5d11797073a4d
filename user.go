package intake

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Role is what a user may do in its organization.
type Role string

// Roles, most powerful first. Every role reads; viewers cannot write.
const (
	RoleOwner     Role = "owner"
	RoleAdmin     Role = "admin"
	RoleRecruiter Role = "recruiter"
	RoleViewer    Role = "viewer"
)

// Roles lists every role.
var Roles = []Role{RoleOwner, RoleAdmin, RoleRecruiter, RoleViewer}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// CanWrite reports whether the role may create, move or archive candidates.
func (r Role) CanWrite() bool { return r.Can(PermMove) }

// User is a person who signs in to an organization: with POST /user/login
// (a user token for the Flatchr API) and, later, to the dashboard. Emails
// are unique across organizations: a login names no organization.
type User struct {
	ID        int64
	OrgID     int64
	Email     string // as given; matched case-insensitively
	Firstname string
	Lastname  string
	Role      Role
	// PasswordHash is the PasswordHasher's encoded hash (bcrypt); never
	// the password.
	PasswordHash string
	// Disabled users cannot sign in, and their tokens stop working.
	Disabled bool
	// SessionEpoch counts the events that end the user's dashboard
	// sessions (disabled, enabled, password set); sessions are bound to it.
	// Stores keep it as given, except SaveUsers, which keeps the stored one.
	SessionEpoch int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// UserStore is the part of Store that keeps users.
type UserStore interface {
	// CreateUser stores a new user and fills its ID. Errors: EConflict
	// when the email (case-insensitive) is taken, in any organization.
	CreateUser(ctx context.Context, u *User) error
	// UserByEmail finds a user, disabled or not, by case-insensitive email,
	// with its organization. Errors: ENotFound.
	UserByEmail(ctx context.Context, email string) (*User, *Org, error)
	// UserByID finds a user, disabled or not, with its organization.
	// Errors: ENotFound.
	UserByID(ctx context.Context, id int64) (*User, *Org, error)
	// Users lists an organization's users by id.
	Users(ctx context.Context, orgID int64) ([]*User, error)
	// UpdateUser loads a user of the organization, lets fn change it and
	// saves name, role, password hash, disabled flag and UpdatedAt,
	// atomically. fn may be called again. Errors: ENotFound, fn's error.
	UpdateUser(ctx context.Context, orgID, userID int64, fn func(*User) error) (*User, error)
	// SaveUsers upserts users by email in one transaction: a new email is
	// inserted, a known one of the same organization gets the values given
	// (ID filled in). Errors: EConflict when an email belongs to another
	// organization.
	SaveUsers(ctx context.Context, users []*User) error
}

// PasswordHasher hashes and checks passwords with a slow KDF. It lives
// outside the domain so the domain stays stdlib-only.
type PasswordHasher interface {
	// Hash returns the encoded hash of password. Errors: EInvalid when the
	// KDF refuses the password (too long).
	Hash(password string) (string, error)
	// Verify reports whether password matches hash.
	Verify(hash, password string) bool
}

// Password length limits. bcrypt reads at most 72 bytes; longer passwords
// are refused rather than silently truncated.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 72
)

// NewPassword returns a random password for `intake users create` and
// `reset-password`: 128 bits, URL-safe text.
func NewPassword() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// NewUser is the input of CreateUser. An empty Password makes one up
// (returned once by CreateUser).
type NewUser struct {
	Email     string
	Firstname string
	Lastname  string
	Role      Role
	Password  string
}

func validUser(f fieldErrors, prefix, email, firstname, lastname string, role Role) {
	if strings.TrimSpace(email) == "" {
		f.add(prefix+"email", "can't be blank")
	} else {
		validEmail(f, prefix+"email", email)
	}
	validText(f, prefix+"firstname", firstname, MaxNameLength)
	validText(f, prefix+"lastname", lastname, MaxNameLength)
	if !role.Valid() {
		f.add(prefix+"role", "must be owner, admin, recruiter or viewer")
	}
}

func validPassword(f fieldErrors, field, password string) {
	switch {
	case len(password) < MinPasswordLength:
		f.add(field, "is too short (minimum is 10 characters)")
	case len(password) > MaxPasswordLength:
		f.add(field, "is too long (maximum is 72 bytes)")
	}
}

func (s *Service) hasher() (PasswordHasher, error) {
	if s.passwords == nil {
		return nil, Errorf(EUnavailable, "user accounts are not configured")
	}
	return s.passwords, nil
}

// CreateUser adds a user to an organization and returns the password it
// was given (made up when in.Password is empty; shown once, never stored).
// Errors: ENotFound (organization), EInvalid, EConflict (email taken).
func (s *Service) CreateUser(ctx context.Context, orgRef string, in NewUser) (string, *User, error) {
	h, err := s.hasher()
	if err != nil {
		return "", nil, err
	}
	org, err := s.OrgByReference(ctx, orgRef)
	if err != nil {
		return "", nil, err
	}
	in.Email = strings.TrimSpace(in.Email)
	password := in.Password
	if password == "" {
		password = NewPassword()
	}
	f := fieldErrors{}
	validUser(f, "", in.Email, in.Firstname, in.Lastname, in.Role)
	validPassword(f, "password", password)
	if err := f.err(); err != nil {
		return "", nil, err
	}
	hash, err := h.Hash(password)
	if err != nil {
		return "", nil, err
	}
	now := s.Now()
	u := &User{OrgID: org.ID, Email: in.Email, Firstname: in.Firstname, Lastname: in.Lastname,
		Role: in.Role, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateUser(ctx, u); err != nil {
		if ErrorCodeOf(err) == EConflict {
			return "", nil, FieldErrors(map[string]string{"email": "has already been taken"})
		}
		return "", nil, err
	}
	return password, u, nil
}

// Users lists an organization's users. Errors: ENotFound (organization).
func (s *Service) Users(ctx context.Context, orgRef string) ([]*User, error) {
	org, err := s.OrgByReference(ctx, orgRef)
	if err != nil {
		return nil, err
	}
	return s.store.Users(ctx, org.ID)
}

// Members lists the users of the principal's organization (Flatchr
// members). Any principal may read them.
func (s *Service) Members(ctx context.Context, p *Principal) ([]*User, error) {
	return s.store.Users(ctx, p.Org.ID)
}

// DisableUser disables a user of an organization, by id or email. Its
// tokens stop working at once: every request re-reads the user.
// Errors: ENotFound.
func (s *Service) DisableUser(ctx context.Context, orgRef, user string) (*User, error) {
	return s.updateUser(ctx, orgRef, user, func(u *User) error {
		if !u.Disabled {
			u.SessionEpoch++
		}
		u.Disabled = true
		return nil
	})
}

// ResetPassword gives a user a new password (made up when password is
// empty) and returns it; tokens issued before stop working.
// Errors: ENotFound, EInvalid.
func (s *Service) ResetPassword(ctx context.Context, orgRef, user, password string) (string, *User, error) {
	h, err := s.hasher()
	if err != nil {
		return "", nil, err
	}
	if password == "" {
		password = NewPassword()
	}
	f := fieldErrors{}
	validPassword(f, "password", password)
	if err := f.err(); err != nil {
		return "", nil, err
	}
	hash, err := h.Hash(password)
	if err != nil {
		return "", nil, err
	}
	u, err := s.updateUser(ctx, orgRef, user, func(u *User) error {
		u.PasswordHash = hash
		u.SessionEpoch++
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return password, u, nil
}

// updateUser finds a user of the organization by id or email and applies fn.
func (s *Service) updateUser(ctx context.Context, orgRef, user string, fn func(*User) error) (*User, error) {
	org, err := s.OrgByReference(ctx, orgRef)
	if err != nil {
		return nil, err
	}
	users, err := s.store.Users(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	var id int64
	for _, u := range users {
		if strings.EqualFold(u.Email, user) || strconv.FormatInt(u.ID, 10) == user {
			id = u.ID
			break
		}
	}
	if id == 0 {
		return nil, Errorf(ENotFound, "user %q not found in organization %q", user, orgRef)
	}
	now := s.Now()
	return s.store.UpdateUser(ctx, org.ID, id, func(u *User) error {
		if err := fn(u); err != nil {
			return err
		}
		u.UpdatedAt = now
		return nil
	})
}
