package dashboard

import (
	"errors"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"intake"
)

// loginView is the sign-in page.
type loginView struct {
	layout
	// Next is where to go once signed in; empty for the organization page.
	Next string
	// Email is kept after a failed attempt, so only the password is retyped.
	Email string
	// Error says why the last attempt failed.
	Error string
	// Ended says the visitor's session expired or was ended (user disabled,
	// password changed).
	Ended bool
	// PasswordSet says the visitor just chose their password with a link.
	PasswordSet bool
	CSRF        string
}

// showLogin shows the sign-in form.
func (h *handler) showLogin(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := loginView{
		layout: h.layout("Sign in", nil),
		Next:   safeNext(q.Get("next")),
		Ended:  q.Get("ended") == "1",
		// Only a notice, never text from the URL: done names which.
		PasswordSet: q.Get("done") == "password",
		CSRF:        h.formCSRF(w, r),
	}
	render(h, w, r, http.StatusOK, h.pages.login, v)
}

// Sign-in failures as the page says them. A wrong email and a wrong
// password read the same, so the page tells no one who has an account.
const (
	loginBlankText   = "Enter your email and password."
	loginRefusedText = "This email and password do not match an active account."
)

// login checks an email and password and starts a session for the user.
// Failures count against the email and the client's address (the Service's
// limiter, shared with the Flatchr API's POST /user/login).
func (h *handler) login(w http.ResponseWriter, r *http.Request) {
	form, ok := h.readSignedOutForm(w, r)
	if !ok {
		return
	}
	next := safeNext(form.Get("next"))
	email := strings.TrimSpace(form.Get("email"))
	fail := func(status int, msg string) {
		v := loginView{layout: h.layout("Sign in", nil), Next: next, Email: email, Error: msg, CSRF: h.formCSRF(w, r)}
		render(h, w, r, status, h.pages.login, v)
	}
	p, stamp, err := h.svc.SignIn(r.Context(), email, form.Get("password"), clientAddr(r))
	switch intake.ErrorCodeOf(err) {
	case "":
	case intake.EInvalid:
		fail(http.StatusBadRequest, loginBlankText)
		return
	case intake.EUnauthenticated:
		fail(http.StatusUnauthorized, loginRefusedText)
		return
	case intake.ERateLimited:
		if e, ok := errors.AsType[*intake.Error](err); ok && e.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
		}
		fail(http.StatusTooManyRequests, "Too many failed sign-ins. Wait a few minutes, then try again.")
		return
	default:
		h.writeError(w, r, nil, err)
		return
	}
	http.SetCookie(w, h.newCookie(p.User.ID, stamp, h.svc.Now().Add(SessionTTL)))
	if next == "" {
		next = homePath(p.Org.Reference)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// clientAddr is the peer's IP address, which sign-in failures count
// against. Forwarded headers are not trusted: a client could then pick its
// own address and escape the limit.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// logout ends the session.
func (h *handler) logout(w http.ResponseWriter, r *http.Request, s *session) {
	if _, ok := h.readForm(w, r, s); !ok {
		return
	}
	h.clearCookie(w)
	http.Redirect(w, r, loginPath, http.StatusSeeOther)
}

// safeNext keeps a post-sign-in destination only when it is a page of the
// dashboard, so the sign-in form cannot be used to send a visitor elsewhere.
func safeNext(next string) string {
	if !strings.HasPrefix(next, rootPath) || strings.ContainsAny(next, "\\") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == loginPath {
		return ""
	}
	return next
}
