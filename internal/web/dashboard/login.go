package dashboard

import (
	"net/http"
	"net/url"
	"strings"

	"intake"
)

// loginView is the sign-in page.
type loginView struct {
	layout
	// Next is where to go once signed in; empty for the organization page.
	Next string
	// Error says why the last attempt failed.
	Error string
	// Ended says the visitor's session expired or its key was revoked.
	Ended bool
}

// showLogin shows the sign-in form.
func (h *handler) showLogin(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := loginView{
		layout: h.layout("Sign in", nil),
		Next:   safeNext(q.Get("next")),
		Ended:  q.Get("ended") == "1",
	}
	render(h, w, r, http.StatusOK, h.pages.login, v)
}

// login checks the pasted API key and starts a session for it. The token
// itself is never stored nor sent back: the cookie carries its hash.
func (h *handler) login(w http.ResponseWriter, r *http.Request) {
	form, ok := h.readForm(w, r, nil)
	if !ok {
		return
	}
	next := safeNext(form.Get("next"))
	token := strings.TrimSpace(form.Get("token"))
	fail := func(status int, msg string) {
		v := loginView{layout: h.layout("Sign in", nil), Next: next, Error: msg}
		render(h, w, r, status, h.pages.login, v)
	}
	if token == "" {
		fail(http.StatusBadRequest, "Paste one of your organization's API keys.")
		return
	}
	p, err := h.svc.Authenticate(r.Context(), token)
	switch {
	case intake.ErrorCodeOf(err) == intake.EUnauthenticated:
		fail(http.StatusUnauthorized, "This API key is not valid: it is unknown or has been revoked.")
		return
	case err != nil:
		h.writeError(w, r, nil, err)
		return
	}
	http.SetCookie(w, h.newCookie(p.Key.Hash, h.svc.Now().Add(SessionTTL)))
	if next == "" {
		next = homePath(p.Org.Reference)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
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
