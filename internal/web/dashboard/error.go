package dashboard

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"intake"
)

// statuses maps every intake.ErrorCode to the status of its error page.
var statuses = map[intake.ErrorCode]int{
	intake.EInvalid:         http.StatusBadRequest,
	intake.EUnauthenticated: http.StatusUnauthorized,
	intake.EForbidden:       http.StatusForbidden,
	intake.ENotFound:        http.StatusNotFound,
	intake.EConflict:        http.StatusConflict,
	intake.ETooLarge:        http.StatusRequestEntityTooLarge,
	intake.EUnsupported:     http.StatusUnsupportedMediaType,
	intake.EUnavailable:     http.StatusServiceUnavailable,
	intake.ERateLimited:     http.StatusTooManyRequests,
	intake.EInternal:        http.StatusInternalServerError,
}

// errPageNotFound is the one answer for anything the visitor may not see,
// so that a foreign organization, job or candidate looks like a typo.
var errPageNotFound = intake.Errorf(intake.ENotFound, "There is no such page, or it is not yours to see.")

// methodError answers a known path with a method it does not serve.
type methodError struct{ allow []string }

func (e *methodError) Error() string { return "method not allowed" }

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
	if me, ok := errors.AsType[*methodError](err); ok {
		w.Header().Set("Allow", strings.Join(me.allow, ", "))
		status, msg = http.StatusMethodNotAllowed, "This page cannot be used that way."
	} else if code := intake.ErrorCodeOf(err); code == intake.EInternal || statuses[code] == 0 {
		h.log.ErrorContext(r.Context(), "dashboard: internal error", "request_id", intake.RequestID(r.Context()),
			"method", r.Method, "path", r.URL.Path, "err", err)
	} else {
		status, msg = statuses[code], intake.ErrorMessage(err)
	}
	if intake.ErrorCodeOf(err) == intake.ENotFound {
		// One text for every missing thing, so that no page tells what
		// exactly was missing, nor whose it is.
		msg = errPageNotFound.Message
	}
	v := errorView{
		layout:  h.layout(http.StatusText(status), s),
		Status:  status,
		Message: msg,
		SignIn:  status == http.StatusUnauthorized,
	}
	render(h, w, r, status, h.pages.err, v)
}

// notRouted answers a path no route serves with this method: 405 with Allow
// when another method would be served, else 404.
func (h *handler) notRouted(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := h.mux.Handler(probe); pattern != "" && pattern != "/" {
			allow = append(allow, m)
		}
	}
	if slices.Contains(allow, http.MethodGet) {
		allow = append(allow, http.MethodHead)
	}
	if len(allow) == 0 || slices.Contains(allow, r.Method) {
		h.writeError(w, r, nil, errPageNotFound)
		return
	}
	h.writeError(w, r, nil, &methodError{allow: allow})
}
