package intake

import (
	"context"
	"time"
)

// Org is a tenant: a company whose candidates, jobs and keys are invisible to
// every other organization.
type Org struct {
	ID int64
	// Name is shown in the dashboard and the Flatchr company object.
	Name string
	// Reference is the WelcomeKit organization_reference (opaque string).
	Reference string
	// CompanyKey is the Flatchr companyID (16 base62 chars).
	CompanyKey string
	// Slug is the Flatchr career-site slug (`GET /company/{slug}.json`).
	Slug string
	// Content is what career sites and the organization endpoints show.
	Content   OrgContent
	CreatedAt time.Time
	UpdatedAt time.Time
}

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
