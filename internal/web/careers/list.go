package careers

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
)

// listView is the page of an organization's published jobs.
type listView struct {
	pageMeta
	Jobs []jobView
	// Count is the number of jobs shown, in words.
	Count     string
	Contracts []option
	Cities    []option
	Remotes   []option
	// Filtered says whether a filter is applied.
	Filtered bool
}

// option is one choice of a filter.
type option struct {
	Value, Label string
	Selected     bool
}

// listJobs serves GET /careers/{slug}/: published jobs, newest first,
// filtered by ?contract=, ?city= and ?remote=.
func (h *Handler) listJobs(w http.ResponseWriter, r *http.Request) {
	org, jobs, err := h.svc.CareerJobs(r.Context(), r.PathValue("slug"))
	if err != nil {
		h.writeError(w, r, nil, err)
		return
	}
	b := brand(org)
	lang := pageLanguage(r, b.Language)
	t := texts[lang]
	q := r.URL.Query()
	contract, city, remote := q.Get("contract"), q.Get("city"), q.Get("remote")
	v := listView{pageMeta: h.meta(r, b, t, t.Jobs+" · "+org.Name, "/careers/"+org.Slug+"/")}
	v.Description = t.Jobs + " · " + org.Name
	contracts, cities, remotes := map[string]string{}, map[string]string{}, map[string]string{}
	for _, j := range jobs {
		jv := jobSummary(org, j)
		localize(&jv, t)
		if jv.ContractType != "" {
			contracts[jv.ContractType] = jv.Contract
		}
		if jv.City != "" {
			cities[jv.City] = jv.City
		}
		if jv.Remote != "" {
			remotes[jv.Remote] = jv.RemoteLabel
		}
		if (contract != "" && jv.ContractType != contract) || (city != "" && jv.City != city) || (remote != "" && jv.Remote != remote) {
			continue
		}
		v.Jobs = append(v.Jobs, jv)
	}
	slices.SortStableFunc(v.Jobs, func(a, b jobView) int { return cmp.Or(b.Posted.Compare(a.Posted), cmp.Compare(a.Title, b.Title)) })
	v.Contracts, v.Cities, v.Remotes = options(contracts, contract), options(cities, city), options(remotes, remote)
	v.Filtered = contract != "" || city != "" || remote != ""
	switch len(v.Jobs) {
	case 0:
		v.Count = t.NoJobs
	case 1:
		v.Count = t.OneJob
	default:
		v.Count = fmt.Sprintf(t.ManyJobs, len(v.Jobs))
	}
	h.render(w, r, http.StatusOK, "list.html", v)
}

// options lists a filter's choices by label, marking the selected one.
func options(m map[string]string, selected string) []option {
	out := make([]option, 0, len(m))
	for value, label := range m {
		out = append(out, option{Value: value, Label: label, Selected: value == selected})
	}
	slices.SortFunc(out, func(a, b option) int { return cmp.Compare(a.Label, b.Label) })
	return out
}
