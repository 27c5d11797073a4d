package crashtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"time"
)

// hookWait bounds how long the final verification waits for the webhooks
// of acknowledged creates: the server retries quickly (hookArgs).
const hookWait = 2 * time.Minute

// HookCheck is what the webhook verification found: every acknowledged
// create's new_applicant must reach the receiver at least once, and no
// delivery may name a candidate that does not exist.
type HookCheck struct {
	// Received counts deliveries, Distinct the candidates they named.
	Received int `json:"received"`
	Distinct int `json:"distinct"`
	// Redelivered counts deliveries of an event already received (the
	// process died before recording the first as delivered).
	Redelivered int `json:"redelivered"`
	// Missing counts acknowledged creates whose event never arrived.
	Missing int `json:"missing"`
	// Invented counts deliveries naming no existing candidate.
	Invented int      `json:"invented"`
	Problems []string `json:"problems,omitempty"`
}

// OK reports whether nothing was missing or invented.
func (c *HookCheck) OK() bool { return c.Missing == 0 && c.Invented == 0 }

// hookReceiver is the harness's webhook target: it records the candidate
// reference and event id of each new_applicant it gets and answers 200.
type hookReceiver struct {
	srv    *http.Server
	URL    string
	mu     sync.Mutex
	refs   map[string]int
	events map[string]int
	total  int
}

func startHookReceiver() (*hookReceiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	h := &hookReceiver{refs: map[string]int{}, events: map[string]int{}, URL: "http://" + ln.Addr().String() + "/hook"}
	h.srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go h.srv.Serve(ln)
	return h, nil
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Event string `json:"event"`
		Data  struct {
			Applicant struct {
				Reference string `json:"reference"`
			} `json:"applicant"`
		} `json:"data"`
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || json.Unmarshal(b, &body) != nil || body.Event != "new_applicant" {
		http.Error(w, "not a new_applicant event", http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	h.total++
	h.refs[body.Data.Applicant.Reference]++
	h.events[r.Header.Get("X-Intake-Event-Id")]++
	h.mu.Unlock()
}

func (h *hookReceiver) Close() error { return h.srv.Close() }

// addHook declares a subscription to url in the world file.
func addHook(w *World, url string) error {
	f, err := os.OpenFile(w.Path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "    webhooks:\n      - {url: %q, events: [new_applicant]}\n", url)
	return errors.Join(err, f.Close())
}

// hookArgs make a restarted server take over its dead predecessor's
// subscription within seconds, and retry quickly.
var hookArgs = []string{"--webhook-timeout", "1s", "--webhook-lease", "2s", "--webhook-retry-schedule", "100ms,200ms,500ms,1s,1s,1s,1s,1s,1s,1s"}

// verifyHooks waits until every acknowledged create's event has arrived,
// or hookWait, then checks that each candidate named exists.
func (h *Harness) verifyHooks(ctx context.Context, base string, reqs []*Request) (*HookCheck, error) {
	c := &HookCheck{}
	acked := map[string]bool{}
	for _, r := range reqs {
		if r.Acknowledged() && r.Reference != "" {
			acked[r.Reference] = true
		}
	}
	missing := func() []string {
		h.hooks.mu.Lock()
		defer h.hooks.mu.Unlock()
		var out []string
		for ref := range acked {
			if h.hooks.refs[ref] == 0 {
				out = append(out, ref)
			}
		}
		return out
	}
	deadline := time.Now().Add(hookWait)
	for len(missing()) > 0 && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	for _, ref := range missing() {
		c.Missing++
		if len(c.Problems) < maxProblems {
			c.Problems = append(c.Problems, "no new_applicant for acknowledged "+ref)
		}
	}
	h.hooks.mu.Lock()
	refs := make(map[string]int, len(h.hooks.refs))
	for ref, n := range h.hooks.refs {
		refs[ref] = n
	}
	c.Received, c.Distinct = h.hooks.total, len(refs)
	for _, n := range h.hooks.events {
		c.Redelivered += n - 1
	}
	h.hooks.mu.Unlock()
	v := &verifier{base: base, world: h.world, client: &http.Client{Timeout: requestTimeout}, check: &Check{}}
	for ref := range refs {
		if acked[ref] {
			continue
		}
		var cand candidate
		status, err := v.getJSON(ctx, "/api/v1/external/candidates/"+url.PathEscape(ref), &cand)
		if err != nil {
			return nil, err
		}
		if status != http.StatusOK {
			c.Invented++
			if len(c.Problems) < maxProblems {
				c.Problems = append(c.Problems, fmt.Sprintf("new_applicant for %q, which GET answers %d", ref, status))
			}
		}
	}
	return c, nil
}
