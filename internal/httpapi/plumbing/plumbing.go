// Package plumbing is the HTTP plumbing every handler package shares
// (welcomekit, flatchr, download, dashboard): routing fallbacks, panic
// recovery, buffered writing, body limits and the idempotency request hash.
// What an answer looks like stays each package's own: every helper that
// answers an error takes the package's error writer.
package plumbing

import (
	"net/http"

	"intake"
)

// ErrorWriter answers err in one package's format: its body shape, its
// status table, its headers.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, err error)

// Status is the plain HTTP status of a domain error code, 500 for a code it
// does not know. Packages whose format has no words of its own for a code
// answer with this status.
func Status(code intake.ErrorCode) int {
	switch code {
	case intake.EInvalid:
		return http.StatusBadRequest
	case intake.EUnauthenticated:
		return http.StatusUnauthorized
	case intake.EForbidden:
		return http.StatusForbidden
	case intake.ENotFound:
		return http.StatusNotFound
	case intake.EConflict:
		return http.StatusConflict
	case intake.ETooLarge:
		return http.StatusRequestEntityTooLarge
	case intake.EUnsupported:
		return http.StatusUnsupportedMediaType
	case intake.EUnavailable:
		return http.StatusServiceUnavailable
	case intake.ERateLimited:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}
