package flatchr

import (
	"context"
	"net/http"
	"strings"

	"intake"
)

// requestCredentials returns the tokens a request carries outside its body:
// `Authorization: Bearer`, `?token=` and the pre-2022 `?api_key=` (spec
// flatchr §1 Authentication). Older connectors send `Authorization: <key>`
// with no scheme (spec flatchr §12 #22): a header of one word is that key.
// Empty values, as emptied form fields send, count as absent. An
// Authorization header of another scheme is refused rather than ignored, so
// that a client never believes it authenticated.
func requestCredentials(r *http.Request) ([]string, error) {
	var tokens []string
	if auth := strings.TrimSpace(r.Header.Get("Authorization")); auth != "" {
		scheme, token, spaced := strings.Cut(auth, " ")
		token = strings.TrimSpace(token)
		switch {
		case !spaced && !strings.EqualFold(auth, "Bearer"):
			token = auth
		case !spaced, !strings.EqualFold(scheme, "Bearer") || token == "":
			return nil, intake.Errorf(intake.EUnauthenticated, "the Authorization header must be Bearer <API key>")
		}
		tokens = append(tokens, token)
	}
	q := r.URL.Query()
	for _, name := range []string{"token", "api_key"} {
		for _, v := range q[name] {
			if v != "" {
				tokens = append(tokens, v)
			}
		}
	}
	return tokens, nil
}

// authenticate resolves every token and requires them to name one key
// (spec flatchr §12 #5). known, when not nil, is the principal the request
// already authenticated as.
func (h *handler) authenticate(ctx context.Context, known *intake.Principal, tokens []string) (*intake.Principal, error) {
	p := known
	seen := map[string]bool{}
	for _, t := range tokens {
		// A token already resolved (the header's, repeated in the body)
		// is not authenticated again: each request spends one unit of its
		// key's rate limit.
		if seen[t] || (known != nil && known.User == nil && intake.HashToken(t) == known.Key.Hash) {
			continue
		}
		seen[t] = true
		q, err := h.svc.Authenticate(ctx, t)
		if err != nil {
			return nil, err
		}
		if p != nil && q.Key.ID != p.Key.ID {
			return nil, intake.Errorf(intake.EUnauthenticated, "the request carries credentials of different API keys")
		}
		p = q
	}
	if p == nil {
		return nil, errNoCredential
	}
	return p, nil
}

// errNoCredential answers a request that carries no API key at all.
var errNoCredential = intake.Errorf(intake.EUnauthenticated, "missing API key: send it as token, ?token= or Authorization: Bearer")
