package plumbing

import (
	"errors"
	"io"
	"net/http"
)

// LimitBody caps r's body at max bytes: a read past it fails with an error
// TooLarge recognises, and the server closes the connection after the
// answer instead of reading the rest. Callers answer that error in their
// format, naming the limit.
func LimitBody(w http.ResponseWriter, r *http.Request, max int64) io.ReadCloser {
	return http.MaxBytesReader(w, r.Body, max)
}

// TooLarge reports whether err, or an error it wraps, is a read past a
// LimitBody cap.
func TooLarge(err error) bool {
	_, ok := errors.AsType[*http.MaxBytesError](err)
	return ok
}
