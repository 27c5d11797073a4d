package welcomekit

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"intake/internal/testenv"
)

// jobsWorld adds job, organization and user keys and content to testWorld's
// organizations; applied after it, it leaves their jobs as they are.
const jobsWorld = `
organizations:
  - name: Acme
    reference: Pg4eV6k
    description: "<p>Acme makes everything.</p>"
    website: https://acme.example
    logo_url: https://acme.example/logo.png
    default_language: fr
    offices:
      - {id: 196, name: Siège, address: 11b rue Bachaumont, zip_code: "75002", city: Paris, country_code: FR, is_headquarter: true}
    api_keys:
      - {name: job writer, token: wk-jobs-rw, scopes: [jobs_rw, candidates_r]}
      - {name: super, token: wk-super, scopes: [su_jobs_r, su_organizations_r]}
      - {name: Foo Bar, token: wk-me-key, scopes: [me_r]}
  - name: Globex
    reference: 2Ob7z5j
`

const (
	jobsRWToken = "wk-jobs-rw"
	superToken  = "wk-super"
	meToken     = "wk-me-key"
	jobsPath    = "/api/v1/external/jobs"
)

func newJobFixture(t testing.TB) *fixture {
	t.Helper()
	env := testenv.New(t, testWorld)
	env.Apply(t, jobsWorld)
	h := NewHandler(env.Service, Options{Files: env.Signer})
	mux := http.NewServeMux()
	mux.Handle("/api/v1/external/", h)
	mux.Handle("/api/v1/embed", h)
	mux.Handle("/assets/", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{env: env, srv: srv}
}

// jobKeys is the job object's key order (spec welcomekit §4, the vendor's
// latest example plus recruitment_process, language and remote).
var jobKeys = []string{
	"name", "external_reference", "organization_reference", "status", "profile", "apply_url",
	"company_description", "recruitment_process", "contract_duration_min", "experience_level",
	"department_id", "profession_reference", "cms_sites_references", "contract_duration_max",
	"start_date", "language", "description", "contract_type", "salary", "remote", "is_remote",
	"office_id", "reference", "education_level",
}

var jobTimeKeys = []string{"created_at", "updated_at", "published_at", "archived_at"}

const fullJob = `{
  "organization_reference": "Pg4eV6k",
  "profession_reference": "sales",
  "name": "Fake Job",
  "company_description": "Fake Company Description.",
  "description": "Fake Job Description.",
  "profile": "Fake Job Profile",
  "recruitment_process": "Two interviews",
  "contract_type": "FULL_TIME",
  "salary_min": "30000",
  "salary_max": 40000,
  "salary_currency": "EUR",
  "salary_period": "yearly",
  "remote": "partial",
  "office_id": 196,
  "education_level": "BAC_5",
  "experience_level": "1_TO_2_YEARS",
  "apply_url": "http://company.com/jobs/superjob/apply/",
  "start_date": "2016-09-01",
  "language": "fr",
  "external_reference": "PROVIDER_REFERENCE",
  "cms_sites_references": "wttj_fr,smgo_fr"
}`

func (f *fixture) createJob(t testing.TB, body string) map[string]any {
	t.Helper()
	res := f.do(t, request{method: http.MethodPost, path: jobsPath, token: jobsRWToken, contentType: jsonType, body: body})
	if res.status != http.StatusCreated {
		t.Fatalf("create job: status %d, body %s", res.status, res.body)
	}
	return jsonObject(t, res.body)
}

func TestCreateJob(t *testing.T) {
	f := newJobFixture(t)
	res := f.do(t, request{method: http.MethodPost, path: jobsPath, token: jobsRWToken, contentType: jsonType, body: fullJob})
	if res.status != http.StatusCreated {
		t.Fatalf("status %d, body %s", res.status, res.body)
	}
	want := append(append(append([]string{}, jobKeys...), "stages"), jobTimeKeys...)
	if diff := cmp.Diff(want, testenv.ObjectKeys(t, res.body)); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	got := jsonObject(t, res.body)
	ref, _ := got["reference"].(string)
	if len(ref) != 12 || !strings.HasPrefix(ref, "WTTJ_") {
		t.Errorf("reference = %q, want WTTJ_ + 7 chars", ref)
	}
	for _, k := range []string{"reference", "created_at", "updated_at", "stages"} {
		delete(got, k)
	}
	wantVals := map[string]any{
		"name": "Fake Job", "external_reference": "PROVIDER_REFERENCE", "organization_reference": seedOrg,
		"status": "draft", "profile": "Fake Job Profile", "apply_url": "http://company.com/jobs/superjob/apply/",
		"company_description": "Fake Company Description.", "recruitment_process": "Two interviews",
		"contract_duration_min": nil, "experience_level": "1_TO_2_YEARS", "department_id": nil,
		"profession_reference": "sales", "cms_sites_references": "wttj_fr,smgo_fr", "contract_duration_max": nil,
		"start_date": "2016-09-01T00:00:00.000+02:00", "language": "fr", "description": "Fake Job Description.",
		"contract_type": "FULL_TIME",
		"salary":        map[string]any{"min": "30000", "max": "40000", "currency": "EUR", "period": "yearly"},
		"remote":        "partial", "is_remote": true, "office_id": float64(196), "education_level": "BAC_5",
		"published_at": nil, "archived_at": nil,
	}
	if diff := cmp.Diff(wantVals, got); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	var stages []map[string]any
	if err := json.Unmarshal(field(t, res.body, "stages"), &stages); err != nil {
		t.Fatal(err)
	}
	var refs []any
	for _, st := range stages {
		if diff := cmp.Diff([]string{"id", "name", "reference", "visible"}, testenv.ObjectKeys(t, mustJSON(t, st))); diff != "" {
			t.Errorf("stage keys (-want +got):\n%s", diff)
		}
		refs = append(refs, st["reference"])
	}
	if diff := cmp.Diff([]any{"initial", "to_meet", "interviewed", "made_offer", "hired", "refused"}, refs); diff != "" {
		t.Errorf("default pipeline (-want +got):\n%s", diff)
	}

	// The new job is data: re-applying the world file keeps it.
	f.env.Apply(t, jobsWorld)
	if res := f.do(t, request{path: jobsPath + "/" + ref, token: jobsRWToken}); res.status != http.StatusOK {
		t.Errorf("after re-applying the world: status %d", res.status)
	}

	// The external reference is unique in the organization.
	dup := f.do(t, request{method: http.MethodPost, path: jobsPath, token: jobsRWToken, contentType: jsonType, body: fullJob})
	checkError(t, dup, http.StatusConflict, "conflict", "external_reference is already taken")
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCreateJobValidation(t *testing.T) {
	f := newJobFixture(t)
	tests := []struct {
		name   string
		body   string
		status int
		code   string
		desc   string
	}{
		{name: "nothing", body: `{"organization_reference":"Pg4eV6k"}`, status: 400, code: "validation_failed",
			desc: "company_description is required, contract_type is required, description is required, language is required, name is required, office_id is required unless office_address, office_zip_code, office_city or office_country_code is given, profession_reference is required, profile is required"},
		{name: "no organization", body: `{}`, status: 400, code: "validation_failed", desc: "organization_reference can't be blank"},
		{name: "another organization", body: `{"organization_reference":"2Ob7z5j"}`, status: 403, code: "unauthorized",
			desc: "You are not member of this organization"},
		{name: "bad values", body: `{"organization_reference":"Pg4eV6k","profession_reference":"sales","name":"X",
			"company_description":"c","description":"d","profile":"p","contract_type":"CDI","language":"french",
			"office_country_code":"France","remote":"yes","salary_min":100,"salary_max":50,"salary_currency":"GBP",
			"salary_period":"hourly","start_date":"01/09/2016","apply_url":"ftp://x","status":"live",
			"office_id":7,"experience_level":"lots","education_level":"none","contract_duration_min":200}`,
			status: 400, code: "validation_failed",
			desc: "apply_url must be an http or https URL, contract_duration_min must be between 0 and 120, contract_type must be one of FULL_TIME, PART_TIME, TEMPORARY, FREELANCE, INTERNSHIP, APPRENTICESHIP, VIE, OTHER, education_level must be one of NO_DIPLOMA, CAP, BEP, BAC, BAC_1, BAC_2, BAC_3, BAC_4, BAC_5, PHD, experience_level must be one of LESS_THAN_6_MONTHS, 6_MONTHS_TO_1_YEAR, 1_TO_2_YEARS, 2_TO_3_YEARS, 3_TO_4_YEARS, 4_TO_5_YEARS, 5_TO_7_YEARS, 7_TO_10_YEARS, 10_TO_15_YEARS, MORE_THAN_15_YEARS, language must be a two-letter language code such as fr or en, office_country_code must be a two-letter country code such as FR, office_id is not an office of the organization, remote must be one of fulltime, partial, punctual, no, salary_currency must be one of EUR, USD, salary_max must be greater than or equal to salary_min, salary_period must be one of yearly, monthly, daily, none, start_date must be a date formatted as YYYY-MM-DD, status must be one of draft, published, archived"},
		{name: "wrong types", body: `{"organization_reference":"Pg4eV6k","salary_min":"lots","office_id":true,"stages":"x","is_remote":"maybe"}`,
			status: 400, code: "validation_failed",
			desc: "is_remote must be a boolean, office_id must be an integer, salary_min must be an integer, stages must be a list of stages"},
		{name: "not JSON", body: `{`, status: 400, code: "validation_failed", desc: "request body must be a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.do(t, request{method: http.MethodPost, path: jobsPath, token: jobsRWToken, contentType: jsonType, body: tt.body})
			checkError(t, res, tt.status, tt.code, tt.desc)
		})
	}
}

func TestJobScopes(t *testing.T) {
	f := newJobFixture(t)
	tests := []struct {
		name  string
		req   request
		desc  string
		allow bool
	}{
		{name: "candidates key lists jobs", req: request{path: jobsPath + "?organization_reference=" + seedOrg, token: rwToken},
			desc: "this endpoint requires the jobs_r or jobs_rw scope"},
		{name: "jobs_r lists jobs", req: request{path: jobsPath + "?organization_reference=" + seedOrg, token: jobsToken}, allow: true},
		{name: "jobs_r reads dependencies", req: request{path: jobsPath + "/dependencies", token: jobsToken}, allow: true},
		{name: "jobs_r creates", req: request{method: http.MethodPost, path: jobsPath, token: jobsToken, contentType: jsonType, body: fullJob},
			desc: "this endpoint requires the jobs_rw scope"},
		{name: "jobs_r updates", req: request{method: http.MethodPut, path: jobsPath + "/" + seedJob, token: jobsToken, contentType: jsonType, body: `{}`},
			desc: "this endpoint requires the jobs_rw scope"},
		{name: "jobs_r counts candidates", req: request{path: jobsPath + "/" + seedJob + "?candidates_count=true", token: jobsToken},
			desc: "this endpoint requires the candidates_r or candidates_rw scope"},
		{name: "jobs_rw lists all", req: request{path: jobsPath + "/all", token: jobsRWToken}, desc: "this endpoint requires the su_jobs_r scope"},
		{name: "su lists all", req: request{path: jobsPath + "/all", token: superToken}, allow: true},
		{name: "jobs_rw lists organizations", req: request{path: "/api/v1/external/organizations?name=Acme", token: jobsRWToken},
			desc: "this endpoint requires the su_organizations_r scope"},
		{name: "su reads an organization", req: request{path: "/api/v1/external/organizations/2Ob7z5j", token: superToken}, allow: true},
		{name: "jobs key reads the user", req: request{path: "/api/v1/external/users/current", token: jobsToken},
			desc: "this endpoint requires the me_r scope"},
		{name: "me_r reads the user", req: request{path: "/api/v1/external/users/current", token: meToken}, allow: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.do(t, tt.req)
			if tt.allow {
				if res.status != http.StatusOK {
					t.Errorf("status %d, body %s", res.status, res.body)
				}
				return
			}
			checkError(t, res, http.StatusForbidden, "invalid_scope", tt.desc)
		})
	}
	unauth := f.do(t, request{path: jobsPath + "?organization_reference=" + seedOrg})
	checkError(t, unauth, http.StatusUnauthorized, "unauthorized", "missing access token")
}

func TestGetJob(t *testing.T) {
	f := newJobFixture(t)
	created := f.createJob(t, fullJob)
	ref := created["reference"].(string)
	f.create(t, rwToken, map[string]any{"job_reference": ref, "email": "a@example.com"})
	f.create(t, rwToken, map[string]any{"job_reference": ref, "email": "b@example.com"})

	res := f.do(t, request{path: jobsPath + "/" + ref + "?stages=true&candidates_count=true&websites=true&application_fields=true&organization=true&office=true", token: jobsRWToken})
	if res.status != http.StatusOK {
		t.Fatalf("status %d, body %s", res.status, res.body)
	}
	want := append(append(append(append([]string{}, jobKeys...), "stages"), jobTimeKeys...),
		"candidates_count", "websites", "application_fields", "organization", "office")
	if diff := cmp.Diff(want, testenv.ObjectKeys(t, res.body)); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	if got := string(field(t, res.body, "candidates_count")); got != "2" {
		t.Errorf("candidates_count = %s, want 2", got)
	}
	var stages []map[string]any
	_ = json.Unmarshal(field(t, res.body, "stages"), &stages)
	if len(stages) != 6 || stages[0]["candidates_count"] != float64(2) || stages[1]["candidates_count"] != float64(0) {
		t.Errorf("stage counts = %v", stages)
	}
	if got, want := string(field(t, res.body, "organization")),
		`{"name":"Acme","slug":"acme","description":"<p>Acme makes everything.</p>","logo":"https://acme.example/logo.png"}`; got != want {
		t.Errorf("organization = %s, want %s", got, want)
	}
	if got, want := string(field(t, res.body, "office")),
		`{"id":196,"name":"Siège","address":"11b rue Bachaumont","zip_code":"75002","city":"Paris","country_code":"FR","is_headquarter":true}`; got != want {
		t.Errorf("office = %s, want %s", got, want)
	}
	if got := string(field(t, res.body, "websites")); got != "[]" {
		t.Errorf("websites = %s", got)
	}

	// Another organization's job is invisible.
	other := f.do(t, request{path: jobsPath + "/WTTJ_Other01", token: jobsRWToken})
	checkError(t, other, http.StatusNotFound, "not_found", "Job not found")
}

func TestListJobs(t *testing.T) {
	f := newJobFixture(t)
	draft := f.createJob(t, strings.Replace(fullJob, `"PROVIDER_REFERENCE"`, `"A"`, 1))
	f.createJob(t, strings.Replace(fullJob, `"PROVIDER_REFERENCE"`, `"B"`, 1))
	res := f.do(t, request{path: jobsPath + "?organization_reference=" + seedOrg + "&per_page=2&page=2", token: jobsToken})
	if res.status != http.StatusOK {
		t.Fatalf("status %d, body %s", res.status, res.body)
	}
	for k, v := range map[string]string{"X-Total": "4", "X-Total-Pages": "2", "X-Per-Page": "2", "X-Page": "2", "X-Offset": "2"} {
		if got := res.header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	list := jsonList(t, res.body)
	if len(list) != 2 || list[0]["reference"] != draft["reference"] {
		t.Errorf("page 2 = %v", list)
	}
	res = f.do(t, request{path: jobsPath + "?organization_reference=" + seedOrg + "&status=draft", token: jobsToken})
	if got := res.header.Get("X-Total"); got != "2" {
		t.Errorf("drafts: X-Total = %s, want 2", got)
	}
	res = f.do(t, request{path: jobsPath + "?organization_reference=" + seedOrg + "&status=published&stages=true", token: jobsToken})
	list = jsonList(t, res.body)
	if len(list) != 2 || list[0]["reference"] != seedJob || list[0]["stages"] == nil {
		t.Errorf("published = %s", res.body)
	}
	head := f.do(t, request{method: http.MethodHead, path: jobsPath + "?organization_reference=" + seedOrg, token: jobsToken})
	if head.status != http.StatusOK || len(head.body) != 0 || head.header.Get("X-Total") != "4" {
		t.Errorf("HEAD: status %d, X-Total %q, body %q", head.status, head.header.Get("X-Total"), head.body)
	}
	bad := f.do(t, request{path: jobsPath + "?organization_reference=" + seedOrg + "&status=live&per_page=0&created_after=x", token: jobsToken})
	checkError(t, bad, http.StatusBadRequest, "validation_failed",
		"created_after must be a date formatted as YYYY-MM-DD, per_page must be greater than or equal to 1, status must be one of draft, published, archived")
	foreign := f.do(t, request{path: jobsPath + "?organization_reference=2Ob7z5j", token: jobsToken})
	checkError(t, foreign, http.StatusForbidden, "unauthorized", "You are not member of this organization")

	all := f.do(t, request{path: jobsPath + "/all?contract_type=FULL_TIME", token: superToken})
	if all.header.Get("X-Total") != "2" {
		t.Errorf("all FULL_TIME: X-Total = %s, body %s", all.header.Get("X-Total"), all.body)
	}
	all = f.do(t, request{path: jobsPath + "/all", token: superToken})
	if all.header.Get("X-Total") != "5" {
		t.Errorf("all: X-Total = %s", all.header.Get("X-Total"))
	}
}

func TestUpdateJob(t *testing.T) {
	f := newJobFixture(t)
	ref := f.createJob(t, fullJob)["reference"].(string)
	path := jobsPath + "/" + ref
	res := f.do(t, request{method: http.MethodPut, path: path, token: jobsRWToken, contentType: jsonType,
		body: `{"name":"Renamed","salary_max":null,"office_city":"Lyon","office_zip_code":"69001","office_address":"","remote":"no"}`})
	if res.status != http.StatusOK {
		t.Fatalf("status %d, body %s", res.status, res.body)
	}
	got := jsonObject(t, res.body)
	if got["name"] != "Renamed" || got["office_id"] != nil || got["remote"] != "no" || got["is_remote"] != false ||
		got["description"] != "Fake Job Description." {
		t.Errorf("updated = %s", res.body)
	}
	if s := string(field(t, res.body, "salary")); s != `{"min":"30000","max":null,"currency":"EUR","period":"yearly"}` {
		t.Errorf("salary = %s", s)
	}

	at(f, "2016-09-01 10:00:00")
	res = f.do(t, request{method: http.MethodPut, path: path + "/update_status", token: jobsRWToken, contentType: jsonType, body: `{"status":"published"}`})
	if got := jsonObject(t, res.body); got["status"] != "published" || got["published_at"] != "2016-09-01T10:00:00.000+02:00" || got["archived_at"] != nil {
		t.Errorf("published = %s", res.body)
	}
	at(f, "2016-10-01 10:00:00")
	res = f.do(t, request{method: http.MethodPut, path: path + "/update_status", token: jobsRWToken, contentType: formType, body: "status=archived"})
	if got := jsonObject(t, res.body); got["status"] != "archived" || got["published_at"] != "2016-09-01T10:00:00.000+02:00" || got["archived_at"] != "2016-10-01T10:00:00.000+02:00" {
		t.Errorf("archived = %s", res.body)
	}
	for _, tt := range []struct{ name, body, desc string }{
		{"no status", `{}`, "status is required"},
		{"bad status", `{"status":"closed"}`, "status must be one of draft, published, archived"},
	} {
		res := f.do(t, request{method: http.MethodPut, path: path + "/update_status", token: jobsRWToken, contentType: jsonType, body: tt.body})
		checkError(t, res, http.StatusBadRequest, "validation_failed", tt.desc)
	}
	missing := f.do(t, request{method: http.MethodPut, path: jobsPath + "/WTTJ_Other01", token: jobsRWToken, contentType: jsonType, body: `{"name":"x"}`})
	checkError(t, missing, http.StatusNotFound, "not_found", "Job not found")
	blank := f.do(t, request{method: http.MethodPut, path: path, token: jobsRWToken, contentType: jsonType, body: `{"name":" "}`})
	checkError(t, blank, http.StatusBadRequest, "validation_failed", "name can't be blank")
}

func TestUpdateJobStages(t *testing.T) {
	f := newJobFixture(t)
	created := f.createJob(t, fullJob)
	ref := created["reference"].(string)
	stages := created["stages"].([]any)
	first := stages[0].(map[string]any)
	f.create(t, rwToken, map[string]any{"job_reference": ref})
	path := jobsPath + "/" + ref

	// The stage a candidate sits in cannot go.
	body := `{"stages":[{"name":"Screening"},{"id":` + str(int64(stages[1].(map[string]any)["id"].(float64))) + `,"name":"To meet","reference":"to_meet"}]}`
	res := f.do(t, request{method: http.MethodPut, path: path, token: jobsRWToken, contentType: jsonType, body: body})
	if res.status != http.StatusBadRequest || !strings.Contains(string(res.body), `stage \"New\"`) || !strings.Contains(string(res.body), "applications sit in it") {
		t.Errorf("remove a stage in use: status %d, body %s", res.status, res.body)
	}
	// Keeping it, renaming and adding works.
	body = `{"stages":[{"id":` + str(int64(first["id"].(float64))) + `,"name":"Nouveau","reference":"initial"},{"name":"Screening","visible":false}]}`
	res = f.do(t, request{method: http.MethodPut, path: path, token: jobsRWToken, contentType: jsonType, body: body})
	if res.status != http.StatusOK {
		t.Fatalf("status %d, body %s", res.status, res.body)
	}
	got := jsonObject(t, res.body)["stages"].([]any)
	if len(got) != 2 || got[0].(map[string]any)["id"] != first["id"] || got[1].(map[string]any)["visible"] != false || got[1].(map[string]any)["reference"] != nil {
		t.Errorf("stages = %v", got)
	}
	bad := f.do(t, request{method: http.MethodPut, path: path, token: jobsRWToken, contentType: jsonType,
		body: `{"stages":[{"id":42,"name":"A"},{"name":"A"},{"name":""}]}`})
	checkError(t, bad, http.StatusBadRequest, "validation_failed",
		"stages[0].id is not a stage of the job, stages[1].name duplicates another stage of the job, stages[2].name can't be blank")
}

func TestJobDependencies(t *testing.T) {
	if err := checkDependencies(); err != nil {
		t.Fatal(err)
	}
	f := newJobFixture(t)
	res := f.do(t, request{path: jobsPath + "/dependencies", token: jobsToken})
	want := []string{"contract_types", "education_levels", "experience_levels", "remote_levels",
		"salary_currencies", "salary_periods", "cms_sites_references"}
	if diff := cmp.Diff(want, testenv.ObjectKeys(t, res.body)); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	if got := string(field(t, res.body, "salary_periods")); got != `["yearly","monthly","daily","none"]` {
		t.Errorf("salary_periods = %s", got)
	}
}
