package intake

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"time"
)

// Scope is a permission carried by an API key (WelcomeKit scope names).
type Scope string

// Scopes the candidate endpoints check. Other WelcomeKit scope names are
// accepted in world files and kept, so keys can be declared as the vendor
// issues them.
const (
	ScopeCandidatesRW   Scope = "candidates_rw"
	ScopeCandidatesR    Scope = "candidates_r"
	ScopeMyCandidatesRW Scope = "my_candidates_rw"
	ScopeMyCandidatesR  Scope = "my_candidates_r"
)

// KnownScopes lists every scope name the WelcomeKit docs define.
var KnownScopes = []Scope{
	ScopeCandidatesRW, ScopeCandidatesR, ScopeMyCandidatesRW, ScopeMyCandidatesR,
	"jobs_r", "jobs_rw", "su_jobs_r", "organizations_r", "organizations_rw",
	"su_organizations_r", "offices_r", "offices_rw", "departments_r", "departments_rw",
	"documents_r", "documents_rw", "emails_r", "emails_rw", "comments_w", "moves_r",
	"me_r", "images_r", "videos_r", "tools_r", "su_images_r", "su_videos_r",
	"su_offices_r", "su_offices_rw",
}

// APIKey is a credential of one organization. Only the SHA-256 of the token
// is stored; the plain token is shown once, when the key is created.
type APIKey struct {
	ID        int64
	OrgID     int64
	Name      string
	Hash      string // hex SHA-256 of the token
	Scopes    []Scope
	CreatedAt time.Time
	RevokedAt *time.Time
}

// Has reports whether the key carries scope s.
func (k *APIKey) Has(s Scope) bool { return slices.Contains(k.Scopes, s) }

// HashToken returns the stored form of a token. Tokens are looked up by this
// hash, so it must be deterministic; generated tokens carry 256 bits of
// entropy, which makes a fast hash safe.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewToken returns a fresh random API token.
func NewToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return "ik_" + base64.RawURLEncoding.EncodeToString(b[:])
}

// Principal is an authenticated caller: a live key and its organization.
// Each call to Authenticate returns a new Principal, but Key and Org may be
// shared with other requests of the same key: treat them as read-only.
type Principal struct {
	Key *APIKey
	Org *Org
	// User is the signed-in user when the credential is a user token; its
	// Key then stands for the user (see userPrincipal). Nil for API keys.
	User *User
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
