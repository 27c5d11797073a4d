package dashboard

import (
	"net/http"
	"net/url"
	"strconv"

	"intake"
)

// homeView is an organization's page: its jobs and how many candidates sit
// in each stage.
type homeView struct {
	layout
	Jobs []jobSummary
	// ReadDenied explains that the key cannot see candidates, so there are
	// no counts.
	ReadDenied string
	// StatsURL is the organization's charts.
	StatsURL string
	// NewJobURL is the job creation page, for visitors who may create jobs.
	NewJobURL string
}

// jobSummary is one job on the organization page.
type jobSummary struct {
	Title     string
	Reference string
	URL       string
	EditURL   string
	Status    string
	Stages    []stageCount
	// Active counts the candidates not archived; Archived the others.
	Active   int
	Archived int
}

// stageCount is how many active candidates one stage holds.
type stageCount struct {
	Name  string
	Count int
	URL   string
}

// readDeniedText is shown instead of candidates to keys without a read
// scope.
const readDeniedText = "This API key cannot see candidates: that needs the candidates_r, candidates_rw, my_candidates_r or my_candidates_rw scope. Sign in with another key of your organization."

// showHome lists the organization's jobs with their candidate counts.
func (h *handler) showHome(w http.ResponseWriter, r *http.Request, s *session) {
	jobs, err := h.svc.Jobs(r.Context(), s.p)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	v := homeView{layout: h.layout(s.p.Org.Name, s), Jobs: make([]jobSummary, 0, len(jobs)), StatsURL: orgStatsPath(s.p.Org.Reference)}
	canRead := s.p.Allow(intake.ActionRead) == nil
	if !canRead {
		v.ReadDenied = readDeniedText
	}
	if canEditJobs(s) {
		v.NewJobURL = newJobPath(s.p.Org.Reference)
	}
	for _, j := range jobs {
		js := jobSummary{
			Title:     j.Title,
			Reference: j.Reference,
			URL:       boardPath(s.p.Org.Reference, j.Reference),
			EditURL:   editJobPath(s.p.Org.Reference, j.Reference),
			Status:    string(j.Status()),
		}
		if canRead {
			if err := h.countJob(r, s, j, &js); err != nil {
				h.writeError(w, r, s, err)
				return
			}
		}
		v.Jobs = append(v.Jobs, js)
	}
	render(h, w, r, http.StatusOK, h.pages.home, v)
}

// countJob fills in the candidate counts of one job.
func (h *handler) countJob(r *http.Request, s *session, j *intake.Job, js *jobSummary) error {
	active, archived := false, true
	for _, st := range j.Stages {
		_, n, err := h.svc.Applications(r.Context(), s.p, intake.ApplicationQuery{Job: j, StageID: &st.ID, Archived: &active})
		if err != nil {
			return err
		}
		js.Active += n
		js.Stages = append(js.Stages, stageCount{
			Name:  st.Name,
			Count: n,
			URL:   js.URL + "?" + url.Values{"stage": {strconv.FormatInt(st.ID, 10)}}.Encode(),
		})
	}
	_, n, err := h.svc.Applications(r.Context(), s.p, intake.ApplicationQuery{Job: j, Archived: &archived})
	js.Archived = n
	return err
}
