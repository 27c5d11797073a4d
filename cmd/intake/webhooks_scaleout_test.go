package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"intake/internal/store/postgres/pgtest"
	"intake/internal/webhook"
)

// onceReceiver counts deliveries by subscription path and event id.
type onceReceiver struct {
	mu    sync.Mutex
	seen  map[string]int
	dups  []string
	total atomic.Int64
}

func (rc *onceReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Path + " " + r.Header.Get(webhook.HeaderEventID)
	rc.mu.Lock()
	rc.seen[key]++
	if rc.seen[key] == 2 {
		rc.dups = append(rc.dups, key)
	}
	rc.mu.Unlock()
	rc.total.Add(1)
	w.WriteHeader(http.StatusNoContent)
}

// Two processes on one PostgreSQL database, four subscriptions: every
// event reaches every subscription exactly once (no fault, so no
// duplicate). INTAKE_TEST_WEBHOOK_EVENTS sets the number of creates
// (docs/WEBHOOKS.md records a run of 10,000).
func TestWebhooksTwoProcessesDeliverOnce(t *testing.T) {
	events := 1000
	if v := os.Getenv("INTAKE_TEST_WEBHOOK_EVENTS"); v != "" {
		events, _ = strconv.Atoi(v)
	}
	const subs = 4
	dbURL := pgtest.NewDatabase(t)
	rc := &onceReceiver{seen: map[string]int{}}
	recv := httptest.NewServer(rc)
	t.Cleanup(recv.Close)
	hooks := "    webhooks:\n"
	for i := range subs {
		hooks += fmt.Sprintf("      - {url: %s/sub%d, events: [new_applicant]}\n", recv.URL, i)
	}
	world := strings.Replace(bbWorld, "    slug: acme\n", "    slug: acme\n"+hooks, 1)
	dir := t.TempDir()
	args := []string{"--database-url", dbURL, "--world", writeWorld(t, dir, world), "--rate-limit", "0",
		"--allow-fetch-from", "127.0.0.0/8", "--file-url-secret", strings.Repeat("ab", 32)}
	var a, b *server
	var wg sync.WaitGroup
	wg.Go(func() { a = startServer(t, t.TempDir(), args...) })
	wg.Go(func() { b = startServer(t, t.TempDir(), args...) })
	wg.Wait()

	start := time.Now()
	var next atomic.Int64
	var failed atomic.Int64
	for w := range 8 {
		base := a.URL
		if w%2 == 1 {
			base = b.URL
		}
		wg.Go(func() {
			for {
				i := next.Add(1)
				if i > int64(events) {
					return
				}
				ans, err := try(base, call{method: http.MethodPost, path: wkCandidates, auth: bearer(rwKey), ctype: jsonType,
					body: wkCreateBody(seedJob, fmt.Sprintf("once%d@example.com", i), "")})
				if err != nil || ans.status != http.StatusCreated {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		t.Fatalf("%d creates failed", n)
	}
	created := time.Since(start)
	want := int64(events * subs)
	deadline := time.Now().Add(5 * time.Minute)
	for rc.total.Load() < want && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	// Anything sent twice would arrive within a moment of the last.
	time.Sleep(time.Second)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if got := rc.total.Load(); got != want || len(rc.seen) != int(want) || len(rc.dups) > 0 {
		t.Fatalf("receiver got %d deliveries of %d distinct (subscription, event), want %d each once; duplicates: %v",
			got, len(rc.seen), want, rc.dups[:min(len(rc.dups), 10)])
	}
	t.Logf("%d creates in %v through two processes; %d deliveries, all once, done %v after the first create",
		events, created.Round(time.Millisecond), want, time.Since(start).Round(time.Millisecond))
}
