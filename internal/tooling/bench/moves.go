package bench

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// MovesOptions describe the requests of a MovesWorkload.
type MovesOptions struct {
	Token string
	Org   string
	Job   string
	// PerPage is per_page (capped at 100 by the server).
	PerPage int
	// Pages spreads requests over pages 1..Pages.
	Pages int
}

// MovesWorkload lists a job's moves through WelcomeKit GET /moves.
type MovesWorkload struct {
	opts MovesOptions
}

// NewMovesWorkload checks o.
func NewMovesWorkload(o MovesOptions) (*MovesWorkload, error) {
	if o.Org == "" || o.Job == "" {
		return nil, fmt.Errorf("listing moves needs an organization and a job reference")
	}
	o.PerPage = max(1, o.PerPage)
	o.Pages = max(1, o.Pages)
	return &MovesWorkload{opts: o}, nil
}

// Path is the path requests are sent to.
func (w *MovesWorkload) Path() string { return "/api/v1/external/moves" }

// Request returns the moves request numbered seq.
func (w *MovesWorkload) Request(base string, seq uint64) (*http.Request, error) {
	q := url.Values{}
	q.Set("organization_reference", w.opts.Org)
	q.Set("job_reference", w.opts.Job)
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
