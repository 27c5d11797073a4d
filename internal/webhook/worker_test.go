package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"sync"
	"testing"
	"time"

	"intake"
	"intake/internal/fetch"
	"intake/internal/httpapi/flatchr"
	"intake/internal/testenv"
	"intake/internal/webhook"
)

const world = `
organizations:
  - name: Acme
    reference: Pg4eV6k
    api_keys:
      - {name: rw, token: wk-api-key, scopes: [candidates_rw]}
    jobs: [{reference: WTTJ_KmqkD1Y, title: Dev}]
`

const secret = "whsec-0123456789abcdef"

// receiver is a real HTTP server that misbehaves on its first requests:
// answers 500, stalls past the worker's timeout, or drops the connection.
type receiver struct {
	t      *testing.T
	mu     sync.Mutex
	faults []string
	got    []delivery
	seen   chan struct{}
}

type delivery struct {
	eventID int64
	replay  bool
	event   string
	body    map[string]any
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	var fault string
	if len(rc.faults) > 0 {
		fault, rc.faults = rc.faults[0], rc.faults[1:]
	}
	rc.mu.Unlock()
	switch fault {
	case "500":
		http.Error(w, "boom", http.StatusInternalServerError)
		return
	case "stall":
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		return
	case "close":
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	if _, ok := webhook.Verify(r.Header.Get(webhook.HeaderSignature), body, secret); !ok {
		rc.t.Errorf("bad signature %q on %s", r.Header.Get(webhook.HeaderSignature), body)
	}
	id, _ := strconv.ParseInt(r.Header.Get(webhook.HeaderEventID), 10, 64)
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		rc.t.Errorf("body is not JSON: %v", err)
	}
	rc.mu.Lock()
	rc.got = append(rc.got, delivery{id, r.Header.Get(webhook.HeaderReplay) == "true", r.Header.Get(webhook.HeaderEvent), m})
	rc.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
	rc.seen <- struct{}{}
}

func (rc *receiver) wait(t *testing.T, n int) []delivery {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		rc.mu.Lock()
		if len(rc.got) >= n {
			out := append([]delivery(nil), rc.got...)
			rc.mu.Unlock()
			return out
		}
		rc.mu.Unlock()
		select {
		case <-rc.seen:
		case <-deadline:
			t.Fatalf("receiver got %d deliveries, want %d", len(rc.got), n)
		}
	}
}

func TestDeliveryThroughFaults(t *testing.T) {
	env := testenv.New(t, world)
	ctx := t.Context()
	rc := &receiver{t: t, seen: make(chan struct{}, 1000),
		faults: []string{"500", "stall", "close", "500", "close", "stall"}}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)

	p, err := env.Service.Authenticate(ctx, "wk-api-key")
	if err != nil {
		t.Fatal(err)
	}
	sub := &intake.Subscription{OrgID: p.Org.ID, URL: srv.URL + "/hook", Active: true,
		Events: []intake.EventName{intake.EventNewApplicant, intake.EventDragApplicant}, Secrets: []string{"old-secret-0123456789", secret}}
	if err := env.Store.CreateSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	job, err := env.Store.JobByReference(ctx, p.Org.ID, "WTTJ_KmqkD1Y")
	if err != nil {
		t.Fatal(err)
	}
	const n = 20
	var refs []string
	for i := range n {
		res, err := env.Service.CreateApplication(ctx, p, &intake.NewApplication{
			Job: job, Application: intake.Application{Source: intake.SourceWelcomeKit,
				Person: intake.Person{Firstname: "Jane", Lastname: "Doe", Email: fmt.Sprintf("jane%d@example.com", i)}},
		})
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, res.Candidate.Reference)
	}
	guard := fetch.New(fetch.Options{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	w := webhook.New(webhook.Config{
		Store: env.Store, Render: flatchr.WebhookBody, Client: guard.Client(0),
		Schedule: []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond, 80 * time.Millisecond,
			80 * time.Millisecond, 80 * time.Millisecond, 80 * time.Millisecond, 80 * time.Millisecond},
		Timeout: 200 * time.Millisecond, Poll: 10 * time.Millisecond,
	})
	wctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { w.Run(wctx); close(done) }()
	t.Cleanup(func() { stop(); <-done })

	got := rc.wait(t, n)
	events, err := env.Store.Events(ctx, intake.EventFilter{OrgID: p.Org.ID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range got[:n] {
		if d.eventID != events[i].ID || d.replay || d.event != "new_applicant" {
			t.Errorf("delivery %d = event %d (replay %v, %s), want event %d in order", i, d.eventID, d.replay, d.event, events[i].ID)
		}
		data, _ := d.body["data"].(map[string]any)
		app, _ := data["applicant"].(map[string]any)
		if app["reference"] != refs[i] || d.body["event"] != "new_applicant" || d.body["company_id"] != float64(p.Org.ID) {
			t.Errorf("delivery %d body = %v, want applicant %s", i, d.body, refs[i])
		}
	}
	// The worker saves outcomes after its batch: wait for them.
	var failed []*intake.Delivery
	for deadline := time.Now().Add(10 * time.Second); ; {
		failed, err = env.Store.Deliveries(ctx, intake.DeliveryFilter{OrgID: p.Org.ID, Status: intake.DeliveryDelivered, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(failed) == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d deliveries marked delivered, want %d", len(failed), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	first := failed[len(failed)-1]
	attempts, err := env.Store.DeliveryAttempts(ctx, p.Org.ID, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(attempts) < 2 || attempts[0].Error == "" || attempts[len(attempts)-1].Status != http.StatusNoContent {
		t.Errorf("first delivery's attempts = %+v, want failures then a 204", attempts)
	}

	// Replay re-sends every event with its own id, marked.
	replayed, err := env.Store.ReplayEvents(ctx, p.Org.ID, sub.ID, time.Time{}, env.Clock.Now())
	if err != nil || replayed != n {
		t.Fatalf("ReplayEvents = %d, %v; want %d", replayed, err, n)
	}
	w.Wake()
	got = rc.wait(t, 2*n)
	for i, d := range got[n:] {
		if d.eventID != events[i].ID || !d.replay {
			t.Errorf("replay %d = event %d (replay %v), want event %d marked as replay", i, d.eventID, d.replay, events[i].ID)
		}
	}
}
