package flatchr

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"intake"
	"intake/internal/testenv"
)

// Tokens of the test world.
const (
	seedToken     = "8mdGHihkSGTv9JKN3JuS0MTnN2aDjjpbN54Jw5yqBpM="
	otherKeyToken = "second-key-of-acme-000"
	readOnlyToken = "read-only-key-of-acme-0"
	foreignToken  = "key-of-another-company"
	seedVacancy   = "vyja39jqrrnlnqwe-technicien-metrologue-h-f"
)

// world has the seed's vacancy and token, a vacancy with questions, an
// unpublished and an archived one, and a second company.
const world = `
organizations:
  - name: Acme Métrologie
    reference: acme
    slug: acme
    company_key: G6KzqPnNLyp31m0l
    api_keys:
      - {name: flatchr, token: "` + seedToken + `", scopes: [candidates_rw]}
      - {name: second, token: "` + otherKeyToken + `", scopes: [candidates_rw]}
      - {name: reader, token: "` + readOnlyToken + `", scopes: [candidates_r]}
    jobs:
      - id: 84512
        reference: WTTJ_metro
        title: Technicien métrologue H/F
        vacancy_slug: ` + seedVacancy + `
      - id: 84513
        reference: WTTJ_sales
        title: Account Executive SaaS H/F
        questions:
          - {id: why, text: "Pourquoi nous ?", type: text, required: true}
          - {id: level, text: "Niveau d'études", type: select, options: "Bac +3;Bac +5"}
      - id: 84514
        reference: WTTJ_hidden
        title: Poste confidentiel
        published: false
      - id: 84515
        reference: WTTJ_old
        title: Ancien poste
        archived: true
  - name: Other Company
    reference: other
    slug: other
    api_keys:
      - {name: other, token: "` + foreignToken + `", scopes: [candidates_rw]}
    jobs:
      - id: 90001
        reference: WTTJ_foreign
        title: Foreign job
        vacancy_slug: foreign-job
`

// server is the Flatchr handler over a real Service, as the binary mounts
// it, with the signed file downloads next to it.
type server struct {
	env *testenv.Env
	url string
}

func newServer(t testing.TB, opts ...testenv.Option) *server {
	t.Helper()
	env := testenv.New(t, world, opts...)
	h := NewHandler(env.Service, Options{Files: env.Signer})
	mux := http.NewServeMux()
	mux.Handle("/vacancy/", h)
	mux.Handle("/company/", h)
	mux.Handle("GET /files/", env.Files())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &server{env: env, url: srv.URL}
}

// response is what a test request got back.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request; headers alternate names and values.
func (s *server) do(t testing.TB, method, path, contentType string, body io.Reader, headers ...string) response {
	t.Helper()
	res := testenv.Do(t, s.url, testenv.Request{Method: method, Path: path, ContentType: contentType, Body: body, Header: headers})
	return response{status: res.Status, header: res.Header, body: res.Body}
}

func (s *server) postJSON(t testing.TB, path, body string, headers ...string) response {
	t.Helper()
	return s.do(t, http.MethodPost, path, "application/json", strings.NewReader(body), headers...)
}

// principal authenticates as the seed's key.
func (s *server) principal(t testing.TB) *intake.Principal {
	t.Helper()
	p, err := s.env.Service.Authenticate(t.Context(), seedToken)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// applications lists what the seed's company holds for a vacancy.
func (s *server) applications(t testing.TB, vacancy string) []*intake.Candidate {
	t.Helper()
	p := s.principal(t)
	job, err := s.env.Service.JobByVacancy(t.Context(), p, vacancy)
	if err != nil {
		job, err = s.jobByReference(t, p, vacancy)
		if err != nil {
			t.Fatal(err)
		}
	}
	list, _, err := s.env.Service.Applications(t.Context(), p, intake.ApplicationQuery{Job: job, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func (s *server) jobByReference(t testing.TB, p *intake.Principal, ref string) (*intake.Job, error) {
	return s.env.Service.JobByReference(t.Context(), p, p.Org.Reference, ref)
}

// files counts the blob files on disk, staged or committed.
func (s *server) files(t testing.TB) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(s.env.DataDir, "files"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// blobSum returns the SHA-256 of a stored document's bytes.
func (s *server) blobSum(t testing.TB, doc *intake.Document) string {
	t.Helper()
	rc, err := s.env.Service.OpenBlob(t.Context(), doc.BlobKey)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// hapi is the exact error body for status and message.
func hapi(status int, message string) string {
	b, _ := encodeJSON(errorJSON{StatusCode: status, Error: http.StatusText(status), Message: message})
	return string(b)
}

// golden compares got with testdata/name after replacing each
// {{placeholder}} with its value. With UPDATE_GOLDEN=1 it writes got back
// (placeholders restored) instead.
func golden(t testing.TB, name string, got []byte, values map[string]string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		out := string(got)
		for k, v := range values {
			out = strings.ReplaceAll(out, v, "{{"+k+"}}")
		}
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	w := string(want)
	for k, v := range values {
		w = strings.ReplaceAll(w, "{{"+k+"}}", v)
	}
	if string(got) != w {
		t.Fatalf("body differs from %s:\n got %s\nwant %s", path, got, w)
	}
}

// decode reads a JSON body into a map, failing the test on bad JSON.
func decode(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, b)
	}
	return m
}

func compact(t testing.TB, s string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(s)); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
