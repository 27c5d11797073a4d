package intake

// Principal is an authenticated caller: a live key and its organization.
// Each call to Authenticate returns a new Principal, but Key and Org may be
// shared with other requests of the same key: treat them as read-only.
type Principal struct {
	Key *APIKey
	Org *Org
	// User is the signed-in user when the credential is a user token; its
	// Key then stands for the user (see userPrincipal). Nil for API keys.
	User *User
	// Owner is the enabled user owning the API key (APIKey.OwnerUserID),
	// nil when the key has none, its owner is disabled, or the credential
	// is a user token. It names the caller (author, current user) and
	// grants nothing: the key's scopes alone decide.
	Owner *User
	// Rate is the key's standing against its rate limit; nil when requests
	// are not limited.
	Rate *RateLimit
}

// canWrite reports whether the principal may create or update candidates,
// and whether it is restricted to the ones its key created.
func (p *Principal) canWrite() (ok, ownOnly bool) {
	switch {
	case p.Key.Has(ScopeCandidatesRW):
		return true, false
	case p.Key.Has(ScopeMyCandidatesRW):
		return true, true
	}
	return false, false
}

// canRead reports whether the principal may read candidates, and whether it
// is restricted to the ones its key created.
func (p *Principal) canRead() (ok, ownOnly bool) {
	switch {
	case p.Key.Has(ScopeCandidatesRW), p.Key.Has(ScopeCandidatesR):
		return true, false
	case p.Key.Has(ScopeMyCandidatesRW), p.Key.Has(ScopeMyCandidatesR):
		return true, true
	}
	return false, false
}

// Action is what a caller wants to do with candidates.
type Action int

// Actions checked by Allow.
const (
	ActionRead Action = iota
	ActionWrite
)

// Allow checks the principal's scopes for an action, before any input is
// read. Errors: EForbidden naming the scopes that would do.
// A signed-in user is checked by role (Require).
func (p *Principal) Allow(a Action) error {
	if p.User != nil {
		if a == ActionWrite {
			return p.Require(PermMove)
		}
		return p.Require(PermRead)
	}
	var ok bool
	if a == ActionWrite {
		ok, _ = p.canWrite()
		if !ok {
			return Errorf(EForbidden, "this endpoint requires the candidates_rw or my_candidates_rw scope")
		}
		return nil
	}
	ok, _ = p.canRead()
	if !ok {
		return Errorf(EForbidden, "this endpoint requires a candidates_r(w) or my_candidates_r(w) scope")
	}
	return nil
}
