package careers

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"intake"
	"intake/internal/httpapi/flatchr"
	"intake/internal/httpapi/welcomekit"
	"intake/internal/testenv"
	"intake/internal/web/careerform"
)

// testWorld has a branded organization with published, draft and archived
// jobs, and a second organization.
const testWorld = `
organizations:
  - name: Acme
    reference: Pg4eV6k
    slug: acme
    description: "<p>We build <strong>measuring</strong> tools.</p><script>alert(1)</script>"
    website: https://acme.example
    logo_url: https://acme.example/logo.png
    color: "#ffcc00"
    privacy_url: https://acme.example/privacy
    default_language: fr
    api_keys:
      - {name: reader, token: careers-reader, scopes: [candidates_rw]}
    jobs:
      - reference: WTTJ_KmqkD1Y
        id: 3027
        title: Technicien métrologue H/F
        status: published
        description: "<p>Calibrate <em>instruments</em>.</p><img src=x onerror=alert(1)>"
        profile: "Two years of experience.\n\nPatience."
        contract_type: FULL_TIME
        remote: partial
        salary: {min: 32000, max: 38000, currency: EUR, period: yearly}
        office: {address: 1 rue de la Paix, zip_code: "13100", city: Aix-en-Provence, country_code: FR}
        start_date: "2027-01-04"
        questions:
          - {id: q-level, text: "Niveau d'études ?", type: select, required: true, options: "Bac;Bac +3;Bac +5"}
          - {id: q-why, text: "Pourquoi nous ?", type: textarea}
      - reference: WTTJ_gld0A7L
        id: 3028
        title: Account Executive SaaS H/F
        status: published
        contract_type: INTERNSHIP
        remote: fulltime
        office: {city: Paris, country_code: FR}
      - reference: WTTJ_Draft01
        id: 3029
        title: Brouillon
        status: draft
      - reference: WTTJ_Arch001
        id: 3030
        title: Archivée
        status: archived
  - name: Globex
    reference: 2Ob7z5j
    slug: globex
    default_language: en
    jobs:
      - reference: WTTJ_Globex1
        id: 4001
        title: Engineer
        status: published
`

// site is a career site and the Flatchr handler its forms post to, over
// one Env, as the binary mounts them.
type site struct {
	env    *testenv.Env
	server *httptest.Server
	signer *careerform.Signer
}

func newSite(t testing.TB, world string, limiter intake.RateLimiter) *site {
	t.Helper()
	env := testenv.New(t, world)
	signer := careerform.NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	h := NewHandler(env.Service, Options{PublicURL: "https://jobs.example", Signer: signer, Now: env.Clock.Now})
	fl := flatchr.NewHandler(env.Service, flatchr.Options{Files: env.Signer, Career: &flatchr.Career{
		Signer: signer, Pages: h, Limiter: limiter, Now: env.Clock.Now,
	}})
	mux := http.NewServeMux()
	mux.Handle("/api/v1/external/", welcomekit.NewHandler(env.Service, welcomekit.Options{Files: env.Signer}))
	mux.Handle("GET /files/", env.Files())
	mux.Handle("/careers/", h)
	mux.Handle("/vacancy/", fl)
	mux.Handle("/company/", fl)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &site{env: env, server: srv, signer: signer}
}

// get fetches path with an Accept-Language header ("" for none).
func (s *site) get(t testing.TB, path, lang string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.server.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

var tokenRE = regexp.MustCompile(`name="career_token" value="([^"]+)"`)

// formToken returns the token of the apply form on a job page.
func formToken(t testing.TB, page string) string {
	t.Helper()
	m := tokenRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no career_token in the page")
	}
	return m[1]
}

// application is a form post: fields in order, then the résumé.
type application struct {
	fields     [][2]string
	resumeName string
	resume     []byte
}

// post sends the form as a browser would, multipart, asking for HTML.
func (s *site) post(t testing.TB, a application) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range a.fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	if a.resume != nil {
		fw, err := mw.CreateFormFile("resume", a.resumeName)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(a.resume)
	}
	_ = mw.Close()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.server.URL+"/vacancy/candidate/custom", &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// candidates lists the organization's applications to the job.
func (s *site) candidates(t testing.TB, jobRef string) []*intake.Candidate {
	t.Helper()
	p, err := s.env.Service.Authenticate(t.Context(), "careers-reader")
	if err != nil {
		t.Fatal(err)
	}
	job, err := s.env.Service.JobByReference(t.Context(), p, "Pg4eV6k", jobRef)
	if err != nil {
		t.Fatal(err)
	}
	list, _, err := s.env.Service.Applications(t.Context(), p, intake.ApplicationQuery{Job: job, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// pdf is a small real PDF document.
var pdf = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" +
	"trailer<</Root 1 0 R>>\n%%EOF\n")

// exe is the start of a Windows executable.
var exe = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), bytes.Repeat([]byte{0}, 512)...)

// validFields are a complete application to the vacancy with token tok.
func validFields(tok, vacancy string) [][2]string {
	return [][2]string{
		{"career_token", tok}, {"vacancy", vacancy}, {"firstname", "Éloïse"}, {"lastname", "N'Diaye"},
		{"email", "eloise@example.com"}, {"phone", "+33 6 12 34 56 78"}, {"comment", "Bonjour"},
		{"answers[0][question]", "q-level"}, {"answers[0][value]", "Bac +3"},
		{"answers[1][question]", "q-why"}, {"answers[1][value]", "Parce que."},
		{"privacy_consent", "yes"}, {"website_url", ""},
	}
}

// with returns fields with name set to value (added when absent), and
// without drops name.
func with(fields [][2]string, name, value string) [][2]string {
	out := make([][2]string, 0, len(fields)+1)
	found := false
	for _, f := range fields {
		if f[0] == name {
			f[1], found = value, true
		}
		out = append(out, f)
	}
	if !found {
		out = append(out, [2]string{name, value})
	}
	return out
}

func without(fields [][2]string, name string) [][2]string {
	var out [][2]string
	for _, f := range fields {
		if f[0] != name {
			out = append(out, f)
		}
	}
	return out
}

// jobPath is the page of job 3027.
func (s *site) jobPath(t testing.TB) string {
	t.Helper()
	_, list := s.get(t, "/careers/acme/", "")
	m := regexp.MustCompile(`href="(/careers/acme/[^"]*technicien[^"]*/)"`).FindStringSubmatch(list)
	if m == nil {
		t.Fatal("no link to the job in the list")
	}
	return m[1]
}

// vacancyOf returns the vacancy slug of a job page path.
func vacancyOf(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	return parts[len(parts)-1]
}
