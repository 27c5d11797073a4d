package flatchr

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"intake"
	"intake/internal/httpapi/ratelimit"
)

// errorJSON is the error body, hapi style (spec flatchr §1 Errors: the docs
// show none, and their success bodies carry statusCode).
type errorJSON struct {
	StatusCode int    `json:"statusCode"`
	Error      string `json:"error"`
	Message    string `json:"message"`
}

// statuses maps every intake.ErrorCode to the dialect's status.
var statuses = map[intake.ErrorCode]int{
	intake.EInvalid:         http.StatusBadRequest,
	intake.EUnauthenticated: http.StatusUnauthorized,
	intake.EForbidden:       http.StatusForbidden,
	intake.ENotFound:        http.StatusNotFound,
	intake.EConflict:        http.StatusConflict,
	intake.ETooLarge:        http.StatusRequestEntityTooLarge,
	intake.EUnsupported:     http.StatusUnsupportedMediaType,
	intake.ERateLimited:     http.StatusTooManyRequests,
	intake.EUnavailable:     http.StatusServiceUnavailable,
	intake.EInternal:        http.StatusInternalServerError,
}

// internalText is all a client learns about an internal error: hapi's own
// wording for a 500.
const internalText = "An internal server error occurred"

// methodError answers a known path with a method it does not serve.
type methodError struct{ allow []string }

func (e *methodError) Error() string { return "method not allowed" }

// writeError is the dialect's only JSON error writer.
func (h *handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := h.describe(r, err)
	h.errorHeaders(w, err, status)
	body, encErr := encodeJSON(errorJSON{StatusCode: status, Error: http.StatusText(status), Message: msg})
	if encErr != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"statusCode":500,"error":"Internal Server Error","message":"` + internalText + `"}`)
	}
	writeBody(w, status, "application/json; charset=utf-8", body)
}

func (h *handler) errorHeaders(w http.ResponseWriter, err error, status int) {
	if me, ok := errors.AsType[*methodError](err); ok {
		w.Header().Set("Allow", strings.Join(me.allow, ", "))
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="Flatchr"`)
	}
	ratelimit.SetRetryAfter(w.Header(), err)
}

// describe maps err to its status and client-safe message, logging the
// causes the client must not see.
func (h *handler) describe(r *http.Request, err error) (int, string) {
	if _, ok := errors.AsType[*methodError](err); ok {
		return http.StatusMethodNotAllowed, "Method " + r.Method + " is not allowed on " + r.URL.Path
	}
	code := intake.ErrorCodeOf(err)
	status, ok := statuses[code]
	if !ok || code == intake.EInternal {
		h.log.ErrorContext(r.Context(), "flatchr: internal error",
			"request_id", intake.RequestID(r.Context()), "method", r.Method, "path", r.URL.Path, "err", err)
		return http.StatusInternalServerError, internalText
	}
	fields := intake.ErrorFields(err)
	if _, link := fields["remote_resume_url"]; link && code == intake.ETooLarge {
		// A linked resume over the fetch cap is a link that cannot be
		// fetched (spec flatchr §12 #8): 400. 413 is for the request body,
		// inline base64 resume included.
		status = http.StatusBadRequest
	}
	if len(fields) > 0 {
		if renamed, changed := flatchrFields(fields); changed {
			return status, intake.FieldErrors(renamed).Message
		}
	}
	return status, intake.ErrorMessage(err)
}

// serviceFields renames the Service's field names that are WelcomeKit words
// into the parameters a Flatchr client sent.
var serviceFields = map[string]string{
	"remote_resume_url": "resume",
}

// flatchrFields returns fields under Flatchr parameter names, and whether
// any name changed.
func flatchrFields(fields map[string]string) (map[string]string, bool) {
	out := make(map[string]string, len(fields))
	changed := false
	for name, reason := range fields {
		wire := name
		if n, ok := serviceFields[name]; ok {
			wire = n
		} else if network, ok := strings.CutPrefix(name, "media_"); ok {
			wire = "urls." + network
		}
		changed = changed || wire != name
		if _, dup := out[wire]; !dup || wire == name {
			out[wire] = reason
		}
	}
	return out, changed
}

// notRouted answers a path under the dialect's prefixes that no route serves
// with this method: 405 with Allow when another method would be served,
// else 404.
func (h *handler) notRouted(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := h.mux.Handler(probe); pattern != "" && pattern != vacancyPaths && pattern != companyPaths && pattern != userPaths {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 || slices.Contains(allow, r.Method) {
		h.writeError(w, r, intake.Errorf(intake.ENotFound, "Not Found"))
		return
	}
	h.writeError(w, r, &methodError{allow: allow})
}
