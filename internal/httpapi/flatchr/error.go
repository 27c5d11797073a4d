package flatchr

import (
	"errors"
	"net/http"
	"strings"

	"intake"
	"intake/internal/httpapi/plumbing"
	"intake/internal/httpapi/ratelimit"
)

// errorJSON is the error body, hapi style (spec flatchr §1 Errors: the docs
// show none, and their success bodies carry statusCode).
type errorJSON struct {
	StatusCode int    `json:"statusCode"`
	Error      string `json:"error"`
	Message    string `json:"message"`
}

// internalText is all a client learns about an internal error: hapi's own
// wording for a 500.
const internalText = "An internal server error occurred"

// writeError is the dialect's only JSON error writer.
func (h *handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := h.describe(r, err)
	h.errorHeaders(w, err, status)
	body, encErr := encodeJSON(errorJSON{StatusCode: status, Error: http.StatusText(status), Message: msg})
	if encErr != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"statusCode":500,"error":"Internal Server Error","message":"` + internalText + `"}`)
	}
	plumbing.WriteBody(w, status, plumbing.ContentTypeJSON, body)
}

func (h *handler) errorHeaders(w http.ResponseWriter, err error, status int) {
	if me, ok := errors.AsType[*plumbing.MethodError](err); ok {
		me.SetAllow(w.Header())
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="Flatchr"`)
	}
	ratelimit.SetRetryAfter(w.Header(), err)
}

// describe maps err to its status and client-safe message, logging the
// causes the client must not see.
func (h *handler) describe(r *http.Request, err error) (int, string) {
	if me, ok := errors.AsType[*plumbing.MethodError](err); ok {
		return http.StatusMethodNotAllowed, me.Error()
	}
	code := intake.ErrorCodeOf(err)
	status := plumbing.Status(code)
	if status == http.StatusInternalServerError {
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
