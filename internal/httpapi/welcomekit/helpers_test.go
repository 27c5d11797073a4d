package welcomekit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"intake"
	"intake/internal/testenv"
)

// testWorld has two organizations; the first one is the seed's.
const testWorld = `
organizations:
  - name: Acme
    reference: Pg4eV6k
    api_keys:
      - {name: rw, token: wk-api-key, scopes: [candidates_rw]}
      - {name: reader, token: wk-reader-key, scopes: [candidates_r]}
      - {name: mine, token: wk-mine-key, scopes: [my_candidates_rw]}
      - {name: jobs, token: wk-jobs-key, scopes: [jobs_r]}
    jobs:
      - reference: WTTJ_KmqkD1Y
        id: 3027
        title: Technicien métrologue H/F
        stages:
          - {id: 42, name: Nouveau, reference: initial}
          - {id: 14600, name: Refusé, reference: refused}
          - {id: 14601, name: Entretien technique}
          - {id: 14602, name: To meet, reference: to_meet}
      - reference: WTTJ_gld0A7L
        id: 3028
        title: Développeur
        stages:
          - {id: 50, name: Nouveau, reference: initial}
  - name: Globex
    reference: 2Ob7z5j
    api_keys:
      - {name: other, token: other-org-key, scopes: [candidates_rw]}
    jobs:
      - reference: WTTJ_Other01
        id: 4000
        title: Other
        stages: [{id: 60, name: New, reference: initial}]
`

const (
	rwToken     = "wk-api-key"
	readToken   = "wk-reader-key"
	mineToken   = "wk-mine-key"
	jobsToken   = "wk-jobs-key"
	otherToken  = "other-org-key"
	candidates  = "/api/v1/external/candidates"
	seedOrg     = "Pg4eV6k"
	seedJob     = "WTTJ_KmqkD1Y"
	jsonType    = "application/json"
	formType    = "application/x-www-form-urlencoded"
	contentType = "application/json; charset=utf-8"
)

// fixture is the real handler over a real service, behind a real server.
type fixture struct {
	env *testenv.Env
	srv *httptest.Server
}

func newFixture(t testing.TB) *fixture {
	return newFixtureWith(t, Options{})
}

// newFixtureWith serves the handler as the binary mounts it, with the
// download handler beside it so that signed URLs can be followed.
func newFixtureWith(t testing.TB, opts Options, envOpts ...testenv.Option) *fixture {
	t.Helper()
	env := testenv.New(t, testWorld, envOpts...)
	if opts.Files == nil {
		opts.Files = env.Signer
	}
	h := NewHandler(env.Service, opts)
	mux := http.NewServeMux()
	mux.Handle("/api/v1/external/", h)
	mux.Handle("/assets/", h)
	mux.Handle("GET /files/", env.Files())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{env: env, srv: srv}
}

// request is one HTTP call; token, when set, goes in a Bearer header.
type request struct {
	method      string
	path        string
	token       string
	contentType string
	body        string
	header      map[string]string
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (f *fixture) do(t testing.TB, req request) response {
	t.Helper()
	var header []string
	for k, v := range req.header {
		header = append(header, k, v)
	}
	res := testenv.Do(t, f.srv.URL, testenv.Request{
		Method: req.method, Path: req.path, Token: req.token, ContentType: req.contentType,
		Body: strings.NewReader(req.body), Header: header, Client: f.srv.Client(),
	})
	return response{status: res.Status, header: res.Header, body: res.Body}
}

// create posts a JSON create with the rw key and returns the candidate.
func (f *fixture) create(t testing.TB, token string, fields map[string]any) map[string]any {
	t.Helper()
	body := map[string]any{
		"organization_reference": seedOrg,
		"job_reference":          seedJob,
		"email":                  "test@example.com",
		"firstname":              "Foo",
		"lastname":               "Bar",
	}
	for k, v := range fields {
		if v == nil {
			delete(body, k)
		} else {
			body[k] = v
		}
	}
	b, _ := json.Marshal(body)
	res := f.do(t, request{method: http.MethodPost, path: candidates, token: token, contentType: jsonType, body: string(b)})
	if res.status != http.StatusCreated {
		t.Fatalf("create: status %d, body %s", res.status, res.body)
	}
	return jsonObject(t, res.body)
}

func jsonObject(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %q: %v", b, err)
	}
	return v
}

func jsonList(t testing.TB, b []byte) []map[string]any {
	t.Helper()
	var v []map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %q: %v", b, err)
	}
	return v
}

// field returns the raw JSON of one key of an object.
func field(t testing.TB, b []byte, key string) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m[key]
}

// Key orders of the vendor's objects (spec welcomekit §2 Response).
var (
	candidateKeys = []string{
		"reference", "cover_letter", "created_at", "job_id", "job_reference", "modal_path",
		"origin", "portfolio_size", "portfolio_url", "resume_content_type", "resume_size",
		"resume_url", "stage_id", "updated_at", "profile", "archived",
	}
	profileKeys = []string{
		"address", "avatar_url", "city", "civility", "country_code", "country_name",
		"email", "firstname", "lastname", "phone", "subtitle", "zip_code",
	}
)

// checkShape asserts a candidate object's keys, in order, with extra keys
// (stage, tags) expected after archived.
func checkShape(t testing.TB, b []byte, extra ...string) {
	t.Helper()
	want := append(append([]string{}, candidateKeys...), extra...)
	if diff := cmp.Diff(want, testenv.ObjectKeys(t, b)); diff != "" {
		t.Errorf("candidate keys (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(profileKeys, testenv.ObjectKeys(t, field(t, b, "profile"))); diff != "" {
		t.Errorf("profile keys (-want +got):\n%s", diff)
	}
}

// checkError asserts an error answer: status, the exact body, JSON type.
func checkError(t testing.TB, res response, status int, code, description string) {
	t.Helper()
	if res.status != status {
		t.Errorf("status = %d, want %d (body %s)", res.status, status, res.body)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(map[string]string{"error": code, "error_description": description})
	if got := string(res.body); got != want.String() {
		t.Errorf("body = %s\nwant   %s", got, want.String())
	}
	if ct := res.header.Get("Content-Type"); ct != contentType {
		t.Errorf("Content-Type = %q, want %q", ct, contentType)
	}
}

var referencePattern = regexp.MustCompile(`^wttj-[0-9a-f]{24}$`)

// seedTime is the clock of a new Env as the vendor renders it.
const seedTime = "2016-08-23T12:55:27.206+02:00"

func str(v any) string { return fmt.Sprint(v) }

// principal returns the principal of token, for checks through the
// service of what the API does not echo.
func principal(t testing.TB, f *fixture, token string) *intake.Principal {
	t.Helper()
	p, err := f.env.Service.Authenticate(t.Context(), token)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// at sets the fixture's clock to a time in Paris.
func at(f *fixture, layout string) {
	paris, _ := time.LoadLocation("Europe/Paris")
	tm, err := time.ParseInLocation(time.DateTime, layout, paris)
	if err != nil {
		panic(err)
	}
	f.env.Clock.Set(tm)
}
