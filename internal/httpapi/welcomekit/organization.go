package welcomekit

import (
	"net/http"
	"strings"

	"intake"
	"intake/internal/httpapi/download"
)

// organizationJSON is the vendor's organization object (spec welcomekit
// §5), keys in the order of its example. What intake does not keep
// (headcount, parity, media handles but the website) is null or empty.
type organizationJSON struct {
	Reference        string            `json:"reference"`
	Name             string            `json:"name"`
	MediaWebsiteURL  *string           `json:"media_website_url"`
	Description      *string           `json:"description"`
	Subsidiaries     []struct{}        `json:"subsidiaries"`
	Slug             string            `json:"slug"`
	LogoURL          *string           `json:"logo_url"`
	Sectors          []string          `json:"sectors"`
	DefaultLanguage  *string           `json:"default_language"`
	NbEmployees      *int              `json:"nb_employees"`
	AverageAge       *int              `json:"average_age"`
	Turnover         *int              `json:"turnover"`
	CreationYear     *int              `json:"creation_year"`
	ParityMen        *int              `json:"parity_men"`
	ParityWomen      *int              `json:"parity_women"`
	Revenue          *string           `json:"revenue"`
	CoverURL         *string           `json:"cover_url"`
	I18nCovers       map[string]string `json:"i18n_covers"`
	I18nDescriptions map[string]string `json:"i18n_descriptions"`
	I18nLookingFors  map[string]string `json:"i18n_looking_fors"`
	I18nGoodToKnows  map[string]string `json:"i18n_good_to_knows"`
	Websites         []websiteJSON     `json:"websites"`
	UpdatedAt        string            `json:"updated_at"`
	Offices          []officeJSON      `json:"offices,omitzero"`
	// Jobs is filled by GET /users/current?jobs=true.
	Jobs []jobJSON `json:"jobs,omitzero"`
}

func (h *handler) organization(o *intake.Org, offices bool) organizationJSON {
	c := &o.Content
	out := organizationJSON{
		Reference: o.Reference, Name: o.Name, MediaWebsiteURL: nullable(c.Website),
		Description: nullable(c.Description), Subsidiaries: []struct{}{}, Slug: o.Slug,
		LogoURL: nullable(c.LogoURL), Sectors: []string{}, DefaultLanguage: nullable(c.DefaultLanguage),
		I18nCovers: map[string]string{}, I18nDescriptions: map[string]string{},
		I18nLookingFors: map[string]string{}, I18nGoodToKnows: map[string]string{},
		Websites: []websiteJSON{}, UpdatedAt: h.timestamp(o.UpdatedAt),
	}
	if c.Description != "" && c.DefaultLanguage != "" {
		out.I18nDescriptions[c.DefaultLanguage] = c.Description
	}
	if offices {
		out.Offices = make([]officeJSON, 0, len(c.Offices))
		for _, of := range c.Offices {
			out.Offices = append(out.Offices, *office(of))
		}
	}
	return out
}

// listOrganizations handles GET and HEAD /organizations (spec welcomekit
// §5): exactly one of name, media_website_url, cms_sites_references.
// No job is published on a CMS site, so that filter finds none.
func (h *handler) listOrganizations(w http.ResponseWriter, r *http.Request) {
	if _, err := h.authorizeScopes(w, r, intake.ScopeSuOrganizationsR); err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	f := newFields(in)
	q := intake.OrgQuery{Name: f.filter("name"), Website: f.filter("media_website_url")}
	cms := f.filter("cms_sites_references")
	offices := f.boolean("offices")
	page := f.positive("page", 1)
	perPage := min(f.positive("per_page", defaultPerPage), maxPerPage)
	given := 0
	for _, v := range []*string{q.Name, q.Website, cms} {
		if v != nil {
			given++
		}
	}
	if given != 1 {
		f.fail("name", "exactly one of name, media_website_url or cms_sites_references is required")
	}
	if err := f.err(); err != nil {
		h.writeError(w, r, err)
		return
	}
	var orgs []*intake.Org
	if cms == nil {
		if orgs, err = h.svc.Orgs(r.Context(), q); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	off := offset(page, perPage)
	out := []organizationJSON{}
	for i := off; i < len(orgs) && i < off+int(perPage); i++ {
		out = append(out, h.organization(orgs[i], offices != nil && *offices))
	}
	setPageHeaders(w, len(orgs), page, perPage, off)
	h.writeJSON(w, r, http.StatusOK, out)
}

// getOrganization handles GET /organizations/:reference.
func (h *handler) getOrganization(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorizeScopes(w, r, intake.ScopeSuOrganizationsR)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	f := newFields(in)
	offices := f.boolean("offices")
	if err := f.err(); err != nil {
		h.writeError(w, r, err)
		return
	}
	o, err := h.svc.Org(r.Context(), p, r.PathValue("reference"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, h.organization(o, offices != nil && *offices))
}

// currentUserJSON is GET /users/current (spec welcomekit §5): the vendor
// documents only avatar_url and display_name; organizations (each with its
// jobs, each job with its stages) are added when asked.
type currentUserJSON struct {
	AvatarURL     string             `json:"avatar_url"`
	DisplayName   string             `json:"display_name"`
	Organizations []organizationJSON `json:"organizations,omitzero"`
}

// getCurrentUser handles GET /users/current. A user token shows its user's
// name; an API key shows its owner's name (spec welcomekit §5: "the user is
// the key's owner"), and a key without an owner (or whose owner is
// disabled) is its own user and shows its name. jobs or stages imply
// organizations, as jobs are listed inside their organization.
func (h *handler) getCurrentUser(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorizeScopes(w, r, intake.ScopeMeR)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	f := newFields(in)
	flag := func(name string) bool { b := f.boolean(name); return b != nil && *b }
	withOrgs, withJobs, withStages := flag("organizations"), flag("jobs"), flag("stages")
	if err := f.err(); err != nil {
		h.writeError(w, r, err)
		return
	}
	out := currentUserJSON{AvatarURL: download.BaseURL(r, h.public) + h.avatarPath, DisplayName: p.Key.Name}
	if u := p.User; u != nil {
		out.DisplayName = strings.TrimSpace(u.Firstname + " " + u.Lastname)
	} else if u := p.Owner; u != nil {
		out.DisplayName = strings.TrimSpace(u.Firstname + " " + u.Lastname)
	}
	if withOrgs || withJobs || withStages {
		org, err := h.svc.CurrentOrg(r.Context(), p)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		oj := h.organization(org, false)
		if withJobs || withStages {
			jobs, _, err := h.svc.ListJobs(r.Context(), p, org.Reference, intake.JobFilter{})
			if err != nil {
				h.writeError(w, r, err)
				return
			}
			oj.Jobs = make([]jobJSON, len(jobs))
			for i, j := range jobs {
				oj.Jobs[i] = h.job(j, org, jobView{Stages: withStages}, jobExtras{})
			}
		}
		out.Organizations = []organizationJSON{oj}
	}
	h.writeJSON(w, r, http.StatusOK, out)
}
