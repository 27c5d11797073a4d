package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"intake/internal/testenv"
)

// bbWorld is the world of the black-box suites: the tests' shared world.
const bbWorld = testenv.World

// References and tokens of bbWorld.
const (
	wkCandidates = "/api/v1/external/candidates"
	rwKey        = testenv.RWToken
	readKey      = testenv.ReadToken
	mineKey      = testenv.MineToken
	jobsKey      = testenv.JobsToken
	careersKey   = testenv.CareersToken
	otherOrgKey  = testenv.OtherOrgToken
	acmeOrg      = testenv.Org
	otherOrg     = testenv.OtherOrg
	seedJob      = testenv.SeedJob
	salesJob     = testenv.SalesJob
	listJob      = testenv.ListJob
	otherJob     = testenv.OtherJob
	seedVacancy  = testenv.SeedVacancy
	salesVacancy = testenv.SalesVacancy
	otherVacancy = testenv.OtherVacancy
)

// startBB starts the binary on a fresh data dir with bbWorld, without a
// rate limit (the suites send hundreds of requests with one key), and
// returns it with its data dir.
func startBB(t testing.TB, args ...string) (*server, string) {
	t.Helper()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	all := append([]string{"--world", writeWorld(t, dir, bbWorld), "--rate-limit", "0"}, args...)
	return startServer(t, data, all...), data
}

// call is one HTTP request to a started binary.
type call struct {
	method string // GET when empty
	path   string
	auth   string // the whole Authorization header; unset when empty
	ctype  string
	body   string
	header []string // further headers: name, value, name, value…
}

// answer is what a call got back.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) String() string { return strconv.Itoa(a.status) + " " + string(a.body) }

// send runs c against base and reads the whole answer.
func send(t testing.TB, base string, c call) answer {
	t.Helper()
	a, err := try(base, c)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// try is send for goroutines, which must not call t.Fatal.
func try(base string, c call) (answer, error) {
	res, err := testenv.Try(context.Background(), base, testenv.Request{
		Method: c.method, Path: c.path, Auth: c.auth, ContentType: c.ctype, Body: strings.NewReader(c.body), Header: c.header,
	})
	return answer{status: res.Status, header: res.Header, body: res.Body}, err
}

func bearer(token string) string { return "Bearer " + token }

const (
	jsonType    = "application/json"
	formType    = "application/x-www-form-urlencoded"
	jsonAnswer  = "application/json; charset=utf-8"
	htmlAnswer  = "text/html; charset=utf-8"
	filesPrefix = "/files/"
)

// wkError is the exact WelcomeKit error body (spec welcomekit §1 Errors).
func wkError(code, description string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}{code, description})
	return b.String()
}

// hapiError is the exact Flatchr error body (spec flatchr §1 Errors).
func hapiError(status int, message string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(struct {
		StatusCode int    `json:"statusCode"`
		Error      string `json:"error"`
		Message    string `json:"message"`
	}{status, http.StatusText(status), message})
	return strings.TrimSuffix(b.String(), "\n")
}

// checkAnswer asserts a JSON answer's status and exact body.
func checkAnswer(t testing.TB, got answer, status int, body string) {
	t.Helper()
	if got.status != status || string(got.body) != body {
		t.Errorf("got  %d %s\nwant %d %s", got.status, got.body, status, body)
	}
	if ct := got.header.Get("Content-Type"); ct != jsonAnswer {
		t.Errorf("Content-Type = %q, want %q", ct, jsonAnswer)
	}
}

// wkTotal is the number of candidates the rw key sees on a job, from the
// list's X-Total header.
func wkTotal(t testing.TB, base, job string) int {
	t.Helper()
	a := send(t, base, call{method: http.MethodHead, path: wkCandidates + "?per_page=1&job_reference=" + job, auth: bearer(rwKey)})
	n, err := strconv.Atoi(a.header.Get("X-Total"))
	if a.status != http.StatusOK || err != nil {
		t.Fatalf("counting candidates of %s: %d, X-Total %q", job, a.status, a.header.Get("X-Total"))
	}
	return n
}

// countFiles counts the regular files under the data dir's files/, staged
// or committed.
func countFiles(t testing.TB, dataDir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(dataDir, "files"), func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			n++
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return n
}

// stock is what the store holds: candidates per job of Acme and files.
type stock struct {
	seed, sales, files int
}

func takeStock(t testing.TB, base, dataDir string) stock {
	t.Helper()
	return stock{seed: wkTotal(t, base, seedJob), sales: wkTotal(t, base, salesJob), files: countFiles(t, dataDir)}
}

// unchanged fails when a refused request stored something.
func (s stock) unchanged(t testing.TB, base, dataDir string) {
	t.Helper()
	if now := takeStock(t, base, dataDir); now != s {
		t.Errorf("store changed: before %+v, after %+v", s, now)
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// fetchFile downloads a signed file URL without a credential.
func fetchFile(t testing.TB, rawURL string) answer {
	t.Helper()
	res := testenv.Do(t, "", testenv.Request{Path: rawURL})
	return answer{status: res.Status, header: res.Header, body: res.Body}
}

// fileServer serves body under any path of a local server and counts the
// requests it got.
func fileServer(t testing.TB, contentType string, body []byte) (string, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &hits
}

// object decodes a JSON object.
func object(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, b)
	}
	return m
}

// rawField returns the raw JSON of one key of an object.
func rawField(t testing.TB, b []byte, key string) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, b)
	}
	return m[key]
}

// metric reads one unlabelled sample from GET /metrics.
func metric(t testing.TB, base, name string) float64 {
	t.Helper()
	a := send(t, base, call{path: "/metrics"})
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`).FindSubmatch(a.body)
	if a.status != http.StatusOK || m == nil {
		t.Fatalf("metric %s not found (status %d)", name, a.status)
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// samplePDF is a small file the server sniffs as application/pdf.
var samplePDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// Executables with document names: an ELF and a DOS/Windows header.
var (
	elfBytes = append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00"), make([]byte, 64)...)
	exeBytes = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), []byte("This program cannot be run in DOS mode.\r\n")...)
)
