package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"intake/internal/testenv"
)

func TestMetricsCountRoutesCreatesAndCommits(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, dir+"/data", "--world", writeWorld(t, dir, seedWorld))
	if status, _ := seedRequest(t, s.URL); status != http.StatusCreated {
		t.Fatalf("create: %d", status)
	}
	do(t, "GET", s.URL+"/api/v1/external/candidates/wttj-000000000000000000000000", "wk-api-key", "", "")
	status, hdr, body := do(t, "GET", s.URL+"/metrics", "", "", "")
	if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/plain") {
		t.Fatalf("metrics: %d %v", status, hdr)
	}
	for _, want := range []string{
		`intake_http_requests_total{method="POST",route="POST /api/v1/external/candidates",status="201"} 1`,
		`intake_http_requests_total{method="GET",route="GET /api/v1/external/candidates/{reference}",status="404"} 1`,
		`intake_candidates_created_total{dialect="welcomekit"} 1`,
	} {
		if !strings.Contains(string(body), want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}
	commits := regexp.MustCompile(`(?m)^intake_store_commit_batch_size_count (\d+)$`).FindSubmatch(body)
	if commits == nil {
		t.Fatal("no commit batch histogram")
	}
	if n, _ := strconv.Atoi(string(commits[1])); n < 1 {
		t.Errorf("commit batches = %d, want ≥ 1", n)
	}
	// Each acknowledged write waited for a WAL sync.
	syncs := regexp.MustCompile(`(?m)^intake_store_wal_sync_duration_seconds_count (\d+)$`).FindSubmatch(body)
	if syncs == nil {
		t.Fatal("no WAL sync histogram")
	}
	if n, _ := strconv.Atoi(string(syncs[1])); n < 1 {
		t.Errorf("WAL syncs = %d, want ≥ 1", n)
	}
}

func TestRateLimitFlag(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, dir+"/data", "--world", writeWorld(t, dir, seedWorld), "--rate-limit", "0.01", "--rate-burst", "3")
	url := s.URL + "/api/v1/external/candidates?job_reference=WTTJ_KmqkD1Y"
	for i := range 3 {
		if status, _, b := do(t, "GET", url, "wk-api-key", "", ""); status != http.StatusOK {
			t.Fatalf("request %d: %d %s", i, status, b)
		}
	}
	status, hdr, body := do(t, "GET", url, "wk-api-key", "", "")
	if status != http.StatusTooManyRequests || hdr.Get("Retry-After") == "" || !strings.Contains(string(body), `"error":"rate_limited"`) {
		t.Fatalf("4th request: %d %v %s", status, hdr, body)
	}
	flatchr := `{"vacancy":"vyja39jqrrnlnqwe-technicien-metrologue-h-f","firstname":"a","lastname":"b","type":"link","resume":"example.com/cv.pdf"}`
	status, hdr, body = do(t, "POST", s.URL+"/vacancy/candidate/json", "wk-api-key", "application/json", flatchr)
	if status != http.StatusTooManyRequests || hdr.Get("Retry-After") == "" || !strings.Contains(string(body), `"statusCode":429`) {
		t.Fatalf("Flatchr over the limit: %d %v %s", status, hdr, body)
	}
}

// SIGTERM lets a request already being received finish and be answered,
// then the process exits 0.
func TestGracefulShutdownDrainsInFlightRequest(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, dir+"/data", "--world", writeWorld(t, dir, seedWorld))
	idle := metric(t, s.URL, "intake_http_requests_in_flight")
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := seedBody
	head := fmt.Sprintf("POST /api/v1/external/candidates HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wk-api-key\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
	if _, err := io.WriteString(conn, head+body[:10]); err != nil {
		t.Fatal(err)
	}
	// The handler is reading the body once the in-flight gauge counts
	// our request besides the scrape that reads it.
	testenv.WaitFor(t, "the request to be in flight", func() bool {
		return metric(t, s.URL, "intake_http_requests_in_flight") > idle
	})
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	// Shutdown closes the listener first, then waits for us.
	addr := strings.TrimPrefix(s.URL, "http://")
	testenv.WaitFor(t, "the listener to close", func() bool {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return true
		}
		c.Close()
		return false
	})
	if _, err := io.WriteString(conn, body[10:]); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request got no answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("in-flight request: %d", resp.StatusCode)
	}
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit code %d", code)
	}
	if _, err := http.Get(s.URL + "/healthz"); err == nil {
		t.Error("still accepting connections after shutdown")
	}
}

// A client that trickles its headers or its body is cut off when its time
// is up, so slow connections cannot pile up (slowloris).
func TestSlowClientsAreCutOff(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, dir+"/data", "--world", writeWorld(t, dir, seedWorld),
		"--read-header-timeout", "500ms", "--read-timeout", "1s")
	addr := strings.TrimPrefix(s.URL, "http://")
	tests := []struct {
		name string
		sent string
	}{
		{"headers never finished", "POST /api/v1/external/candidates HTTP/1.1\r\nHost: x\r\n"},
		{"body never finished", "POST /api/v1/external/candidates HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wk-api-key\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\":"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, tt.sent); err != nil {
				t.Fatal(err)
			}
			// Generous bound: the server must close long before it.
			_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
			_, err = io.ReadAll(conn)
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("the server kept a stalled connection open")
			}
		})
	}
}
