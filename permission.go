package intake

import (
	"fmt"
	"slices"
)

// Permission is something a principal may do in its organization. A
// signed-in user gets permissions from its role, an API key from its
// scopes. Every Service method that changes something checks one with
// Principal.Require, so the same rule holds through every door: the
// WelcomeKit and Flatchr APIs, the dashboard and the commands.
type Permission string

// Permissions, from reading to administering.
const (
	// PermRead: see jobs, candidates and everything that happened to them.
	PermRead Permission = "read"
	// PermMove: create, edit, move, archive candidates, attach documents.
	PermMove Permission = "move"
	// PermComment: comment on a candidate, delete a comment.
	PermComment Permission = "comment"
	// PermMessage: send a candidate a message.
	PermMessage Permission = "message"
	// PermTag: set a candidate's tags and meta information.
	PermTag Permission = "tag"
	// PermManageJobs: create and edit jobs, their stages and questions,
	// publish, unpublish and archive them.
	PermManageJobs Permission = "manage_jobs"
	// PermManageUsers: invite users, change their role, disable them.
	PermManageUsers Permission = "manage_users"
	// PermManageAPIKeys: create and revoke the organization's API keys.
	PermManageAPIKeys Permission = "manage_api_keys"
	// PermManageWebhooks: create, enable, disable and replay webhook
	// subscriptions, read their delivery log.
	PermManageWebhooks Permission = "manage_webhooks"
	// PermManageOwners: give or take the owner role, and change, disable or
	// remove an owner. Only owners have it, so no one else can remove them.
	PermManageOwners Permission = "manage_owners"
)

// Permissions lists every permission.
var Permissions = []Permission{
	PermRead, PermMove, PermComment, PermMessage, PermTag, PermManageJobs,
	PermManageUsers, PermManageAPIKeys, PermManageWebhooks, PermManageOwners,
}

// rolePermissions is the permission model of the dashboard's people:
// viewers read; recruiters also move, comment, message and tag; admins also
// manage jobs, users, API keys and webhooks; owners do everything.
var rolePermissions = func() map[Role][]Permission {
	viewer := []Permission{PermRead}
	recruiter := append(slices.Clip(viewer), PermMove, PermComment, PermMessage, PermTag)
	admin := append(slices.Clip(recruiter), PermManageJobs, PermManageUsers, PermManageAPIKeys, PermManageWebhooks)
	owner := append(slices.Clip(admin), PermManageOwners)
	return map[Role][]Permission{RoleViewer: viewer, RoleRecruiter: recruiter, RoleAdmin: admin, RoleOwner: owner}
}()

// Can reports whether the role grants perm. An unknown role grants nothing.
func (r Role) Can(perm Permission) bool { return slices.Contains(rolePermissions[r], perm) }

// roleScopes are the scopes of the key standing for a user of each role
// (userPrincipal), so that the adapters' scope checks agree with the role:
// a user reaches the WelcomeKit endpoints its role allows, and no others.
// No user key carries an su_ scope: a role is never cross-organization.
var roleScopes = map[Role][]Scope{
	RoleViewer: {ScopeCandidatesR, ScopeJobsR, "organizations_r", "offices_r", "departments_r",
		"documents_r", "emails_r", "moves_r", ScopeMeR},
	RoleRecruiter: {ScopeCandidatesRW, ScopeJobsR, "organizations_r", "offices_r", "departments_r",
		"documents_rw", "emails_rw", "comments_w", "moves_r", ScopeMeR},
	RoleAdmin: {ScopeCandidatesRW, ScopeJobsRW, "organizations_r", "offices_r", "departments_r",
		"documents_rw", "emails_rw", "comments_w", "moves_r", ScopeMeR},
	RoleOwner: {ScopeCandidatesRW, ScopeJobsRW, "organizations_r", "offices_r", "departments_r",
		"documents_rw", "emails_rw", "comments_w", "moves_r", ScopeMeR},
}

// keyCan is the permission model of API keys: their scopes, as the API
// endpoints check them. A key never administers users, keys, webhooks or
// owners, whatever its scopes: those take a person.
func keyCan(p *Principal, perm Permission) bool {
	switch perm {
	case PermRead:
		ok, _ := p.canRead()
		return ok
	case PermMove, PermMessage, PermTag:
		ok, _ := p.canWrite()
		return ok
	case PermComment:
		// Any candidates scope comments (spec welcomekit §8; the WelcomeKit
		// door also asks for comments_w, Flatchr's has no scopes).
		ok, _ := p.canRead()
		return ok
	case PermManageJobs:
		return p.Key.Has(ScopeJobsRW)
	}
	return false
}

// Can reports whether the principal may do perm: by role for a signed-in
// user, by scopes for an API key.
func (p *Principal) Can(perm Permission) bool {
	if p.User != nil {
		return p.User.Role.Can(perm)
	}
	return keyCan(p, perm)
}

// Require checks a permission before any input is read. Errors: EForbidden,
// saying what is missing (the role, or the scopes that would do).
func (p *Principal) Require(perm Permission) error {
	if p.Can(perm) {
		return nil
	}
	if p.User != nil {
		return Errorf(EForbidden, "%s", roleDenied(p.User.Role, perm))
	}
	switch perm {
	case PermRead, PermComment:
		return p.Allow(ActionRead)
	case PermMove, PermMessage, PermTag:
		return p.Allow(ActionWrite)
	case PermManageJobs:
		return p.AllowAny(ScopeJobsRW)
	}
	return Errorf(EForbidden, "%s needs a signed-in user of the organization with the right role; API keys cannot do it", permText[perm])
}

// permText names what each permission lets a principal do, for the denial.
var permText = map[Permission]string{
	PermRead:           "Seeing candidates",
	PermMove:           "Changing candidates",
	PermComment:        "Commenting",
	PermMessage:        "Sending messages",
	PermTag:            "Tagging candidates",
	PermManageJobs:     "Managing jobs",
	PermManageUsers:    "Managing users",
	PermManageAPIKeys:  "Managing API keys",
	PermManageWebhooks: "Managing webhooks",
	PermManageOwners:   "Managing owners",
}

// roleDenied explains a denial to a user: what was refused, and which
// roles may.
func roleDenied(r Role, perm Permission) string {
	var who []string
	for _, role := range Roles {
		if role.Can(perm) {
			who = append(who, string(role))
		}
	}
	return fmt.Sprintf("%s is not allowed with the %s role; it takes one of: %s. Ask an administrator of your organization.",
		permText[perm], r, joinRoles(who))
}

func joinRoles(roles []string) string {
	switch len(roles) {
	case 0:
		return "none"
	case 1:
		return roles[0]
	}
	s := ""
	for i, r := range roles {
		switch {
		case i == 0:
		case i == len(roles)-1:
			s += " or "
		default:
			s += ", "
		}
		s += r
	}
	return s
}
