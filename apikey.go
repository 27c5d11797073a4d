package intake

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
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
	ID     int64
	OrgID  int64
	Name   string
	Hash   string // hex SHA-256 of the token
	Scopes []Scope
	// OwnerUserID is the user of the same organization the key acts for,
	// 0 when none. An owner names the key's author and current user; it
	// gives the key none of the user's role.
	OwnerUserID int64
	CreatedAt   time.Time
	RevokedAt   *time.Time
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

// CreateAPIKey issues a key for an organization and returns its plain token,
// which is not stored and cannot be shown again. owner, when not empty, is
// the email of a user of the organization the key is owned by.
// Errors: ENotFound (organization), EInvalid (name, scopes, owner).
func (s *Service) CreateAPIKey(ctx context.Context, orgRef, name string, scopes []Scope, owner string) (string, *APIKey, error) {
	org, err := s.OrgByReference(ctx, orgRef)
	if err != nil {
		return "", nil, err
	}
	f := validKey(name, scopes)
	var ownerID int64
	if owner != "" {
		u, uorg, err := s.store.UserByEmail(ctx, owner)
		switch {
		case ErrorCodeOf(err) == ENotFound || err == nil && uorg.ID != org.ID:
			f.add("owner", "is not a user of organization "+org.Reference)
		case err != nil:
			return "", nil, err
		default:
			ownerID = u.ID
		}
	}
	if err := f.err(); err != nil {
		return "", nil, err
	}
	return s.createAPIKey(ctx, org.ID, name, scopes, ownerID)
}

func validKey(name string, scopes []Scope) fieldErrors {
	f := fieldErrors{}
	validText(f, "name", name, MaxShortText)
	if strings.TrimSpace(name) == "" {
		f.add("name", "can't be blank")
	}
	if len(scopes) == 0 {
		f.add("scopes", "can't be empty")
	}
	for _, sc := range scopes {
		if !slices.Contains(KnownScopes, sc) {
			f.add("scopes", "has an unknown scope "+quote(string(sc)))
		}
	}
	return f
}

func (s *Service) createAPIKey(ctx context.Context, orgID int64, name string, scopes []Scope, ownerID int64) (string, *APIKey, error) {
	token := NewToken()
	key := &APIKey{OrgID: orgID, Name: name, Hash: HashToken(token), Scopes: scopes, OwnerUserID: ownerID, CreatedAt: s.Now()}
	if err := s.store.CreateAPIKey(ctx, key); err != nil {
		return "", nil, err
	}
	return token, key, nil
}

// IssuableScopes are the scopes a person may give a key from the
// dashboard: every known scope but the su_ ones, which reach other
// organizations and are only given by the operator (the keys command or
// the world file).
var IssuableScopes = slices.DeleteFunc(slices.Clone(KnownScopes), func(s Scope) bool {
	return strings.HasPrefix(string(s), "su_")
})

// CreateAPIKeyAs issues a key of the principal's organization, owned by
// the signed-in user creating it, and returns its plain token, which is
// not stored and cannot be shown again. Errors: EForbidden
// (PermManageAPIKeys), EInvalid (name, scopes: only IssuableScopes).
func (s *Service) CreateAPIKeyAs(ctx context.Context, p *Principal, name string, scopes []Scope) (string, *APIKey, error) {
	if err := p.Require(PermManageAPIKeys); err != nil {
		return "", nil, err
	}
	name = strings.TrimSpace(name)
	f := validKey(name, scopes)
	for _, sc := range scopes {
		if slices.Contains(KnownScopes, sc) && !slices.Contains(IssuableScopes, sc) {
			f.add("scopes", "cannot include "+quote(string(sc))+": it reaches other organizations")
		}
	}
	if err := f.err(); err != nil {
		return "", nil, err
	}
	var ownerID int64
	if p.User != nil {
		ownerID = p.User.ID
	}
	return s.createAPIKey(ctx, p.Org.ID, name, scopes, ownerID)
}

// APIKeysAs lists the keys of the principal's organization (hashes only),
// revoked ones included. Errors: EForbidden (PermManageAPIKeys).
func (s *Service) APIKeysAs(ctx context.Context, p *Principal) ([]*APIKey, error) {
	if err := p.Require(PermManageAPIKeys); err != nil {
		return nil, err
	}
	return s.store.APIKeys(ctx, p.Org.ID)
}

// RevokeAPIKeyAs revokes a key of the principal's organization, as
// RevokeAPIKey does. Errors: EForbidden (PermManageAPIKeys), ENotFound
// (no such key in the organization).
func (s *Service) RevokeAPIKeyAs(ctx context.Context, p *Principal, keyID int64) error {
	if err := p.Require(PermManageAPIKeys); err != nil {
		return err
	}
	err := s.store.RevokeAPIKey(ctx, p.Org.ID, keyID, s.Now())
	s.keys.drop(keyID)
	return err
}

// APIKeys lists an organization's keys (hashes only). Errors: ENotFound.
func (s *Service) APIKeys(ctx context.Context, orgRef string) ([]*APIKey, error) {
	org, err := s.OrgByReference(ctx, orgRef)
	if err != nil {
		return nil, err
	}
	return s.store.APIKeys(ctx, org.ID)
}

// RevokeAPIKey revokes a key of an organization. Requests with it fail from
// then on in this Service, and within KeyCacheTTL in other processes
// sharing the store. Errors: ENotFound.
func (s *Service) RevokeAPIKey(ctx context.Context, orgRef string, keyID int64) error {
	org, err := s.OrgByReference(ctx, orgRef)
	if err != nil {
		return err
	}
	err = s.store.RevokeAPIKey(ctx, org.ID, keyID, s.Now())
	// Even after an error: the revocation may have committed all the same.
	s.keys.drop(keyID)
	return err
}
