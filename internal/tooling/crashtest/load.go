package crashtest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Kind is one of the create requests the harness sends.
type Kind string

// The kinds of create, drawn in equal shares.
const (
	// WelcomeKitPlain is a WelcomeKit JSON create without files.
	WelcomeKitPlain Kind = "welcomekit"
	// WelcomeKitResume is a WelcomeKit JSON create whose remote_resume_url
	// points at the harness's file server.
	WelcomeKitResume Kind = "welcomekit+resume"
	// FlatchrDocument is a Flatchr JSON create with a base64 resume.
	FlatchrDocument Kind = "flatchr+document"
	// FlatchrReapply is a FlatchrDocument with the email of an earlier
	// acknowledged one: Flatchr answers with the existing candidate,
	// whose resume it replaces (spec flatchr §2 Validation order, 9).
	FlatchrReapply Kind = "flatchr+reapply"
)

var kinds = []Kind{WelcomeKitPlain, WelcomeKitResume, FlatchrDocument}

// requestTimeout bounds one create. A kill ends requests in flight sooner:
// the kernel closes the server's sockets.
const requestTimeout = 60 * time.Second

// Request is one create the harness sent and what came back.
type Request struct {
	ID     int     `json:"id"`
	Cycle  int     `json:"cycle"`
	Kind   Kind    `json:"kind"`
	Email  string  `json:"email"`
	Resume *Resume `json:"resume,omitempty"`
	// Status is the HTTP status, 0 when no complete answer came (the
	// server died mid-flight).
	Status int `json:"status"`
	// Reference is the candidate reference of a 2xx answer.
	Reference string `json:"reference,omitempty"`
	// Err is why no answer came, or what was wrong with it.
	Err string `json:"err,omitempty"`
	// Start is when it was sent, End when its answer (or failure) came:
	// whatever it stored was committed in between.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Acknowledged reports whether the server answered 2xx: the candidate
// must then exist, whole, whatever happens next.
func (r *Request) Acknowledged() bool { return r.Status >= 200 && r.Status < 300 }

// Ledger records every request sent, safe for concurrent use.
type Ledger struct {
	mu   sync.Mutex
	reqs []*Request
	// flatchr lists the emails of acknowledged Flatchr creates, the
	// targets of re-applies.
	flatchr []string
}

// add records a new request of kind, numbering it and naming its email: a
// new one, or for a re-apply one of an acknowledged Flatchr create drawn
// with rng (a plain Flatchr create while there is none).
func (l *Ledger) add(cycle int, kind Kind, rng *rand.Rand) *Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := &Request{ID: len(l.reqs) + 1, Cycle: cycle, Kind: kind}
	r.Email = fmt.Sprintf("crash%07d@example.com", r.ID)
	if kind == FlatchrReapply {
		if len(l.flatchr) == 0 {
			r.Kind = FlatchrDocument
		} else {
			r.Email = l.flatchr[rng.IntN(len(l.flatchr))]
		}
	}
	l.reqs = append(l.reqs, r)
	return r
}

// update changes a recorded request; Requests may be reading it.
func (l *Ledger) update(r *Request, fn func(*Request)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fn(r)
	if r.Kind == FlatchrDocument && r.Acknowledged() {
		l.flatchr = append(l.flatchr, r.Email)
	}
}

// Requests returns copies of the requests recorded so far, in the order
// they were started.
func (l *Ledger) Requests() []*Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]*Request, len(l.reqs))
	for i, r := range l.reqs {
		c := *r
		out[i] = &c
	}
	return out
}

// Load sends creates in both dialects to one server and records them.
type Load struct {
	World     *World
	Ledger    *Ledger
	Seed      uint64
	MaxResume int
	// Files is the base URL of the file server WelcomeKit resumes are
	// fetched from (see ServeResumes).
	Files string
	// Reapply adds FlatchrReapply to the kinds drawn.
	Reapply bool
}

// Run sends creates from concurrency workers to base until stop ends, and
// returns once every worker stopped; ctx is the requests' own context, so
// that ending stop lets the requests in flight run on (to meet a crash).
// cycle labels the requests.
func (l *Load) Run(ctx, stop context.Context, base string, concurrency, cycle int) {
	tr := &http.Transport{
		MaxIdleConnsPerHost: concurrency,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: requestTimeout}
	var wg sync.WaitGroup
	for w := range concurrency {
		rng := rand.New(rand.NewPCG(l.Seed, uint64(cycle)<<20|uint64(w)))
		drawn := kinds
		if l.Reapply {
			drawn = append(drawn[:len(drawn):len(drawn)], FlatchrReapply)
		}
		wg.Go(func() {
			for ctx.Err() == nil && stop.Err() == nil {
				l.send(ctx, client, base, cycle, drawn[rng.IntN(len(drawn))], rng)
			}
		})
	}
	wg.Wait()
}

// send makes, sends and records one create.
func (l *Load) send(ctx context.Context, client *http.Client, base string, cycle int, kind Kind, rng *rand.Rand) {
	r := l.Ledger.add(cycle, kind, rng)
	var req *http.Request
	var resume *Resume
	var err error
	switch r.Kind {
	case WelcomeKitPlain, WelcomeKitResume:
		body := map[string]any{
			"email": r.Email, "firstname": "Crash", "lastname": "Test " + strconv.Itoa(r.ID),
			"organization_reference": l.World.OrgRef, "job_reference": l.World.JobRef,
		}
		if r.Kind == WelcomeKitResume {
			_, resume = resumeBytes(l.Seed, r.ID, l.MaxResume)
			body["remote_resume_url"] = fmt.Sprintf("%s/resumes/%d/%s", l.Files, r.ID, resume.FileName())
		}
		req, err = jsonRequest(ctx, base+"/api/v1/external/candidates", l.World.Token, body)
	case FlatchrDocument, FlatchrReapply:
		var data []byte
		data, resume = resumeBytes(l.Seed, r.ID, l.MaxResume)
		req, err = jsonRequest(ctx, base+"/vacancy/candidate/json", l.World.Token, map[string]any{
			"vacancy": l.World.Vacancy, "firstname": "Crash", "lastname": "Test " + strconv.Itoa(r.ID),
			"email": r.Email, "type": "document",
			"resume": map[string]string{
				"data":        base64.StdEncoding.EncodeToString(data),
				"fileName":    resume.FileName(),
				"contentType": resume.ContentType(),
			},
		})
	}
	l.Ledger.update(r, func(r *Request) { r.Resume, r.Start = resume, time.Now() })
	status, ref, err := l.do(client, req, err)
	l.Ledger.update(r, func(r *Request) {
		r.Status, r.Reference, r.End = status, ref, time.Now()
		if err != nil {
			r.Err = err.Error()
		}
	})
}

// do sends a create and returns its status and reference; status 0 when no
// complete answer came.
func (l *Load) do(client *http.Client, req *http.Request, err error) (int, string, error) {
	if err != nil {
		return 0, "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		// Headers without the whole body: the client cannot know what
		// was created, so this is no acknowledgement.
		return 0, "", fmt.Errorf("reading the answer: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return resp.StatusCode, "", fmt.Errorf("%.200s", b)
	}
	var answer struct{ Reference string }
	if err := json.Unmarshal(b, &answer); err != nil || answer.Reference == "" {
		return resp.StatusCode, "", fmt.Errorf("a %d answer without a reference: %.200s", resp.StatusCode, b)
	}
	return resp.StatusCode, answer.Reference, nil
}

func jsonRequest(ctx context.Context, url, token string, body any) (*http.Request, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	return req, nil
}

// ServeResumes serves GET /resumes/{id}/{name}, the resume of request id,
// on a loopback port, for WelcomeKit's remote_resume_url. Close the server
// when done.
func ServeResumes(seed uint64, maxResume int) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /resumes/{id}/{name}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.Atoi(r.PathValue("id"))
		if err != nil || id <= 0 {
			http.NotFound(w, r)
			return
		}
		b, res := resumeBytes(seed, id, maxResume)
		w.Header().Set("Content-Type", res.ContentType())
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		_, _ = w.Write(b)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return srv, "http://" + strings.TrimPrefix(ln.Addr().String(), "http://"), nil
}
