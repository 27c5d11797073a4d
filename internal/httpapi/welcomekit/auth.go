package welcomekit

import (
	"net/http"
	"strings"

	"intake"
	"intake/internal/httpapi/ratelimit"
)

// authorize authenticates the request and checks its key's scope for a,
// before any input is read (spec welcomekit §2 Check order: auth, then scope,
// then the body).
// Errors: EUnauthenticated, a *scopeError around EForbidden.
func (h *handler) authorize(w http.ResponseWriter, r *http.Request, a intake.Action) (*intake.Principal, error) {
	token, err := accessToken(r)
	if err != nil {
		return nil, err
	}
	p, err := h.svc.Authenticate(r.Context(), token)
	if err != nil {
		return nil, err
	}
	ratelimit.SetHeaders(w.Header(), p.Rate)
	if err := p.Allow(a); err != nil {
		return nil, &scopeError{err}
	}
	return p, nil
}

// accessToken reads the key from `Authorization: Bearer …`, else from
// `?access_token=`. A present header wins even when it is malformed, so a
// client never authenticates as a key it did not mean to send. The seed's
// example writes the scheme in lowercase, so it is matched case-insensitively.
func accessToken(r *http.Request) (string, error) {
	if values, ok := r.Header["Authorization"]; ok {
		scheme, token, _ := strings.Cut(strings.TrimSpace(values[0]), " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			return "", intake.Errorf(intake.EUnauthenticated, "Authorization header must be: Bearer <access token>")
		}
		return token, nil
	}
	return r.URL.Query().Get("access_token"), nil
}
