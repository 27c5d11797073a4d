package bench

import (
	"net/http"
	"net/url"
	"strconv"
)

// JobListJobs is how many jobs the generated world holds for --op jobs:
// one full page.
const JobListJobs = 100

// JobListOptions describe the requests of a JobListWorkload.
type JobListOptions struct {
	Token string
	Org   string
	// PerPage is per_page (WelcomeKit caps it at 100).
	PerPage int
	// Pages spreads requests over pages 1..Pages.
	Pages int
}

// JobListWorkload lists an organization's jobs with their stages through
// WelcomeKit, as a job board polling for openings does.
type JobListWorkload struct {
	opts JobListOptions
}

// NewJobListWorkload returns the workload of o.
func NewJobListWorkload(o JobListOptions) *JobListWorkload {
	o.PerPage = max(1, o.PerPage)
	o.Pages = max(1, o.Pages)
	return &JobListWorkload{opts: o}
}

// Path is the path requests are sent to.
func (w *JobListWorkload) Path() string { return "/api/v1/external/jobs" }

// Request returns the list request numbered seq.
func (w *JobListWorkload) Request(base string, seq uint64) (*http.Request, error) {
	q := url.Values{}
	q.Set("organization_reference", w.opts.Org)
	q.Set("stages", "true")
	q.Set("per_page", strconv.Itoa(w.opts.PerPage))
	q.Set("page", strconv.FormatUint(1+seq%uint64(w.opts.Pages), 10))
	req, err := http.NewRequest(http.MethodGet, base+w.Path()+"?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	if w.opts.Token != "" {
		req.Header.Set("Authorization", "Bearer "+w.opts.Token)
	}
	return req, nil
}
