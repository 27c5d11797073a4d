package intake

import "context"

// AuthenticateHash resolves the stored form of a token (HashToken's output)
// to a live key and its organization. It serves sessions that keep the hash
// rather than the token, such as the dashboard's cookie, and re-checks the
// key on every request so that a revocation ends those sessions: at once
// when revoked through this Service, within KeyCacheTTL otherwise.
// Errors: EUnauthenticated for an empty, unknown or revoked hash.
func (s *Service) AuthenticateHash(ctx context.Context, hash string) (*Principal, error) {
	if hash == "" {
		return nil, Errorf(EUnauthenticated, "missing session")
	}
	return s.principal(ctx, hash, "invalid session")
}
