package bench

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// emailRecorder answers like the ceiling and remembers every email it was
// sent.
type emailRecorder struct {
	mu     sync.Mutex
	emails map[string]int
	next   http.Handler
}

func (e *emailRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct{ Email string }
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	e.mu.Lock()
	e.emails[body.Email]++
	e.mu.Unlock()
	e.next.ServeHTTP(w, r)
}

func newCreate(t testing.TB) *CreateWorkload {
	t.Helper()
	w, err := NewCreateWorkload(CreateOptions{Dialect: WelcomeKit, Token: "tok", Org: DemoOrg, Job: DemoJob, StageID: DemoStageID, RunID: "t"})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestRunAgainstCeiling(t *testing.T) {
	answer := Answer{Status: http.StatusCreated, ContentType: "application/json", Body: []byte(`{"reference":"wttj-0123"}`)}
	rec := &emailRecorder{emails: map[string]int{}, next: Ceiling(answer)}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)

	res, err := Run(t.Context(), Options{URL: srv.URL, Workload: newCreate(t), Concurrency: 8, MaxRequests: 300, FirstSeq: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 300 || res.OK != 300 || res.Errors() != 0 || len(res.Latencies) != 300 {
		t.Errorf("requests, ok, errors, latencies = %d, %d, %d, %d; want 300, 300, 0, 300", res.Requests, res.OK, res.Errors(), len(res.Latencies))
	}
	if res.Statuses[http.StatusCreated] != 300 || res.StatusSummary() != "201×300" {
		t.Errorf("statuses = %s", res.StatusSummary())
	}
	if res.BytesIn != int64(300*len(answer.Body)) {
		t.Errorf("BytesIn = %d, want %d", res.BytesIn, 300*len(answer.Body))
	}
	if res.NextSeq != 310 {
		t.Errorf("NextSeq = %d, want 310", res.NextSeq)
	}
	if len(rec.emails) != 300 {
		t.Errorf("%d distinct emails, want 300", len(rec.emails))
	}
	for seq := uint64(10); seq < 310; seq++ {
		if e := NewPerson("t", seq).Email; rec.emails[e] != 1 {
			t.Fatalf("email of request %d sent %d times", seq, rec.emails[e])
		}
	}
	if res.RPS() <= 0 || res.Latencies.Quantile(0.5) <= 0 {
		t.Errorf("rps %v, p50 %v: nothing measured", res.RPS(), res.Latencies.Quantile(0.5))
	}
}

func TestRunCountsFailures(t *testing.T) {
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		n++
		k := n
		mu.Unlock()
		switch k % 4 {
		case 1:
			w.WriteHeader(http.StatusUnprocessableEntity)
			_, _ = io.WriteString(w, `{"error":"validation_failed"}`)
		case 2:
			// A dropped connection: no answer at all.
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		default:
			w.WriteHeader(http.StatusCreated)
		}
	}))
	t.Cleanup(srv.Close)

	// One worker, so the failures come in the server's order.
	res, err := Run(t.Context(), Options{URL: srv.URL, Workload: newCreate(t), Concurrency: 1, MaxRequests: 8})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 8 || res.OK != 4 || res.TransportErrors != 2 || res.Statuses[http.StatusUnprocessableEntity] != 2 {
		t.Errorf("requests %d, ok %d, answers %s; want 8, 4, 201×4 422×2 transport×2", res.Requests, res.OK, res.StatusSummary())
	}
	if len(res.Latencies) != 4 {
		t.Errorf("%d latencies, want only the 4 successes", len(res.Latencies))
	}
	if !strings.Contains(res.FirstError, "422") || !strings.Contains(res.FirstError, "validation_failed") {
		t.Errorf("FirstError = %q, want the first answer, a 422 and its body", res.FirstError)
	}
}

func TestRunStopsAtDuration(t *testing.T) {
	srv := httptest.NewServer(Ceiling(Answer{Status: http.StatusOK, ContentType: "application/json", Body: []byte(`{}`)}))
	t.Cleanup(srv.Close)
	res, err := Run(t.Context(), Options{URL: srv.URL, Workload: newCreate(t), Concurrency: 2, Duration: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Errors() != 0 {
		t.Errorf("requests %d, errors %d", res.Requests, res.Errors())
	}
}

func TestRunStopsWithContext(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	t.Cleanup(func() { close(block); srv.Close() })
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan *Result)
	go func() {
		res, _ := Run(ctx, Options{URL: srv.URL, Workload: newCreate(t), Concurrency: 4, Duration: time.Hour})
		done <- res
	}()
	cancel()
	res := <-done
	if res.Errors() != 0 {
		t.Errorf("a cancelled load counted %d errors: %s", res.Errors(), res.FirstError)
	}
}

func TestRunOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{name: "no workload", opts: Options{URL: "http://127.0.0.1:1", Concurrency: 1, Duration: time.Second}},
		{name: "no concurrency", opts: Options{URL: "http://127.0.0.1:1", Workload: newCreate(t), Duration: time.Second}},
		{name: "unbounded", opts: Options{URL: "http://127.0.0.1:1", Workload: newCreate(t), Concurrency: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Run(t.Context(), tt.opts); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestProbe(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"reference":"wttj-1"}`)
	}))
	t.Cleanup(srv.Close)
	got, err := Probe(t.Context(), srv.Client(), srv.URL, newCreate(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != http.StatusCreated || got.ContentType != "application/json; charset=utf-8" || string(got.Body) != `{"reference":"wttj-1"}` {
		t.Errorf("answer = %d %q %s", got.Status, got.ContentType, got.Body)
	}
	w, _ := NewCreateWorkload(CreateOptions{Dialect: WelcomeKit, Org: DemoOrg, Job: DemoJob})
	if _, err := Probe(t.Context(), srv.Client(), srv.URL, w, 0); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("probe without token: err = %v, want a 401", err)
	}
}

func TestCeilingAnswers(t *testing.T) {
	answer := Answer{Status: http.StatusCreated, ContentType: "application/json", Body: []byte(`{"ok":true}`)}
	srv := httptest.NewServer(Ceiling(answer))
	t.Cleanup(srv.Close)
	resp, err := http.Post(srv.URL+"/anything", "application/json", strings.NewReader(strings.Repeat("x", 1<<20)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Content-Type") != "application/json" || string(body) != `{"ok":true}` || resp.ContentLength != int64(len(body)) {
		t.Errorf("answer = %d %q %d %s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.ContentLength, body)
	}
}

func TestCheckLoopback(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{url: "http://127.0.0.1:4010", ok: true},
		{url: "http://127.1.2.3", ok: true},
		{url: "http://[::1]:8080/", ok: true},
		{url: "http://localhost:4010", ok: true},
		{url: "http://10.0.0.1:4010"},
		{url: "http://192.0.2.7"},
		{url: "ftp://127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			err := CheckLoopback(t.Context(), tt.url)
			if (err == nil) != tt.ok {
				t.Errorf("err = %v, want ok %v", err, tt.ok)
			}
		})
	}
}
