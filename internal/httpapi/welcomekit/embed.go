package welcomekit

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"intake"
)

// embedJSON is the public GET /api/v1/embed answer, in the shape of the
// vendor's embed docs: the organization's name, its published jobs with
// texts localized in French and English, and its career sites.
type embedJSON struct {
	Name  string          `json:"name"`
	Jobs  []embedJobJSON  `json:"jobs"`
	Sites []embedSiteJSON `json:"sites"`
}

type embedJobJSON struct {
	ID                 int64            `json:"id"`
	Reference          string           `json:"reference"`
	Name               string           `json:"name"`
	Slug               string           `json:"slug"`
	Description        *string          `json:"description"`
	Profile            *string          `json:"profile"`
	RecruitmentProcess *string          `json:"recruitment_process"`
	Salary             embedSalaryJSON  `json:"salary"`
	CreatedAt          frEn             `json:"created_at"`
	StartDate          *frEn            `json:"start_date"`
	Office             *embedOfficeJSON `json:"office"`
	Department         *struct{}        `json:"department"`
	ContractType       *frEn            `json:"contract_type"`
	CMSSitesReferences []string         `json:"cms_sites_references"`
}

type embedSalaryJSON struct {
	Min      *string `json:"salary_min"`
	Max      *string `json:"salary_max"`
	Currency *string `json:"salary_currency"`
	Period   *string `json:"salary_period"`
}

type embedOfficeJSON struct {
	ID      *int64 `json:"id"`
	City    string `json:"city"`
	Country frEn   `json:"country"`
}

type embedSiteJSON struct {
	Reference string `json:"reference"`
	Kind      string `json:"kind"`
	URL       string `json:"url"`
}

// frEn is a text in the two languages the embed shows.
type frEn struct {
	FR string `json:"fr"`
	EN string `json:"en"`
}

var (
	monthsFR = [...]string{"Janvier", "Février", "Mars", "Avril", "Mai", "Juin", "Juillet",
		"Août", "Septembre", "Octobre", "Novembre", "Décembre"}
	// countryNames names the countries offices are usually in; others
	// show their ISO code.
	countryNames = map[string]frEn{
		"FR": {"France", "France"}, "BE": {"Belgique", "Belgium"}, "CH": {"Suisse", "Switzerland"},
		"LU": {"Luxembourg", "Luxembourg"}, "DE": {"Allemagne", "Germany"}, "ES": {"Espagne", "Spain"},
		"IT": {"Italie", "Italy"}, "PT": {"Portugal", "Portugal"}, "NL": {"Pays-Bas", "Netherlands"},
		"GB": {"Royaume-Uni", "United Kingdom"}, "IE": {"Irlande", "Ireland"},
		"US": {"États-Unis", "United States"}, "CA": {"Canada", "Canada"}, "CZ": {"Tchéquie", "Czechia"},
		"SK": {"Slovaquie", "Slovakia"}, "MA": {"Maroc", "Morocco"},
	}
	// contractNames are the contract types' names, read from the
	// dependencies shipped with the binary.
	contractNames = func() map[string]frEn {
		var deps struct {
			ContractTypes []struct {
				ID   string `json:"id"`
				Name frEn   `json:"name"`
			} `json:"contract_types"`
		}
		if err := json.Unmarshal(jobDependenciesJSON, &deps); err != nil {
			panic("welcomekit: embedded job dependencies: " + err.Error())
		}
		out := map[string]frEn{}
		for _, c := range deps.ContractTypes {
			out[c.ID] = c.Name
		}
		return out
	}()
)

func dateFrEn(t time.Time) frEn {
	return frEn{
		FR: fmt.Sprintf("%02d %s %d", t.Day(), monthsFR[t.Month()-1], t.Year()),
		EN: t.Format("02 January 2006"),
	}
}

// getEmbed handles the public GET /api/v1/embed: no token, published jobs
// only. Browsers call it from other sites, so it allows any origin; it
// carries only what the career site shows anyway.
func (h *handler) getEmbed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	f := newFields(in)
	ref := f.required("organization_reference")
	if err := f.err(); err != nil {
		h.writeError(w, r, err)
		return
	}
	org, jobs, err := h.svc.PublicJobs(r.Context(), ref)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := embedJSON{Name: org.Name, Jobs: make([]embedJobJSON, len(jobs)), Sites: []embedSiteJSON{}}
	for i, j := range jobs {
		out.Jobs[i] = h.embedJob(j)
	}
	h.writeJSON(w, r, http.StatusOK, out)
}

func (h *handler) embedJob(j *intake.Job) embedJobJSON {
	c := &j.Content
	created := j.CreatedAt.In(h.loc)
	slug := intake.Slugify(j.Title)
	if c.Office.City != "" {
		slug += "_" + intake.Slugify(c.Office.City)
	}
	out := embedJobJSON{
		ID: j.ID, Reference: j.Reference, Name: j.Title, Slug: slug,
		Description: nullable(c.Description), Profile: nullable(c.Profile),
		RecruitmentProcess: nullable(c.RecruitmentProcess),
		Salary: embedSalaryJSON{Min: formatInt(c.Salary.Min), Max: formatInt(c.Salary.Max),
			Currency: nullable(c.Salary.Currency), Period: nullable(c.Salary.Period)},
		CreatedAt: frEn{
			FR: "Le " + dateFrEn(created).FR + created.Format(" à 15h04"),
			EN: dateFrEn(created).EN + created.Format(" at 15h04"),
		},
		CMSSitesReferences: c.CMSSitesReferences,
	}
	if out.CMSSitesReferences == nil {
		out.CMSSitesReferences = []string{}
	}
	if d, err := time.Parse(time.DateOnly, c.StartDate); err == nil {
		s := dateFrEn(d)
		out.StartDate = &s
	}
	if !c.Office.IsZero() {
		country, ok := countryNames[c.Office.CountryCode]
		if !ok {
			country = frEn{c.Office.CountryCode, c.Office.CountryCode}
		}
		out.Office = &embedOfficeJSON{City: c.Office.City, Country: country}
		if c.Office.ID != 0 {
			out.Office.ID = &c.Office.ID
		}
	}
	if name, ok := contractNames[c.ContractType]; ok {
		out.ContractType = &name
	} else if c.ContractType != "" {
		out.ContractType = &frEn{strings.ToLower(c.ContractType), strings.ToLower(c.ContractType)}
	}
	return out
}
