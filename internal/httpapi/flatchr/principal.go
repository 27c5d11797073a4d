package flatchr

import (
	"net/http"

	"intake"
)

// companyPrincipal authenticates a management request (header or query
// credentials: API key or user token) and checks that the path's
// companyID is the credential's company; another company's, existing or
// not, is 404 (spec flatchr §1).
func (h *handler) companyPrincipal(r *http.Request) (*intake.Principal, error) {
	tokens, err := requestCredentials(r)
	if err != nil {
		return nil, err
	}
	p, err := h.authenticate(r.Context(), nil, tokens)
	if err != nil {
		return nil, err
	}
	if r.PathValue("companyID") != p.Org.CompanyKey {
		return nil, intake.Errorf(intake.ENotFound, "company not found")
	}
	return p, nil
}
