package intake

import (
	"context"
	"strings"
)

// Users are managed by the signed-in admins and owners of their
// organization: the methods here take the acting Principal and enforce,
// whatever door the call came through:
//   - only admins and owners manage users;
//   - only an owner grants the owner role, removes it, disables an owner or
//     sends an owner a password link (which, shown to the admin, would let
//     them take the account over);
//   - no one disables themselves, and the last enabled owner is never
//     demoted nor disabled;
//   - a user of another organization is not found.
//
// Known limit: two owners demoting each other at the same moment can both
// pass the last-owner check, which reads the organization's users before
// the update.

// Denials of user management, as pages show them.
const (
	manageUsersDenied = "Only admins and owners manage users."
	ownerOnlyDenied   = "Only an owner can grant or remove the owner role, disable an owner or send an owner a password link."
	lastOwnerDenied   = "The organization's last owner cannot be demoted or disabled."
	selfDisableDenied = "You cannot disable yourself."
)

// canManageUsers reports whether the principal may manage users
// (PermManageUsers: a signed-in admin or owner; never an API key), with
// the users page's wording. Errors: EForbidden.
func (p *Principal) canManageUsers() error {
	if !p.Can(PermManageUsers) {
		return Errorf(EForbidden, "%s", manageUsersDenied)
	}
	return nil
}

// CanManageUsers reports whether the principal may use the users page.
func (p *Principal) CanManageUsers() bool { return p.canManageUsers() == nil }

// isOwner reports whether the principal may manage owners
// (PermManageOwners: a signed-in owner).
func (p *Principal) isOwner() bool { return p.Can(PermManageOwners) }

// OrgUsers lists the users of the principal's organization, by id.
// Errors: EForbidden (not an admin or owner).
func (s *Service) OrgUsers(ctx context.Context, p *Principal) ([]*User, error) {
	if err := p.canManageUsers(); err != nil {
		return nil, err
	}
	return s.store.Users(ctx, p.Org.ID)
}

// SetUserRole changes the role of a user of the principal's organization.
// Errors: EForbidden (see the rules above), ENotFound, EInvalid (role).
func (s *Service) SetUserRole(ctx context.Context, p *Principal, userID int64, role Role) (*User, error) {
	if err := p.canManageUsers(); err != nil {
		return nil, err
	}
	if !role.Valid() {
		return nil, FieldErrors(map[string]string{"role": "must be owner, admin, recruiter or viewer"})
	}
	others, err := s.otherOwners(ctx, p.Org.ID, userID)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	return s.store.UpdateUser(ctx, p.Org.ID, userID, func(u *User) error {
		if (u.Role == RoleOwner || role == RoleOwner) && u.Role != role && !p.isOwner() {
			return Errorf(EForbidden, "%s", ownerOnlyDenied)
		}
		if u.Role == RoleOwner && role != RoleOwner && !u.Disabled && others == 0 {
			return Errorf(EForbidden, "%s", lastOwnerDenied)
		}
		u.Role, u.UpdatedAt = role, now
		return nil
	})
}

// SetUserDisabled disables or enables a user of the principal's
// organization. A disabled user's sessions and tokens stop working at once.
// Errors: EForbidden (see the rules above), ENotFound.
func (s *Service) SetUserDisabled(ctx context.Context, p *Principal, userID int64, disabled bool) (*User, error) {
	if err := p.canManageUsers(); err != nil {
		return nil, err
	}
	if disabled && p.User.ID == userID {
		return nil, Errorf(EForbidden, "%s", selfDisableDenied)
	}
	others, err := s.otherOwners(ctx, p.Org.ID, userID)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	return s.store.UpdateUser(ctx, p.Org.ID, userID, func(u *User) error {
		if u.Role == RoleOwner && !p.isOwner() {
			return Errorf(EForbidden, "%s", ownerOnlyDenied)
		}
		if disabled && u.Role == RoleOwner && others == 0 {
			return Errorf(EForbidden, "%s", lastOwnerDenied)
		}
		if u.Disabled != disabled {
			// Enabling must not revive the sessions of before either.
			u.SessionEpoch++
		}
		u.Disabled, u.UpdatedAt = disabled, now
		return nil
	})
}

// otherOwners counts the enabled owners of the organization but userID.
func (s *Service) otherOwners(ctx context.Context, orgID, userID int64) (int, error) {
	users, err := s.store.Users(ctx, orgID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, u := range users {
		if u.ID != userID && u.Role == RoleOwner && !u.Disabled {
			n++
		}
	}
	return n, nil
}

// NewInvite is the input of InviteUser.
type NewInvite struct {
	Email     string
	Firstname string
	Lastname  string
	Role      Role
}

// InviteUser adds a user without a password to the principal's
// organization and makes an invitation link (InviteLinkTTL) for them to set
// one; see LinkSent for how it reaches them. linkURL turns the link's token
// into the address the invitee opens.
// Errors: EForbidden (not an admin or owner; the owner role by a non-owner),
// EInvalid, EConflict (email taken, in any organization).
func (s *Service) InviteUser(ctx context.Context, p *Principal, in NewInvite, linkURL func(token string) string) (*LinkSent, error) {
	if err := p.canManageUsers(); err != nil {
		return nil, err
	}
	in.Email = strings.TrimSpace(in.Email)
	in.Firstname, in.Lastname = strings.TrimSpace(in.Firstname), strings.TrimSpace(in.Lastname)
	f := fieldErrors{}
	validUser(f, "", in.Email, in.Firstname, in.Lastname, in.Role)
	if err := f.err(); err != nil {
		return nil, err
	}
	if in.Role == RoleOwner && !p.isOwner() {
		return nil, Errorf(EForbidden, "%s", ownerOnlyDenied)
	}
	now := s.Now()
	u := &User{OrgID: p.Org.ID, Email: in.Email, Firstname: in.Firstname, Lastname: in.Lastname,
		Role: in.Role, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateUser(ctx, u); err != nil {
		if ErrorCodeOf(err) == EConflict {
			return nil, FieldErrors(map[string]string{"email": "has already been taken"})
		}
		return nil, err
	}
	return s.sendLink(ctx, p.Org, u, p.User, linkURL)
}

// SendPasswordLink makes a password link for a user of the principal's
// organization: an invitation when they never set a password, else a
// reset. See LinkSent for how it reaches them.
// Errors: EForbidden (see the rules above), ENotFound, EInvalid (disabled
// user: enable them first).
func (s *Service) SendPasswordLink(ctx context.Context, p *Principal, userID int64, linkURL func(token string) string) (*LinkSent, error) {
	if err := p.canManageUsers(); err != nil {
		return nil, err
	}
	u, org, err := s.store.UserByID(ctx, userID)
	switch {
	case err != nil:
		return nil, err
	case org.ID != p.Org.ID:
		return nil, Errorf(ENotFound, "user not found")
	case u.Role == RoleOwner && !p.isOwner():
		return nil, Errorf(EForbidden, "%s", ownerOnlyDenied)
	case u.Disabled:
		return nil, Errorf(EInvalid, "This user is disabled: enable them first.")
	}
	return s.sendLink(ctx, org, u, p.User, linkURL)
}
