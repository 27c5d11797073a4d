package flatchr

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"intake"
)

// searchFields are the members a search result can have, in the order
// they are sent. The first ones are the vendor's (spec flatchr §5);
// `status` (1 active, 0 archived) is ours and sent by default so that a
// connector sees an archive; the rest only when asked for with ?fields=.
var (
	defaultSearchFields = []string{"applicant", "vacancy", "column", "external_id", "firstname",
		"lastname", "email", "phone", "created_at", "source", "status"}
	extraSearchFields = []string{"vacancy_id", "column_id", "candidate_id", "hired", "updated_at", "reference"}
)

// careerSiteOfferer is the offerer id of the career site (spec flatchr §2
// `offerer_id`: published docs, "Career site" = 75).
const careerSiteOfferer = 75

// searchApplicants serves POST /company/{companyID}/search/applicants.
func (h *handler) searchApplicants(w http.ResponseWriter, r *http.Request) {
	p, err := h.companyPrincipal(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	fields, err := searchFieldList(r.URL.Query().Get("fields"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	ps, err := readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	q, err := h.searchQuery(ps)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	found, err := h.svc.SearchApplicants(r.Context(), p, q)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := make([]orderedObject, len(found))
	for i, c := range found {
		out[i] = h.searchResult(c, fields)
	}
	h.writeJSON(w, r, http.StatusOK, out)
}

// searchFieldList reads ?fields=: a comma-separated list of result
// members, sent in that order. Empty: the default members.
func searchFieldList(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return defaultSearchFields, nil
	}
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" || slices.Contains(out, f) {
			continue
		}
		if !slices.Contains(defaultSearchFields, f) && !slices.Contains(extraSearchFields, f) {
			return nil, intake.FieldErrors(map[string]string{"fields": "has an unknown field \"" + f + "\" (known: " +
				strings.Join(defaultSearchFields, ", ") + ", " + strings.Join(extraSearchFields, ", ") + ")"})
		}
		out = append(out, f)
	}
	return out, nil
}

// searchQuery reads the filters (spec flatchr §5). Text filters that are
// empty do not filter: forms send every field.
func (h *handler) searchQuery(ps params) (intake.ApplicantSearch, error) {
	var q intake.ApplicantSearch
	errs := map[string]string{}
	text := func(dst **string, names ...string) {
		for _, n := range names {
			v, err := ps.text(n)
			if err != nil {
				errs[n] = "must be a string"
				return
			}
			if v != nil && strings.TrimSpace(*v) != "" {
				*dst = v
				return
			}
		}
	}
	text(&q.Firstname, "firstname")
	text(&q.Lastname, "lastname")
	text(&q.Email, "email")
	// The seed-era table spells the column filter "colum".
	text(&q.Column, "column", "colum")
	text(&q.Vacancy, "vacancy")
	text(&q.Company, "company")
	hired, err := ps.boolean("hired")
	if err != nil {
		errs["hired"] = "must be true or false"
	}
	q.Hired = hired
	for _, bound := range []struct {
		name string
		dst  **time.Time
		next bool
	}{{"start", &q.CreatedFrom, false}, {"end", &q.CreatedBefore, true}} {
		var s *string
		text(&s, bound.name)
		if s == nil {
			continue
		}
		day, ok := parseSearchDate(*s, h.loc)
		if !ok {
			errs[bound.name] = "must be a date as MM/DD/YY (or DD/MM/YY, YYYY-MM-DD)"
			continue
		}
		if bound.next {
			// The end day is included: stop at the next midnight.
			day = day.AddDate(0, 0, 1)
		}
		*bound.dst = &day
	}
	if len(errs) > 0 {
		return q, intake.FieldErrors(errs)
	}
	return q, nil
}

// searchResult renders one result with the given members.
func (h *handler) searchResult(c *intake.Candidate, fields []string) orderedObject {
	stage, _ := c.Stage()
	out := make(orderedObject, 0, len(fields))
	for _, f := range fields {
		var v any
		switch f {
		case "applicant":
			v = c.ApplicantKey
		case "vacancy":
			v = c.Job.Title
		case "column":
			v = stage.Name
		case "external_id":
			v = ""
		case "firstname":
			v = c.Person.Firstname
		case "lastname":
			v = c.Person.Lastname
		case "email":
			v = c.Person.Email
		case "phone":
			v = c.Person.Phone
		case "created_at":
			// The documented DD/MM/YY (spec flatchr §12 #13), in the
			// vendor's zone.
			v = c.CreatedAt.In(h.loc).Format("02/01/06")
		case "source":
			v = applicantSource(c.Application)
		case "status":
			v = applicantStatus(c.Application)
		case "vacancy_id":
			v = c.Job.VacancyKey
		case "column_id":
			v = c.StageID
		case "candidate_id":
			v = c.Person.ID
		case "hired":
			v = stage.Reference == "hired"
		case "updated_at":
			v = timestamp(c.UpdatedAt)
		case "reference":
			v = c.Reference
		}
		out = append(out, member{f, v})
	}
	return out
}

// applicantSource names where an application came from: the career site
// for its offerer id, else the origin a WelcomeKit client gave.
func applicantSource(a *intake.Application) string {
	if a.OffererID == careerSiteOfferer {
		return "Career site"
	}
	return a.Origin
}

func applicantStatus(a *intake.Application) int {
	if a.Archived {
		return 0
	}
	return 1
}
