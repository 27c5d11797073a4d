package welcomekit

import (
	"errors"
	"net/http"

	"intake"
	"intake/internal/httpapi/plumbing"
	"intake/internal/httpapi/ratelimit"
)

// errorJSON is the vendor's error body (spec welcomekit §1 Errors).
type errorJSON struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// wireStatus is how one domain error code is answered.
type wireStatus struct {
	status int
	error  string
}

// statuses maps every intake.ErrorCode to the dialect's status and error
// string. EForbidden is the organization-membership failure, which the vendor
// reports as "unauthorized"; scope failures go through scopeError.
var statuses = map[intake.ErrorCode]wireStatus{
	intake.EInvalid:         {http.StatusBadRequest, "validation_failed"},
	intake.EUnauthenticated: {http.StatusUnauthorized, "unauthorized"},
	intake.EForbidden:       {http.StatusForbidden, "unauthorized"},
	intake.ENotFound:        {http.StatusNotFound, "not_found"},
	intake.EConflict:        {http.StatusConflict, "conflict"},
	intake.ETooLarge:        {http.StatusRequestEntityTooLarge, "validation_failed"},
	intake.EUnsupported:     {http.StatusUnsupportedMediaType, "unsupported_media_type"},
	intake.EUnavailable:     {http.StatusServiceUnavailable, "service_unavailable"},
	intake.ERateLimited:     {http.StatusTooManyRequests, "rate_limited"},
	intake.EInternal:        {http.StatusInternalServerError, "internal_server_error"},
}

// scopeError marks a failed scope check, which the vendor names
// "invalid_scope" while its other 403 is "unauthorized".
type scopeError struct{ err error }

func (e *scopeError) Error() string { return e.err.Error() }
func (e *scopeError) Unwrap() error { return e.err }

// writeError is the dialect's only error writer.
func (h *handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	ws, desc := h.describe(r, err)
	if me, ok := errors.AsType[*plumbing.MethodError](err); ok {
		me.SetAllow(w.Header())
	}
	if ws.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", "Bearer")
	}
	ratelimit.SetRetryAfter(w.Header(), err)
	// Encoding two strings cannot fail.
	body, _ := encodeJSON(errorJSON{Error: ws.error, ErrorDescription: desc})
	plumbing.WriteBody(w, ws.status, plumbing.ContentTypeJSON, body)
}

// internalText is all a client learns about an internal error.
const internalText = "Something went wrong on our side; please retry later"

// describe maps err to its status, error string and client-safe text,
// logging the causes the client must not see.
func (h *handler) describe(r *http.Request, err error) (wireStatus, string) {
	if me, ok := errors.AsType[*plumbing.MethodError](err); ok {
		return wireStatus{http.StatusMethodNotAllowed, "method_not_allowed"}, me.Error()
	}
	code := intake.ErrorCodeOf(err)
	ws, ok := statuses[code]
	_, scope := errors.AsType[*scopeError](err)
	switch {
	case !ok || code == intake.EInternal:
		h.log.ErrorContext(r.Context(), "welcomekit: internal error",
			"request_id", intake.RequestID(r.Context()), "method", r.Method, "path", r.URL.Path, "err", err)
		return statuses[intake.EInternal], internalText
	case scope:
		ws.error = "invalid_scope"
	case code == intake.ETooLarge && len(intake.ErrorFields(err)) > 0:
		// A remote file over its cap is a failed download, which the spec
		// answers as a validation error on the field (spec welcomekit §2
		// Remote files); 413 is for the request body itself.
		ws.status = http.StatusBadRequest
	}
	return ws, intake.ErrorMessage(err)
}
