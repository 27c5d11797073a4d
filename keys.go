package intake

import (
	"context"
	"slices"
	"strings"
)

// OrgByReference finds an organization by its WelcomeKit reference, for
// maintenance commands. Errors: ENotFound.
func (s *Service) OrgByReference(ctx context.Context, reference string) (*Org, error) {
	orgs, err := s.store.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		if o.Reference == reference {
			return o, nil
		}
	}
	return nil, Errorf(ENotFound, "organization %q not found", reference)
}

// CreateAPIKey issues a key for an organization and returns its plain token,
// which is not stored and cannot be shown again.
// Errors: ENotFound (organization), EInvalid (name, scopes).
func (s *Service) CreateAPIKey(ctx context.Context, orgRef, name string, scopes []Scope) (string, *APIKey, error) {
	org, err := s.OrgByReference(ctx, orgRef)
	if err != nil {
		return "", nil, err
	}
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
	if err := f.err(); err != nil {
		return "", nil, err
	}
	token := NewToken()
	key := &APIKey{OrgID: org.ID, Name: name, Hash: HashToken(token), Scopes: scopes, CreatedAt: s.Now()}
	if err := s.store.CreateAPIKey(ctx, key); err != nil {
		return "", nil, err
	}
	return token, key, nil
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
