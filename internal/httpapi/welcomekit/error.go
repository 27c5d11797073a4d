package welcomekit

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"intake"
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

// methodError answers a known path with a method it does not serve.
type methodError struct{ allow []string }

func (e *methodError) Error() string { return "method not allowed" }

// writeError is the dialect's only error writer.
func (h *handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	ws, desc := h.describe(r, err)
	if me, ok := errors.AsType[*methodError](err); ok {
		w.Header().Set("Allow", strings.Join(me.allow, ", "))
	}
	if ws.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", "Bearer")
	}
	ratelimit.SetRetryAfter(w.Header(), err)
	// Encoding two strings cannot fail.
	body, _ := encodeJSON(errorJSON{Error: ws.error, ErrorDescription: desc})
	writeBody(w, ws.status, body)
}

// internalText is all a client learns about an internal error.
const internalText = "Something went wrong on our side; please retry later"

// describe maps err to its status, error string and client-safe text,
// logging the causes the client must not see.
func (h *handler) describe(r *http.Request, err error) (wireStatus, string) {
	if _, ok := errors.AsType[*methodError](err); ok {
		return wireStatus{http.StatusMethodNotAllowed, "method_not_allowed"},
			"Method " + r.Method + " is not allowed on " + r.URL.Path
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

// notRouted answers a path under /api/v1/external that no route serves with
// this method: 405 with Allow when another method would be served, else 404.
func (h *handler) notRouted(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := h.mux.Handler(probe); pattern != "" && pattern != catchAll {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 || slices.Contains(allow, r.Method) {
		h.writeError(w, r, intake.Errorf(intake.ENotFound, "No route matches %s %s", r.Method, r.URL.Path))
		return
	}
	h.writeError(w, r, &methodError{allow: allow})
}
