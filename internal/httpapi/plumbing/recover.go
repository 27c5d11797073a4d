package plumbing

import (
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"

	"intake"
)

// Recover returns next with a panic turned into a logged internal error,
// answered by writeError: a bug must not cost the client its connection nor
// leak a stack trace. http.ErrAbortHandler is re-raised, as net/http means
// it to abort the response. name prefixes the log message.
func Recover(next http.Handler, log *slog.Logger, name string, writeError ErrorWriter) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(v)
				}
				log.ErrorContext(r.Context(), name+": panic", "request_id", intake.RequestID(r.Context()),
					"panic", v, "stack", string(debug.Stack()))
				writeError(w, r, intake.Errorf(intake.EInternal, "panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
