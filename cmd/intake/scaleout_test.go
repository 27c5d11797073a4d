package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"intake/internal/store/postgres/pgtest"
	"intake/internal/testenv"
)

// scaleOut is what several intake processes share: one PostgreSQL
// database, one S3-compatible bucket and one download-URL key.
type scaleOut struct {
	env  []string
	args []string
}

// newScaleOut creates a throw-away database and a real S3 protocol server
// (gofakes3 over TLS; the binaries trust its certificate via SSL_CERT_FILE).
func newScaleOut(t *testing.T) *scaleOut {
	t.Helper()
	dbURL := pgtest.NewDatabase(t)
	backend := s3mem.New()
	if err := backend.CreateBucket("intake"); err != nil {
		t.Fatal(err)
	}
	s3 := httptest.NewTLSServer(gofakes3.New(backend).Server())
	t.Cleanup(s3.Close)
	certFile := filepath.Join(t.TempDir(), "s3.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s3.Certificate().Raw})
	if err := os.WriteFile(certFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	return &scaleOut{
		env: []string{"SSL_CERT_FILE=" + certFile, "INTAKE_S3_ACCESS_KEY=test", "INTAKE_S3_SECRET_KEY=test-secret"},
		args: []string{
			"--database-url", dbURL,
			"--blob-url", "s3://intake/cluster?endpoint=" + strings.TrimPrefix(s3.URL, "https://") + "&region=us-east-1&path_style=true",
			"--file-url-secret", strings.Repeat("ab", 32),
			"--world", writeWorld(t, dir, seedWorld),
		},
	}
}

func (so *scaleOut) start(t *testing.T) *server {
	t.Helper()
	return startServerEnv(t, so.env, t.TempDir(), so.args...)
}

func flatchrCreate(email string, resume []byte) string {
	return fmt.Sprintf(`{"vacancy":"vyja39jqrrnlnqwe-technicien-metrologue-h-f","firstname":"john","lastname":"doe","email":%q,"type":"document","resume":{"data":%q,"fileName":"cv.txt","contentType":"text/plain"}}`,
		email, base64.StdEncoding.EncodeToString(resume))
}

const flatchrToken = "8mdGHihkSGTv9JKN3JuS0MTnN2aDjjpbN54Jw5yqBpM="

func TestTwoProcessesShareDatabaseAndFiles(t *testing.T) {
	so := newScaleOut(t)
	var a, b *server
	var wg sync.WaitGroup
	wg.Go(func() { a = so.start(t) })
	wg.Go(func() { b = so.start(t) })
	wg.Wait()

	resume := []byte("Curriculum vitae of John Doe, metrologist.\n")
	status, _, body := do(t, "POST", a.URL+"/vacancy/candidate/json", flatchrToken, "application/json", flatchrCreate("john@example.com", resume))
	if status != http.StatusOK {
		t.Fatalf("create via A: %d %s", status, body)
	}
	var created struct{ Reference string }
	_ = json.Unmarshal(body, &created)

	status, _, body = do(t, "GET", b.URL+"/api/v1/external/candidates/"+created.Reference, "wk-api-key", "", "")
	if status != http.StatusOK {
		t.Fatalf("read via B: %d %s", status, body)
	}
	var cand struct {
		ResumeURL string `json:"resume_url"`
	}
	_ = json.Unmarshal(body, &cand)
	if !strings.HasPrefix(cand.ResumeURL, b.URL+"/files/") {
		t.Fatalf("resume_url = %q, want one of B", cand.ResumeURL)
	}
	resp, err := http.Get(cand.ResumeURL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || sha256.Sum256(got) != sha256.Sum256(resume) {
		t.Fatalf("resume via B: %d, %d bytes", resp.StatusCode, len(got))
	}

	// Concurrent creates on both processes: every acknowledged one is
	// unique and readable from the other process.
	refs := make(chan string, 200)
	var failures sync.Map
	var load sync.WaitGroup
	for i := range 8 {
		load.Go(func() {
			srv, other := a, b
			if i%2 == 1 {
				srv, other = b, a
			}
			for j := range 10 {
				email := fmt.Sprintf("c%d-%d@example.com", i, j)
				body := strings.Replace(seedBody, "test@example.com", email, 1)
				req, _ := http.NewRequest("POST", srv.URL+"/api/v1/external/candidates", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer wk-api-key")
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					failures.Store(email, err.Error())
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					failures.Store(email, fmt.Sprintf("%d %s", resp.StatusCode, b))
					continue
				}
				var c struct{ Reference string }
				_ = json.Unmarshal(b, &c)
				refs <- c.Reference + " " + other.URL
			}
		})
	}
	load.Wait()
	close(refs)
	failures.Range(func(k, v any) bool { t.Errorf("create %v: %v", k, v); return true })
	seen := map[string]bool{}
	for line := range refs {
		ref, otherURL, _ := strings.Cut(line, " ")
		if seen[ref] {
			t.Errorf("reference %s given twice", ref)
		}
		seen[ref] = true
		req, _ := http.NewRequest("GET", otherURL+"/api/v1/external/candidates/"+ref, nil)
		req.Header.Set("Authorization", "Bearer wk-api-key")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("read %s from the other process: %v %v", ref, resp, err)
		}
		if resp != nil {
			resp.Body.Close()
		}
	}
	if len(seen) != 80 {
		t.Errorf("%d candidates acknowledged, want 80", len(seen))
	}
	status, hdr, _ := do(t, "GET", a.URL+"/api/v1/external/candidates?job_reference=WTTJ_KmqkD1Y&per_page=1", "wk-api-key", "", "")
	if status != http.StatusOK || hdr.Get("X-Total") != "81" {
		t.Errorf("list total = %s (status %d), want 81", hdr.Get("X-Total"), status)
	}
}

// PostgreSQL going away mid-load: requests fail with 503 in each dialect's
// format instead of hanging, /readyz says not ready, intake recovers by
// itself, and no acknowledged candidate is lost. The shared server cannot be
// stopped, so a TCP proxy in front of it is cut instead.
func TestPostgresOutage(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	proxy := pgtest.NewProxy(t, dbURL)
	dir := t.TempDir()
	s := startServer(t, dir+"/data", "--database-url", proxy.Through(dbURL), "--world", writeWorld(t, dir, seedWorld))
	client := &http.Client{Timeout: 30 * time.Second} // a hang fails the test

	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	var load sync.WaitGroup
	for w := range 4 {
		load.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				body := strings.Replace(seedBody, "test@example.com", fmt.Sprintf("w%d-%d@example.com", w, i), 1)
				req, _ := http.NewRequest("POST", s.URL+"/api/v1/external/candidates", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer wk-api-key")
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					t.Errorf("create: %v", err)
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated {
					var c struct{ Reference string }
					_ = json.Unmarshal(b, &c)
					mu.Lock()
					acked = append(acked, c.Reference)
					mu.Unlock()
				}
				// Pacing, not synchronisation: a steady load, not a flood.
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
	// The outage cuts a load under way: some creates are acknowledged.
	testenv.WaitFor(t, "a create to be acknowledged", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(acked) > 0 || t.Failed()
	})

	for _, outage := range []struct {
		name string
		cut  func()
	}{{"refused", proxy.Down}, {"silent", proxy.Hang}} {
		t.Run(outage.name, func(t *testing.T) {
			outage.cut()
			wk := do503(t, client, "POST", s.URL+"/api/v1/external/candidates", seedBody)
			if !strings.Contains(wk, `"error":"service_unavailable"`) {
				t.Errorf("WelcomeKit during the outage: %s", wk)
			}
			fl := do503(t, client, "POST", s.URL+"/vacancy/candidate/json", flatchrCreate("outage@example.com", []byte("cv")))
			if !strings.Contains(fl, `"statusCode":503`) {
				t.Errorf("Flatchr during the outage: %s", fl)
			}
			resp, err := client.Get(s.URL + "/readyz")
			if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("readyz during the outage: %v %v", resp, err)
			}
			proxy.Up()
			ready := false
			for range 300 {
				resp, err := client.Get(s.URL + "/readyz")
				if err == nil && resp.StatusCode == http.StatusOK {
					ready = true
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if !ready {
				t.Fatal("intake did not become ready again after PostgreSQL came back")
			}
			if status, _ := seedRequest(t, s.URL); status != http.StatusCreated && status != http.StatusBadRequest {
				t.Errorf("create after recovery: %d", status)
			}
		})
	}
	close(stop)
	load.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(acked) == 0 {
		t.Fatal("no candidate acknowledged")
	}
	for _, ref := range acked {
		if status, _, b := do(t, "GET", s.URL+"/api/v1/external/candidates/"+ref, "wk-api-key", "", ""); status != http.StatusOK {
			t.Errorf("acknowledged %s lost: %d %s", ref, status, b)
		}
	}
}

// do503 sends a create that must be refused with 503 while the database is
// away, and returns the body.
func do503(t *testing.T, client *http.Client, method, url, body string) string {
	t.Helper()
	token := "wk-api-key"
	if strings.Contains(url, "/vacancy/") {
		token = flatchrToken
	}
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s during the outage: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("%s during the outage: %d %s, want 503", url, resp.StatusCode, b)
	}
	return string(b)
}
