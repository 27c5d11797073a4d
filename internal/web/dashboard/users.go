package dashboard

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"intake"
)

// usersView is an organization's users page: who may sign in, with which
// role, and the forms to manage them.
type usersView struct {
	layout
	Users []userLine
	// Roles are the roles the visitor may give (owner only by owners).
	Roles []intake.Role
	// Notice confirms the last action; Link is a password link to show
	// once, when it was not mailed.
	Notice string
	Link   *shownLink
	// Error says why the invitation failed; Invite keeps what was typed.
	Error     string
	Invite    intake.NewInvite
	InviteURL string
	CSRF      string
}

// userLine is one user on the users page.
type userLine struct {
	ID       int64
	Name     string
	Email    string
	Role     intake.Role
	Disabled bool
	// Invited users have not chosen a password yet.
	Invited bool
	// Self is the visitor.
	Self bool
	// Locked is set when the visitor may not change this user (an owner,
	// for an admin).
	Locked       bool
	RoleURL      string
	DisabledURL  string
	LinkURL      string
	RoleOptions  []intake.Role
	LinkLabel    string
	DisableLabel string
}

// shownLink is a password link shown to the admin who made it.
type shownLink struct {
	Email     string
	URL       string
	Invite    bool
	MailError string
}

// usersNotices are the confirmations a redirect may ask for, by key, so
// that no text comes from the URL.
var usersNotices = map[string]string{
	"role":     "Role changed.",
	"disabled": "User disabled: their sessions have ended.",
	"enabled":  "User enabled.",
}

func usersPath(org string) string { return homePath(org) + "/users" }

func userPath(org string, id int64) string {
	return usersPath(org) + "/" + strconv.FormatInt(id, 10)
}

// showUsers lists the organization's users.
func (h *handler) showUsers(w http.ResponseWriter, r *http.Request, s *session) {
	v := usersView{Notice: usersNotices[r.URL.Query().Get("done")]}
	h.renderUsers(w, r, s, http.StatusOK, v)
}

// renderUsers fills v with the users and renders the page.
func (h *handler) renderUsers(w http.ResponseWriter, r *http.Request, s *session, status int, v usersView) {
	users, err := h.svc.OrgUsers(r.Context(), s.p)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	org := s.p.Org.Reference
	v.layout = h.layout("Users", s)
	v.CSRF, v.InviteURL = s.csrf, usersPath(org)+"/invite"
	v.Roles = assignableRoles(s.p.User)
	if v.Invite.Role == "" {
		v.Invite.Role = intake.RoleRecruiter
	}
	for _, u := range users {
		l := userLine{
			ID: u.ID, Name: userName(u), Email: u.Email, Role: u.Role, Disabled: u.Disabled,
			Invited: u.PasswordHash == "", Self: u.ID == s.p.User.ID,
			Locked:  u.Role == intake.RoleOwner && s.p.User.Role != intake.RoleOwner,
			RoleURL: userPath(org, u.ID) + "/role", DisabledURL: userPath(org, u.ID) + "/disabled",
			LinkURL:     userPath(org, u.ID) + "/link",
			RoleOptions: v.Roles, LinkLabel: "Send a reset link", DisableLabel: "Disable",
		}
		if l.Invited {
			l.LinkLabel = "Send a new invitation"
		}
		if l.Disabled {
			l.DisableLabel = "Enable"
		}
		v.Users = append(v.Users, l)
	}
	render(h, w, r, status, h.pages.users, v)
}

// assignableRoles are the roles u may give: owners give any, admins all
// but owner.
func assignableRoles(u *intake.User) []intake.Role {
	if u.Role == intake.RoleOwner {
		return intake.Roles
	}
	return slices.DeleteFunc(slices.Clone(intake.Roles), func(r intake.Role) bool { return r == intake.RoleOwner })
}

// inviteUser adds a user and makes their invitation link.
func (h *handler) inviteUser(w http.ResponseWriter, r *http.Request, s *session) {
	form, ok := h.readForm(w, r, s)
	if !ok {
		return
	}
	in := intake.NewInvite{Email: form.Get("email"), Firstname: form.Get("firstname"),
		Lastname: form.Get("lastname"), Role: intake.Role(form.Get("role"))}
	sent, err := h.svc.InviteUser(r.Context(), s.p, in, h.linkURL(r))
	switch intake.ErrorCodeOf(err) {
	case "":
	case intake.EInvalid, intake.EConflict:
		h.renderUsers(w, r, s, http.StatusBadRequest, usersView{Error: formError(err), Invite: in})
		return
	default:
		h.writeError(w, r, s, err)
		return
	}
	h.renderUsers(w, r, s, http.StatusOK, linkShown(sent, "Invitation made for "+sent.User.Email+"."))
}

// sendUserLink makes a password link for a user: a new invitation or a
// reset.
func (h *handler) sendUserLink(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := h.userID(w, r, s)
	if !ok {
		return
	}
	if _, ok := h.readForm(w, r, s); !ok {
		return
	}
	sent, err := h.svc.SendPasswordLink(r.Context(), s.p, id, h.linkURL(r))
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	what := "Reset link"
	if sent.Purpose == intake.LinkInvite {
		what = "New invitation"
	}
	h.renderUsers(w, r, s, http.StatusOK, linkShown(sent, what+" made for "+sent.User.Email+"."))
}

// linkShown is the users page after a link was made: a notice, and the
// link itself when it was not mailed.
func linkShown(sent *intake.LinkSent, made string) usersView {
	v := usersView{Notice: made}
	if sent.Mailed {
		v.Notice += " It was mailed to them."
		return v
	}
	v.Link = &shownLink{Email: sent.User.Email, URL: sent.URL, Invite: sent.Purpose == intake.LinkInvite, MailError: sent.MailError}
	return v
}

// setUserRole changes a user's role.
func (h *handler) setUserRole(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := h.userID(w, r, s)
	if !ok {
		return
	}
	form, ok := h.readForm(w, r, s)
	if !ok {
		return
	}
	if _, err := h.svc.SetUserRole(r.Context(), s.p, id, intake.Role(form.Get("role"))); err != nil {
		h.writeError(w, r, s, err)
		return
	}
	http.Redirect(w, r, usersPath(s.p.Org.Reference)+"?done=role", http.StatusSeeOther)
}

// setUserDisabled disables or enables a user.
func (h *handler) setUserDisabled(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := h.userID(w, r, s)
	if !ok {
		return
	}
	form, ok := h.readForm(w, r, s)
	if !ok {
		return
	}
	disabled, err := strconv.ParseBool(form.Get("disabled"))
	if err != nil {
		h.writeError(w, r, s, intake.Errorf(intake.EInvalid, "The form could not be read."))
		return
	}
	if _, err := h.svc.SetUserDisabled(r.Context(), s.p, id, disabled); err != nil {
		h.writeError(w, r, s, err)
		return
	}
	done := "enabled"
	if disabled {
		done = "disabled"
	}
	http.Redirect(w, r, usersPath(s.p.Org.Reference)+"?done="+done, http.StatusSeeOther)
}

// userID reads the user id of the URL; a malformed one is a missing page.
func (h *handler) userID(w http.ResponseWriter, r *http.Request, s *session) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("user"), 10, 64)
	if err != nil || id <= 0 {
		h.writeError(w, r, s, errPageNotFound)
		return 0, false
	}
	return id, true
}

// formError is the text of a validation error: its fields' reasons, in
// field order, else its message.
func formError(err error) string {
	e, ok := errors.AsType[*intake.Error](err)
	if !ok || len(e.Fields) == 0 {
		return intake.ErrorMessage(err)
	}
	var parts []string
	for _, f := range []string{"email", "firstname", "lastname", "role"} {
		if m, ok := e.Fields[f]; ok {
			parts = append(parts, fieldLabel[f]+" "+m)
		}
	}
	return strings.Join(parts, "; ") + "."
}

var fieldLabel = map[string]string{"email": "Email", "firstname": "First name", "lastname": "Last name", "role": "Role"}
