package bench

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
)

// DemoCompany is the Flatchr companyID of the bench world.
const DemoCompany = "G6KzqPnNLyp31m0l"

// SearchOptions describe the searches of a SearchWorkload.
type SearchOptions struct {
	Token   string
	Company string
	// Run and People name the emails searched: those of NewPerson(Run, n)
	// for n below People, as `intake generate --run Run` created them.
	Run    string
	People int64
}

// SearchWorkload searches Flatchr applicants by email, the call a
// connector makes after each create to learn the applicant's id.
type SearchWorkload struct {
	opts SearchOptions
}

// NewSearchWorkload checks o.
func NewSearchWorkload(o SearchOptions) (*SearchWorkload, error) {
	if o.Company == "" || o.People < 1 {
		return nil, fmt.Errorf("searching needs --company and a positive --people")
	}
	return &SearchWorkload{opts: o}, nil
}

// Path is the path requests are sent to.
func (w *SearchWorkload) Path() string { return "/company/" + w.opts.Company + "/search/applicants" }

// Request returns the search numbered seq: the email of a person spread
// over the generated ones by a multiplicative hash, so that consecutive
// requests do not read neighbouring index pages.
func (w *SearchWorkload) Request(base string, seq uint64) (*http.Request, error) {
	n := (seq * 0x9E3779B97F4A7C15) % uint64(w.opts.People)
	body := []byte(`{"email":` + strconv.Quote(NewPerson(w.opts.Run, n).Email) + `}`)
	req, err := http.NewRequest(http.MethodPost, base+w.Path(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if w.opts.Token != "" {
		req.Header.Set("Authorization", "Bearer "+w.opts.Token)
	}
	return req, nil
}
