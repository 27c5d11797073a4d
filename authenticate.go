package intake

import (
	"context"
	"fmt"
	"math"
)

// Authenticate resolves a plain token to a live key and its organization,
// or a user token to its user (see UserTokens), and spends one request of
// the key's (or user's) rate limit.
// Errors: EUnauthenticated for an empty, unknown or revoked token;
// ERateLimited (with RetryAfter) when the key is over its limit.
func (s *Service) Authenticate(ctx context.Context, token string) (*Principal, error) {
	if token == "" {
		return nil, Errorf(EUnauthenticated, "missing access token")
	}
	var (
		p   *Principal
		err error
	)
	if s.tokens != nil && s.tokens.Looks(token) {
		p, err = s.userPrincipal(ctx, token)
	} else {
		p, err = s.principal(ctx, HashToken(token), "invalid access token")
	}
	if err != nil {
		return nil, err
	}
	if s.limiter != nil {
		rl, ok := s.limiter.Take(p.Key.ID, s.now())
		p.Rate = &rl
		if !ok {
			secs := int(math.Ceil(rl.RetryAfter.Seconds()))
			return nil, &Error{Code: ERateLimited, RetryAfter: rl.RetryAfter,
				Message: fmt.Sprintf("rate limit exceeded: %d requests per burst; retry in %d s", rl.Limit, secs)}
		}
	}
	return p, nil
}

// principal resolves a stored key hash to a live key and its organization;
// an unknown or revoked key fails with EUnauthenticated and refusal as its
// message. Live keys are cached for KeyCacheTTL; unknown and revoked ones
// are not, so they cost a store read every time but no memory.
func (s *Service) principal(ctx context.Context, hash, refusal string) (*Principal, error) {
	now := s.now()
	if key, org, owner, ok := s.keys.get(hash, now); ok {
		// A new Principal per request: Authenticate sets its Rate.
		return &Principal{Key: key, Org: org, Owner: owner}, nil
	}
	gen := s.keys.generation()
	key, org, err := s.store.APIKeyByHash(ctx, hash)
	switch {
	case ErrorCodeOf(err) == ENotFound:
		return nil, Errorf(EUnauthenticated, "%s", refusal)
	case err != nil:
		return nil, err
	case key.RevokedAt != nil:
		return nil, Errorf(EUnauthenticated, "%s", refusal)
	}
	owner, err := s.keyOwner(ctx, key)
	if err != nil {
		return nil, err
	}
	s.keys.put(hash, key, org, owner, now, gen)
	return &Principal{Key: key, Org: org, Owner: owner}, nil
}

// keyOwner reads the owner of a key: nil when it has none, or when the
// owner is disabled (or, defensively, of another organization), so that a
// disabled user is simply not shown as the key's owner. Cached with the
// key, a newly disabled owner is dropped within KeyCacheTTL.
func (s *Service) keyOwner(ctx context.Context, key *APIKey) (*User, error) {
	if key.OwnerUserID == 0 {
		return nil, nil
	}
	u, _, err := s.store.UserByID(ctx, key.OwnerUserID)
	switch {
	case ErrorCodeOf(err) == ENotFound:
		return nil, nil
	case err != nil:
		return nil, err
	case u.Disabled || u.OrgID != key.OrgID:
		return nil, nil
	}
	return u, nil
}

// AuthenticateHash resolves the stored form of a token (HashToken's output)
// to a live key and its organization, without spending its rate limit. It
// serves callers that keep the hash rather than the token; a revocation is
// seen at once when made through this Service, within KeyCacheTTL otherwise.
// Errors: EUnauthenticated for an empty, unknown or revoked hash.
func (s *Service) AuthenticateHash(ctx context.Context, hash string) (*Principal, error) {
	if hash == "" {
		return nil, Errorf(EUnauthenticated, "missing session")
	}
	return s.principal(ctx, hash, "invalid session")
}
