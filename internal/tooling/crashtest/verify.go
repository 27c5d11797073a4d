package crashtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxProblems bounds the problems a Check keeps word of; the counts go on.
const maxProblems = 50

// perPage is WelcomeKit's largest page.
const perPage = 100

// maxRetries bounds the tries of one verification GET met by a 429.
const maxRetries = 5

// Check is what Verify found.
type Check struct {
	// Candidates is how many candidates the API lists.
	Candidates int `json:"candidates"`
	// Required is how many requests had to be found (acknowledged ones,
	// or those the caller's filter kept).
	Required int `json:"required"`
	// Lost counts required candidates that GET by reference does not
	// find, or finds under another email, or that the list lacks.
	Lost int `json:"lost"`
	// HalfWritten counts candidates that exist without being whole: a
	// resume that was sent but has no resume_url, whose download fails or
	// differs from what was sent, or a resume that was never sent.
	HalfWritten int `json:"half_written"`
	// UnacknowledgedStored counts requests without a 2xx answer whose
	// candidate exists (whole, unless counted in HalfWritten).
	UnacknowledgedStored int `json:"unacknowledged_stored"`
	// RejectedStored counts requests answered with an error status whose
	// candidate exists anyway.
	RejectedStored int `json:"rejected_stored"`
	// Unexpected counts listed candidates no request of the ledger made.
	Unexpected int `json:"unexpected"`
	// Files is how many blob files the data directory holds.
	Files int `json:"files"`
	// Orphans counts blob files no listed candidate references, staged
	// leftovers included.
	Orphans int `json:"orphans"`
	// Staged counts files left in staging (also counted in Orphans).
	Staged int `json:"staged"`
	// ResumeBytes is how many resume bytes were downloaded and checked.
	ResumeBytes int64 `json:"resume_bytes"`
	// Problems describes the first failures.
	Problems []string `json:"problems,omitempty"`
}

// OK reports whether nothing was lost, half-written, orphaned or stored
// against an error answer.
func (c *Check) OK() bool {
	return c.Lost == 0 && c.HalfWritten == 0 && c.Orphans == 0 && c.RejectedStored == 0 && c.Unexpected == 0
}

// problem counts a failure in counter (a field of v.check) and describes
// it.
func (v *verifier) problem(counter *int, format string, args ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	*counter++
	if len(v.check.Problems) < maxProblems {
		v.check.Problems = append(v.check.Problems, fmt.Sprintf(format, args...))
	}
}

// candidate is the part of a WelcomeKit candidate the checks read.
type candidate struct {
	Reference  string  `json:"reference"`
	ResumeURL  *string `json:"resume_url"`
	ResumeSize *int64  `json:"resume_size"`
	Profile    struct {
		Email string `json:"email"`
	} `json:"profile"`
}

// Verify checks a serving intake against the ledger, through its APIs and
// its data directory, with nothing in flight:
//   - every required request (by default: acknowledged) has its candidate:
//     GET by its reference answers it, under its email, and the job's list
//     holds it;
//   - every candidate the list holds is whole: its resume downloads through
//     the signed resume_url with the size and SHA-256 of a resume sent for
//     its email (by the create, or a re-apply not answered with an error),
//     or it has none if none was sent; this covers candidates of
//     unanswered requests too;
//   - the data directory's staging area is empty and every committed file
//     is some listed candidate's resume.
//
// required may be nil. Verify fails only when it cannot check; what it
// finds is in the Check.
func Verify(ctx context.Context, base, dataDir string, world *World, reqs []*Request, required func(*Request) bool, concurrency int) (*Check, error) {
	if required == nil {
		required = (*Request).Acknowledged
	}
	tr := &http.Transport{MaxIdleConnsPerHost: max(1, concurrency)}
	// A connection left open, even unused, delays the server's graceful
	// shutdown that follows.
	defer tr.CloseIdleConnections()
	v := &verifier{base: base, world: world, client: &http.Client{Transport: tr, Timeout: requestTimeout}, check: &Check{}, required: required}
	listed, err := v.list(ctx)
	if err != nil {
		return nil, err
	}
	v.check.Candidates = len(listed)
	var subjects []*subject
	byEmail := map[string]*subject{}
	for _, r := range reqs {
		s := byEmail[r.Email]
		if s == nil {
			s = &subject{}
			byEmail[r.Email] = s
			subjects = append(subjects, s)
		}
		s.reqs = append(s.reqs, r)
		if required(r) {
			v.check.Required++
		}
	}
	referenced := map[string]bool{}
	for _, c := range listed {
		if key := blobKey(c.ResumeURL); key != "" {
			referenced[key] = true
		}
		if s := byEmail[c.Profile.Email]; s != nil {
			s.listed = c
		} else {
			v.problem(&v.check.Unexpected, "listed candidate %s (%s) was made by no request of this run", c.Reference, c.Profile.Email)
		}
	}

	work := make(chan *subject)
	var wg sync.WaitGroup
	for range max(1, concurrency) {
		wg.Go(func() {
			for s := range work {
				v.subject(ctx, s)
			}
		})
	}
	for _, s := range subjects {
		work <- s
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := v.files(dataDir, referenced); err != nil {
		return nil, err
	}
	return v.check, nil
}

// subject is the requests made for one email, in the order they started
// (a create, then re-applies), and the candidate listed under it.
type subject struct {
	reqs   []*Request
	listed *candidate
}

// current returns the resumes the candidate may hold: those sent by
// requests not answered with an error, but not one an acknowledged request
// must have replaced, having started after the other's answer.
func (s *subject) current() []*Resume {
	var out []*Resume
	for _, q := range s.reqs {
		if q.Resume == nil || (q.Status != 0 && !q.Acknowledged()) {
			continue
		}
		replaced := slices.ContainsFunc(s.reqs, func(p *Request) bool {
			return p.Acknowledged() && p.Resume != nil && p.Start.After(q.End)
		})
		if !replaced {
			out = append(out, q.Resume)
		}
	}
	return out
}

type verifier struct {
	mu       sync.Mutex // guards check
	base     string
	world    *World
	client   *http.Client
	check    *Check
	required func(*Request) bool
}

// subject checks the candidate of one email: it must exist if a request
// for it is required, and be whole if it exists.
func (v *verifier) subject(ctx context.Context, s *subject) {
	var req *Request
	for _, r := range s.reqs {
		if v.required(r) {
			req = r
			break
		}
	}
	if req == nil {
		if s.listed == nil {
			return
		}
		rejected := true
		for _, r := range s.reqs {
			rejected = rejected && r.Status != 0 && !r.Acknowledged()
		}
		if rejected {
			r := s.reqs[0]
			v.problem(&v.check.RejectedStored, "request %d was answered %d but %s exists", r.ID, r.Status, s.listed.Reference)
		} else {
			v.mu.Lock()
			v.check.UnacknowledgedStored++
			v.mu.Unlock()
		}
		v.whole(ctx, s, s.listed)
		return
	}
	r := req
	if r.Reference == "" {
		v.problem(&v.check.Lost, "request %d (%s, cycle %d) was acknowledged without a reference", r.ID, r.Kind, r.Cycle)
		return
	}
	var c candidate
	status, err := v.getJSON(ctx, "/api/v1/external/candidates/"+url.PathEscape(r.Reference), &c)
	switch {
	case err != nil:
		v.problem(&v.check.Lost, "request %d: GET %s: %v", r.ID, r.Reference, err)
		return
	case status != http.StatusOK:
		v.problem(&v.check.Lost, "request %d (%s, cycle %d, status %d): GET %s answered %d", r.ID, r.Kind, r.Cycle, r.Status, r.Reference, status)
		return
	case c.Profile.Email != r.Email:
		v.problem(&v.check.Lost, "request %d: %s belongs to %q, not %q", r.ID, r.Reference, c.Profile.Email, r.Email)
		return
	case s.listed == nil || s.listed.Reference != r.Reference:
		v.problem(&v.check.Lost, "request %d: %s is missing from the job's list", r.ID, r.Reference)
		return
	}
	v.whole(ctx, s, &c)
}

// whole checks that c carries one of the resumes its email may hold, or
// none if none was sent.
func (v *verifier) whole(ctx context.Context, s *subject, c *candidate) {
	r := s.reqs[0]
	sent := s.current()
	if len(sent) == 0 {
		if c.ResumeURL != nil {
			v.problem(&v.check.HalfWritten, "request %d sent no resume but %s has one", r.ID, c.Reference)
		}
		return
	}
	if c.ResumeURL == nil {
		v.problem(&v.check.HalfWritten, "request %d (%s, cycle %d): %s has no resume_url", r.ID, r.Kind, r.Cycle, c.Reference)
		return
	}
	if c.ResumeSize == nil || !slices.ContainsFunc(sent, func(res *Resume) bool { return int64(res.Size) == *c.ResumeSize }) {
		v.problem(&v.check.HalfWritten, "request %d: %s resume_size %v is the size of no resume sent", r.ID, c.Reference, c.ResumeSize)
		return
	}
	n, sum, status, err := v.download(ctx, *c.ResumeURL)
	switch {
	case err != nil:
		v.problem(&v.check.HalfWritten, "request %d: downloading the resume of %s: %v", r.ID, c.Reference, err)
	case status != http.StatusOK:
		v.problem(&v.check.HalfWritten, "request %d (%s, cycle %d): the resume of %s answers %d", r.ID, r.Kind, r.Cycle, c.Reference, status)
	case !slices.ContainsFunc(sent, func(res *Resume) bool { return int64(res.Size) == n && res.SHA256 == sum }):
		v.problem(&v.check.HalfWritten, "request %d: the resume of %s is %d bytes sha256 %s, which no request sent", r.ID, c.Reference, n, sum)
	default:
		v.mu.Lock()
		v.check.ResumeBytes += n
		v.mu.Unlock()
	}
}

// list reads every candidate of the job, page by page.
func (v *verifier) list(ctx context.Context) ([]*candidate, error) {
	var out []*candidate
	seen := map[string]bool{}
	for page := 1; ; page++ {
		var batch []*candidate
		q := url.Values{"job_reference": {v.world.JobRef}, "per_page": {fmt.Sprint(perPage)}, "page": {fmt.Sprint(page)}}
		status, err := v.getJSON(ctx, "/api/v1/external/candidates?"+q.Encode(), &batch)
		if err != nil {
			return nil, fmt.Errorf("listing candidates: %w", err)
		}
		if status != http.StatusOK {
			return nil, fmt.Errorf("listing candidates: status %d", status)
		}
		for _, c := range batch {
			if seen[c.Profile.Email] {
				v.problem(&v.check.HalfWritten, "email %s is listed twice", c.Profile.Email)
				continue
			}
			seen[c.Profile.Email] = true
			out = append(out, c)
		}
		if len(batch) < perPage {
			return out, nil
		}
	}
}

// getJSON GETs a WelcomeKit path and decodes a 200 answer into dst. A 429
// is waited out (Retry-After) a few times: the verification must not
// count a rate limit as a loss.
func (v *verifier) getJSON(ctx context.Context, path string, dst any) (int, error) {
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.base+path, nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer "+v.world.Token)
		resp, err := v.client.Do(req)
		if err != nil {
			return 0, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return 0, err
		}
		if resp.StatusCode == http.StatusTooManyRequests && attempt < maxRetries {
			wait, err := strconv.Atoi(resp.Header.Get("Retry-After"))
			if err != nil || wait < 1 {
				wait = 1
			}
			select {
			case <-ctx.Done():
				return 0, ctx.Err()
			case <-time.After(time.Duration(wait) * time.Second):
			}
			continue
		}
		if resp.StatusCode == http.StatusOK {
			if err := json.Unmarshal(b, dst); err != nil {
				return 0, fmt.Errorf("decoding %s: %w", path, err)
			}
		}
		return resp.StatusCode, nil
	}
}

// download fetches a signed URL and returns the size and SHA-256 of its
// body.
func (v *verifier) download(ctx context.Context, u string) (int64, string, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, "", 0, err
	}
	resp, err := v.client.Do(req)
	if err != nil {
		return 0, "", 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return 0, "", resp.StatusCode, nil
	}
	h := sha256.New()
	n, err := io.Copy(h, resp.Body)
	if err != nil {
		return 0, "", 0, err
	}
	return n, hex.EncodeToString(h.Sum(nil)), resp.StatusCode, nil
}

// blobKey is the blob key of a signed download URL, /files/{key}/{name}.
func blobKey(u *string) string {
	if u == nil {
		return ""
	}
	p, err := url.Parse(*u)
	if err != nil {
		return ""
	}
	rest, ok := strings.CutPrefix(p.Path, "/files/")
	if !ok {
		return ""
	}
	key, _, _ := strings.Cut(rest, "/")
	return key
}

// files compares the blob files on disk with the referenced keys: the
// local blob store keeps staging/<key> and committed/<xx>/<key>.
func (v *verifier) files(dataDir string, referenced map[string]bool) error {
	root := filepath.Join(dataDir, "files")
	staged, err := DataFiles(filepath.Join(root, "staging"))
	if err != nil {
		return err
	}
	for _, name := range staged {
		v.problem(&v.check.Staged, "staging holds %s after a clean start", name)
		v.check.Orphans++
		v.check.Files++
	}
	committed, err := DataFiles(filepath.Join(root, "committed"))
	if err != nil {
		return err
	}
	for _, name := range committed {
		v.check.Files++
		if !referenced[filepath.Base(name)] {
			v.problem(&v.check.Orphans, "committed file %s belongs to no candidate", name)
		}
	}
	return nil
}

// DataFiles lists the regular files under dir, as paths relative to it,
// sorted; a missing dir holds none.
func DataFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return fs.SkipAll
			}
			return err
		}
		if !d.IsDir() {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// waitReady polls /readyz until it answers 200.
func waitReady(ctx context.Context, base string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s/readyz not ready within %s", base, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// staged counts the files in a data directory's staging area.
func staged(dataDir string) ([]string, error) {
	names, err := DataFiles(filepath.Join(dataDir, "files", "staging"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return names, err
}
