package dashboard

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Paris on machines without a zone database

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"

	"intake"
	"intake/internal/auth"
	"intake/internal/httpapi/welcomekit"
	"intake/internal/markdown"
	"intake/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// testWorld has two organizations; the first one is the seed's.
const testWorld = `
organizations:
  - name: Acme
    reference: Pg4eV6k
    api_keys:
      - {name: recruiting, token: dash-rw-key, scopes: [candidates_rw]}
      - {name: reader, token: dash-reader-key, scopes: [candidates_r]}
      - {name: mine, token: dash-mine-key, scopes: [my_candidates_rw]}
      - {name: jobs only, token: dash-jobs-key, scopes: [jobs_r]}
      - {name: doomed, token: dash-doomed-key, scopes: [candidates_rw]}
      - {name: admin, token: dash-admin-key, scopes: [candidates_rw, jobs_rw]}
    users:
      - {email: owner@acme.test, firstname: Olive, lastname: Owner, role: owner, password: correct-horse-battery}
      - {email: admin@acme.test, firstname: Adam, lastname: Admin, role: admin, password: correct-horse-battery}
      - {email: recruiter@acme.test, firstname: Rita, lastname: Recruiter, role: recruiter, password: correct-horse-battery}
      - {email: viewer@acme.test, firstname: Victor, lastname: Viewer, role: viewer, password: correct-horse-battery}
      - {email: disabled@acme.test, firstname: Dora, lastname: Disabled, role: recruiter, password: correct-horse-battery, disabled: true}
    jobs:
      - reference: WTTJ_KmqkD1Y
        id: 3027
        title: Technicien métrologue H/F
        stages:
          - {id: 42, name: Nouveau, reference: initial}
          - {id: 14600, name: Refusé, reference: refused}
          - {id: 14601, name: Entretien technique}
        questions:
          - {id: q1, text: "Niveau d'études ?", type: select, required: false, options: "Bac;Bac +3;Bac +5"}
      - reference: WTTJ_gld0A7L
        id: 3028
        title: Développeur
        stages:
          - {id: 50, name: Nouveau, reference: initial}
  - name: Globex
    reference: 2Ob7z5j
    api_keys:
      - {name: globex, token: dash-other-key, scopes: [candidates_rw]}
    users:
      - {email: owner@globex.test, firstname: Gil, lastname: Globex, role: owner, password: correct-horse-battery}
    jobs:
      - reference: WTTJ_Other01
        id: 4000
        title: Other
        stages: [{id: 60, name: New, reference: initial}]
`

// testPassword is every test user's password.
const testPassword = "correct-horse-battery"

// roleEmail is the test user of each role in the first organization.
var roleEmail = map[intake.Role]string{
	intake.RoleOwner:     "owner@acme.test",
	intake.RoleAdmin:     "admin@acme.test",
	intake.RoleRecruiter: "recruiter@acme.test",
	intake.RoleViewer:    "viewer@acme.test",
}

const (
	disabledEmail = "disabled@acme.test"
	otherOrgEmail = "owner@globex.test"
)

const (
	adminToken  = "dash-admin-key"
	rwToken     = "dash-rw-key"
	readToken   = "dash-reader-key"
	mineToken   = "dash-mine-key"
	jobsToken   = "dash-jobs-key"
	doomedToken = "dash-doomed-key"
	otherToken  = "dash-other-key"
	org         = "Pg4eV6k"
	otherOrg    = "2Ob7z5j"
	job         = "WTTJ_KmqkD1Y"
	otherJob    = "WTTJ_Other01"
)

// testSecret is a fixed session secret, so that cookies and CSRF tokens,
// and thus golden pages, are the same at every run.
var testSecret = bytes.Repeat([]byte{'s'}, MinSecretLen)

// fixture is the dashboard mounted as the binary mounts it, next to the
// WelcomeKit API and the download handler, over a real service.
type fixture struct {
	env *testenv.Env
	srv *httptest.Server
}

func newFixture(t testing.TB) *fixture {
	return newFixtureWith(t, Options{})
}

// newFixtureConfig is newFixtureWith with configure applied to the
// Service's configuration (a mailer, say).
func newFixtureConfig(t testing.TB, opts Options, configure func(*intake.ServiceConfig)) *fixture {
	t.Helper()
	return newFixtureWith(t, opts, configure)
}

// newFixtureWith mounts the dashboard with opts (its PublicURL defaults to
// the test server's URL); cfg adjusts the Service, e.g. to give it a
// mailer.
func newFixtureWith(t testing.TB, opts Options, cfg ...func(*intake.ServiceConfig)) *fixture {
	t.Helper()
	env := testenv.New(t, testWorld, func(c *intake.ServiceConfig) {
		c.Passwords = auth.Bcrypt{Cost: bcrypt.MinCost}
		c.UserTokens = auth.JWT{Key: []byte("0123456789abcdef0123456789abcdef")}
		c.Activity.Markdown = markdown.New().Render
		for _, f := range cfg {
			f(c)
		}
	})
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	srv := httptest.NewUnstartedServer(mux)
	if opts.PublicURL == "" {
		opts.PublicURL = "http://" + srv.Listener.Addr().String()
	}
	opts.Location = loc
	opts.Files = env.Signer
	opts.SessionSecret = testSecret
	dash := NewHandler(env.Service, opts)
	wk := welcomekit.NewHandler(env.Service, welcomekit.Options{Location: loc, Files: env.Signer})
	mux.Handle("/dashboard/", dash)
	mux.Handle("GET /{$}", dash)
	mux.Handle("/api/v1/external/", wk)
	mux.Handle("GET /files/", env.Files())
	srv.Start()
	t.Cleanup(srv.Close)
	return &fixture{env: env, srv: srv}
}

// principal authenticates a token of the test world.
func (f *fixture) principal(t testing.TB, token string) *intake.Principal {
	t.Helper()
	p, err := f.env.Service.Authenticate(t.Context(), token)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// client is a browser without JavaScript: it keeps cookies and does not
// follow redirects, so tests see each answer.
type client struct {
	f  *fixture
	hc *http.Client
}

func (f *fixture) client(t testing.TB) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{f: f, hc: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// signedInAs returns a client signed in, with email and password, as the
// first organization's user of role. Tests of pages sign in only through
// it, so that they keep working when the sign-in form changes.
func (f *fixture) signedInAs(t testing.TB, role intake.Role) *client {
	t.Helper()
	email, ok := roleEmail[role]
	if !ok {
		t.Fatalf("no test user of role %q", role)
	}
	return f.signedInEmail(t, email)
}

// signedInEmail returns a client signed in as the user of email, whose
// password is testPassword.
func (f *fixture) signedInEmail(t testing.TB, email string) *client {
	t.Helper()
	c := f.client(t)
	res, body := c.submit(t, loginPath, url.Values{"email": {email}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d\n%s", email, res.StatusCode, body)
	}
	return c
}

func (c *client) do(t testing.TB, req *http.Request) (*http.Response, string) {
	t.Helper()
	res, b := testenv.Send(t, c.hc, req)
	checkSecurityHeaders(t, req, res)
	return res, string(b)
}

func (c *client) get(t testing.TB, path string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, c.f.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c.do(t, req)
}

func (c *client) post(t testing.TB, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, c.f.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(t, req)
}

// submit posts a signed-out form (sign-in, forgot password, set password)
// to path as a browser does: after a page holding such a form (they share
// the form cookie and its CSRF token).
func (c *client) submit(t testing.TB, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	_, page := c.get(t, loginPath)
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the sign-in page:\n%s", page)
	}
	f := url.Values{"csrf": {m[1]}}
	for k, v := range form {
		f[k] = v
	}
	return c.post(t, path, f)
}

// csrf reads the CSRF token of the client's session from a page.
func (c *client) csrf(t testing.TB) string {
	t.Helper()
	_, body := c.get(t, homePath(org))
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on the home page:\n%s", body)
	}
	return m[1]
}

// checkSecurityHeaders asserts the headers every dashboard answer carries.
func checkSecurityHeaders(t testing.TB, req *http.Request, res *http.Response) {
	t.Helper()
	if !strings.HasPrefix(req.URL.Path, rootPath) && req.URL.Path != "/" {
		return
	}
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "no-referrer",
		"X-Content-Type-Options":  "nosniff",
	}
	for k, v := range want {
		if got := res.Header.Get(k); got != v {
			t.Errorf("%s %s: %s = %q, want %q", req.Method, req.URL.Path, k, got, v)
		}
	}
}

// wantPage checks an HTML answer's status and content type.
func wantPage(t testing.TB, res *http.Response, body string, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("status %d, want %d; body:\n%s", res.StatusCode, status, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
}

// wantRedirect checks a redirect's status and target.
func wantRedirect(t testing.TB, res *http.Response, status int, location string) {
	t.Helper()
	if res.StatusCode != status || res.Header.Get("Location") != location {
		t.Fatalf("got %d to %q, want %d to %q", res.StatusCode, res.Header.Get("Location"), status, location)
	}
}

// golden compares got with testdata/name, after replace turned the random
// parts (references, keys, signatures, CSRF tokens) into stable names.
func golden(t testing.TB, name, got string, replace ...string) {
	t.Helper()
	got = strings.NewReplacer(replace...).Replace(got)
	got = regexp.MustCompile(`sig=[0-9a-f]{64}`).ReplaceAllString(got, "sig=SIG")
	// The stylesheet's name follows its content: any style change would
	// otherwise touch every golden page.
	got = regexp.MustCompile(`/style-[0-9a-f]{12}\.css`).ReplaceAllString(got, "/style-HASH.css")
	got = maskCSRF(got)
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}

// maskCSRF replaces a page's CSRF tokens with CSRF: they derive from the
// session (bound to a bcrypt hash with a random salt) or from a random
// form cookie.
func maskCSRF(page string) string {
	return regexp.MustCompile(`name="csrf" value="[^"]+"`).ReplaceAllString(page, `name="csrf" value="CSRF"`)
}

// create stores an application through the Service, as an adapter would.
func (f *fixture) create(t testing.TB, token, jobRef string, in intake.NewApplication) *intake.Candidate {
	t.Helper()
	p := f.principal(t, token)
	j, err := f.env.Service.JobByReference(t.Context(), p, p.Org.Reference, jobRef)
	if err != nil {
		t.Fatal(err)
	}
	in.Job = j
	res, err := f.env.Service.CreateApplication(t.Context(), p, &in)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	return res.Candidate
}

// welcomeKitCandidate is a WelcomeKit create with every profile field, some
// of them hostile.
func (f *fixture) welcomeKitCandidate(t testing.TB) *intake.Candidate {
	t.Helper()
	return f.create(t, rwToken, job, intake.NewApplication{Application: intake.Application{
		Source: intake.SourceWelcomeKit,
		Person: intake.Person{
			Email: "jane.doe@example.com", Firstname: "Jane", Lastname: "Doe <b>bold</b>",
			Civility: "ms", Phone: "+33 6 12 34 56 78", Subtitle: "Metrologist & engineer",
			Media: map[string]string{
				"linkedin": "https://www.linkedin.com/in/jane-doe",
				"website":  "javascript:alert(1)",
				"github":   "janedoe",
			},
		},
		Tags:        []string{"senior", "remote"},
		Origin:      "job board",
		Referrer:    "https://jobs.example/ad/42",
		CoverLetter: "Dear team,\n<script>alert('x')</script>\nRegards",
		Comment:     "Met at a fair",
	}})
}

// flatchrCandidate is a Flatchr create with answers, consent and an
// uploaded resume, in the job's second stage.
func (f *fixture) flatchrCandidate(t testing.TB) *intake.Candidate {
	t.Helper()
	blob, err := f.env.Service.StageUpload(t.Context(), strings.NewReader("%PDF-1.4\n% John\n%%EOF\n"), intake.DocResume)
	if err != nil {
		t.Fatal(err)
	}
	consent, stage := true, int64(14600)
	f.env.Clock.Advance(time.Minute)
	return f.create(t, rwToken, job, intake.NewApplication{
		Application: intake.Application{
			Source:     intake.SourceFlatchr,
			Person:     intake.Person{Firstname: "john", Lastname: "doe", Email: "john.doe@example.com"},
			OffererID:  7,
			Answers:    []intake.Answer{{Question: "q1", Value: "Bac +5"}, {Question: "Disponibilité", Value: "Immédiate"}},
			ResumeLink: "https://cv.example/john",
		},
		StageID:    &stage,
		Newsletter: &consent,
		Resume:     &intake.FileInput{Staged: blob, FileName: "CV John.pdf"},
	})
}

// createViaAPI creates a candidate through the WelcomeKit API and returns
// its reference and modal_path.
func createViaAPI(t testing.TB, f *fixture, body string) (reference, modalPath string) {
	t.Helper()
	res := testenv.Do(t, f.srv.URL, testenv.Request{Method: http.MethodPost, Path: "/api/v1/external/candidates",
		Token: rwToken, ContentType: "application/json", Body: strings.NewReader(body)})
	var created struct {
		Reference string `json:"reference"`
		ModalPath string `json:"modal_path"`
	}
	if err := json.Unmarshal(res.Body, &created); err != nil || res.Status != http.StatusCreated {
		t.Fatalf("create: %d %v", res.Status, err)
	}
	return created.Reference, created.ModalPath
}
