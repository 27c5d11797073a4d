package plumbing

import (
	"net/http"
	"slices"
	"strings"
)

// MethodError is the error of a request whose path is served, but not with
// its method. Error writers answer it 405 with Allow.
type MethodError struct {
	Method string
	Path   string
	// Allow lists the methods the path is served with.
	Allow []string
}

func (e *MethodError) Error() string {
	return "Method " + e.Method + " is not allowed on " + e.Path
}

// SetAllow sets the Allow header of a 405 answer.
func (e *MethodError) SetAllow(h http.Header) { h.Set("Allow", strings.Join(e.Allow, ", ")) }

// probed are the methods a fallback tries, in the order Allow lists them.
var probed = [...]string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// HandleNotRouted registers the catch-all patterns on mux with one handler:
// a request that no other pattern serves is answered by writeError with a
// *MethodError when the path is served with other methods, else with
// notFound's error. ServeMux's own 404 and 405 are plain text; this keeps
// every answer in the package's format.
func HandleNotRouted(mux *http.ServeMux, catchAll []string, notFound func(r *http.Request) error, writeError ErrorWriter) {
	h := func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range probed {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" && !slices.Contains(catchAll, pattern) {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 || slices.Contains(allow, r.Method) {
			writeError(w, r, notFound(r))
			return
		}
		writeError(w, r, &MethodError{Method: r.Method, Path: r.URL.Path, Allow: allow})
	}
	for _, p := range catchAll {
		mux.HandleFunc(p, h)
	}
}
