package dashboard

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"intake"
)

// Paths of the password pages, reached signed out.
const (
	passwordPath = "/dashboard/password"
	forgotPath   = "/dashboard/password/forgot"
)

// forgotView is the "forgot password" page.
type forgotView struct {
	layout
	// Sent shows the one answer to any request, with the email typed.
	Sent         bool
	Email        string
	ResetMinutes int
	CSRF         string
}

// passwordView is the page a password link opens.
type passwordView struct {
	layout
	// Dead is set when the link cannot serve: unknown, used or expired.
	Dead   bool
	Token  string
	Email  string
	Invite bool
	Error  string
	// MinLength and MaxLength are the password's bounds, for the browser
	// to check before the Service does.
	MinLength int
	MaxLength int
	CSRF      string
}

// linkURL returns the builder of password link addresses: under the
// configured public URL, else the address this request came to (only for
// links an admin asks for, who sees or mails them; a signed-out visitor
// could pick that address, see forgotPassword).
func (h *handler) linkURL(r *http.Request) func(token string) string {
	base := h.publicURL
	if base == "" {
		scheme := "http"
		if h.secure || r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return func(token string) string {
		return base + passwordPath + "?" + url.Values{"token": {token}}.Encode()
	}
}

// showForgot shows the form asking for a reset link.
func (h *handler) showForgot(w http.ResponseWriter, r *http.Request) {
	v := forgotView{layout: h.layout("Forgot your password?", nil), ResetMinutes: int(intake.ResetLinkTTL.Minutes()),
		CSRF: h.formCSRF(w, r)}
	render(h, w, r, http.StatusOK, h.pages.forgot, v)
}

// forgotPassword asks the Service to mail a reset link, and answers the
// same whatever the email. Without a configured public URL nothing is
// sent: the link's address would come from the request's Host header,
// which whoever posts the form chooses, and a victim's link could then
// point to the attacker's host.
func (h *handler) forgotPassword(w http.ResponseWriter, r *http.Request) {
	form, ok := h.readSignedOutForm(w, r)
	if !ok {
		return
	}
	email := strings.TrimSpace(form.Get("email"))
	var link func(string) string
	if h.publicURL != "" {
		link = h.linkURL(r)
	} else if email != "" {
		h.log.WarnContext(r.Context(), "dashboard: a password reset was asked for, but no public URL is configured (--public-url): no link sent")
	}
	h.svc.RequestPasswordReset(r.Context(), email, clientAddr(r), link)
	v := forgotView{layout: h.layout("Forgot your password?", nil), Sent: email != "", Email: email,
		ResetMinutes: int(intake.ResetLinkTTL.Minutes())}
	render(h, w, r, http.StatusOK, h.pages.forgot, v)
}

// showPassword shows the form of a password link, or why it cannot serve.
func (h *handler) showPassword(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	l, u, err := h.svc.PasswordLinkUser(r.Context(), token)
	h.renderPassword(w, r, token, l, u, err, "")
}

// renderPassword renders the password page for a link, or its dead form
// when err says so.
func (h *handler) renderPassword(w http.ResponseWriter, r *http.Request, token string, l *intake.PasswordLink, u *intake.User, err error, msg string) {
	v := passwordView{layout: h.layout("Choose your password", nil),
		MinLength: intake.MinPasswordLength, MaxLength: intake.MaxPasswordLength, CSRF: h.formCSRF(w, r)}
	switch {
	case intake.ErrorCodeOf(err) == intake.ENotFound:
		v.Dead = true
		render(h, w, r, http.StatusNotFound, h.pages.password, v)
		return
	case err != nil:
		h.writeError(w, r, nil, err)
		return
	}
	v.Token, v.Email, v.Invite, v.Error = token, u.Email, l.Purpose == intake.LinkInvite, msg
	status := http.StatusOK
	if msg != "" {
		status = http.StatusBadRequest
	}
	render(h, w, r, status, h.pages.password, v)
}

// setPassword sets the password of a link's user, then sends them to sign
// in with it.
func (h *handler) setPassword(w http.ResponseWriter, r *http.Request) {
	form, ok := h.readSignedOutForm(w, r)
	if !ok {
		return
	}
	token, password := form.Get("token"), form.Get("password")
	l, u, err := h.svc.PasswordLinkUser(r.Context(), token)
	if err != nil {
		h.renderPassword(w, r, token, nil, nil, err, "")
		return
	}
	if password != form.Get("confirm") {
		h.renderPassword(w, r, token, l, u, nil, "The two passwords differ. Type the same password twice.")
		return
	}
	_, err = h.svc.SetPasswordWithLink(r.Context(), token, password)
	switch intake.ErrorCodeOf(err) {
	case "":
	case intake.EInvalid:
		h.renderPassword(w, r, token, l, u, nil, "The password "+fieldMessage(err, "password")+".")
		return
	default:
		h.renderPassword(w, r, token, l, u, err, "")
		return
	}
	// Any session of this browser belonged to someone, maybe this user,
	// whose sessions have just ended: start clean.
	if _, err := r.Cookie(cookieName); err == nil {
		h.clearCookie(w)
	}
	http.Redirect(w, r, loginPath+"?done=password", http.StatusSeeOther)
}

// fieldMessage returns the reason an EInvalid error gives for field, or
// its message.
func fieldMessage(err error, field string) string {
	if e, ok := errors.AsType[*intake.Error](err); ok {
		if m, ok := e.Fields[field]; ok {
			return m
		}
	}
	return intake.ErrorMessage(err)
}
