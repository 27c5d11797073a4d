package dashboard

import (
	"errors"
	"net/http"

	"intake"
	"intake/internal/httpapi/plumbing"
)

// errPageNotFound is the one answer for anything the visitor may not see,
// so that a foreign organization, job or candidate looks like a typo.
var errPageNotFound = intake.Errorf(intake.ENotFound, "There is no such page, or it is not yours to see.")

// errorView is the error page.
type errorView struct {
	layout
	Status  int
	Message string
	// SignIn is set when signing in (again) is the way out.
	SignIn bool
}

// internalText is all a visitor learns about an internal error.
const internalText = "Something went wrong on our side. Please try again in a moment."

// writeError is the dashboard's only error writer: an HTML page with the
// status of err's code and its client-safe message. Internal causes are
// logged, never shown. s is the session, nil when there is none.
func (h *handler) writeError(w http.ResponseWriter, r *http.Request, s *session, err error) {
	status, msg := http.StatusInternalServerError, internalText
	if me, ok := errors.AsType[*plumbing.MethodError](err); ok {
		me.SetAllow(w.Header())
		status, msg = http.StatusMethodNotAllowed, "This page cannot be used that way."
	} else if code := intake.ErrorCodeOf(err); plumbing.Status(code) == http.StatusInternalServerError {
		h.log.ErrorContext(r.Context(), "dashboard: internal error", "request_id", intake.RequestID(r.Context()),
			"method", r.Method, "path", r.URL.Path, "err", err)
	} else {
		status, msg = plumbing.Status(code), intake.ErrorMessage(err)
	}
	if intake.ErrorCodeOf(err) == intake.ENotFound {
		// One text for every missing thing, so that no page tells what
		// exactly was missing, nor whose it is.
		msg = errPageNotFound.Message
	}
	title := http.StatusText(status)
	if status == http.StatusForbidden {
		title = "Not allowed"
	}
	v := errorView{
		layout:  h.layout(title, s),
		Status:  status,
		Message: msg,
		SignIn:  status == http.StatusUnauthorized,
	}
	render(h, w, r, status, h.pages.err, v)
}

// writeSessionless is writeError before any session is read: the panic and
// routing fallbacks of the plumbing call it.
func (h *handler) writeSessionless(w http.ResponseWriter, r *http.Request, err error) {
	h.writeError(w, r, nil, err)
}
