package dashboard

import (
	"net/http"
	"net/url"
	"strconv"

	"intake"
)

// searchPageSize is how many candidates a page of search results shows.
const searchPageSize = 50

// searchView is the results of a search across the organization.
type searchView struct {
	layout
	HomeURL string
	Query   string
	Results []searchResult
	Page    int
	PrevURL string
	NextURL string
	// First and Last number the results shown, from 1.
	First, Last int
}

// searchResult is one candidate found.
type searchResult struct {
	Name     string
	Email    string
	URL      string
	Job      string
	Stage    string
	Source   string
	Applied  string
	Archived bool
	// Matched says why it was found: "name or email", "tag", "job".
	Matched string
}

var matchLabels = map[intake.FindMatch]string{
	intake.FindPerson: "name or email",
	intake.FindTag:    "tag",
	intake.FindJob:    "job",
}

func searchPath(org string) string { return homePath(org) + "/search" }

// showSearch finds the organization's candidates by name, email, tag or
// job title: the top bar's search box sends its text here as q.
func (h *handler) showSearch(w http.ResponseWriter, r *http.Request, s *session) {
	q := r.URL.Query()
	text := intake.FindText(q.Get("q"))
	page := 1
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > intake.MaxFindDepth/searchPageSize {
			h.writeError(w, r, s, intake.Errorf(intake.EInvalid, "The page number must be a whole number from 1 to %d.", intake.MaxFindDepth/searchPageSize))
			return
		}
		page = n
	}
	base := searchPath(s.p.Org.Reference)
	v := searchView{layout: h.layout("Search", s), HomeURL: homePath(s.p.Org.Reference), Query: text, Page: page}
	v.layout.Query = text
	if text == "" {
		render(h, w, r, http.StatusOK, h.pages.search, v)
		return
	}
	v.Title = "Search: " + text
	offset := (page - 1) * searchPageSize
	res, err := h.svc.FindCandidates(r.Context(), s.p, text, offset, searchPageSize)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	for _, c := range res.Hits {
		stage := ""
		if st, ok := c.Stage(); ok {
			stage = st.Name
		}
		v.Results = append(v.Results, searchResult{
			Name:     displayName(c.Candidate),
			Email:    c.Person.Email,
			URL:      cardPath(c.Org.Reference, c.Job.Reference, c.Reference),
			Job:      c.Job.Title,
			Stage:    stage,
			Source:   sourceLabel(c.Source),
			Applied:  h.date(c.CreatedAt),
			Archived: c.Archived,
			Matched:  matchLabels[c.Match],
		})
	}
	if len(v.Results) > 0 {
		v.First, v.Last = offset+1, offset+len(v.Results)
	}
	link := func(n int) string {
		u := url.Values{"q": {text}}
		if n > 1 {
			u.Set("page", strconv.Itoa(n))
		}
		return base + "?" + u.Encode()
	}
	if page > 1 {
		v.PrevURL = link(page - 1)
	}
	if res.More && (page+1)*searchPageSize <= intake.MaxFindDepth {
		v.NextURL = link(page + 1)
	}
	render(h, w, r, http.StatusOK, h.pages.search, v)
}
