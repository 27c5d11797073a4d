package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

const (
	wkJobs      = "/api/v1/external/jobs"
	acmeCompany = "G6KzqPnNLyp31m0l"
)

// createKey issues a key with the keys command while the server runs and
// returns its token.
func createKey(t testing.TB, dataDir, org, scopes string) string {
	t.Helper()
	out, err := exec.Command(binaryPath, "keys", "create", "--data", dataDir, "--org", org, "--name", "key "+scopes, "--scopes", scopes).CombinedOutput()
	if err != nil {
		t.Fatalf("keys create --scopes %s: %v\n%s", scopes, err, out)
	}
	m := regexp.MustCompile(`(?m)^token: (\S+)$`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("keys create printed:\n%s", out)
	}
	return m[1]
}

// TestJobsFlow drives what a job board and a WelcomeKit client do with
// jobs: discover the pipeline through /users/current, create and publish
// a job, read it in both dialects, apply to it through Flatchr by its
// integer vacancy_id, and list it publicly.
func TestJobsFlow(t *testing.T) {
	s, data := startBB(t)
	base := s.URL
	jobsRW := createKey(t, data, acmeOrg, "jobs_rw,candidates_r")
	me := createKey(t, data, acmeOrg, "me_r")

	user := send(t, base, call{path: "/api/v1/external/users/current?stages=true", auth: bearer(me)})
	var u struct {
		DisplayName   string `json:"display_name"`
		Organizations []struct {
			Reference string
			Jobs      []struct {
				Reference string
				Stages    []struct{ ID int64 }
			}
		}
	}
	if err := json.Unmarshal(user.body, &u); err != nil || user.status != http.StatusOK {
		t.Fatalf("users/current: %s", user)
	}
	if u.DisplayName != "key me_r" || len(u.Organizations) != 1 || len(u.Organizations[0].Jobs) != 3 || u.Organizations[0].Jobs[0].Stages[1].ID != 14600 {
		t.Fatalf("users/current: %s", user.body)
	}

	deps := send(t, base, call{path: wkJobs + "/dependencies", auth: bearer(jobsKey)})
	if deps.status != http.StatusOK || !strings.Contains(string(deps.body), `"salary_periods":["yearly","monthly","daily","none"]`) {
		t.Fatalf("dependencies: %s", deps)
	}

	created := send(t, base, call{method: http.MethodPost, path: wkJobs, auth: bearer(jobsRW), ctype: jsonType, body: `{
		"organization_reference":"Pg4eV6k","profession_reference":"dev","name":"Développeur Go H/F",
		"company_description":"Acme","description":"<p>Go</p>","profile":"<p>Gopher</p>","contract_type":"FULL_TIME",
		"language":"fr","office_city":"Aix-en-Provence","office_zip_code":"13100","office_country_code":"FR",
		"remote":"partial","salary_min":40000,"salary_max":50000,"salary_currency":"EUR","salary_period":"yearly"}`})
	if created.status != http.StatusCreated {
		t.Fatalf("create job: %s", created)
	}
	var job struct {
		Reference string
		Status    string
		Stages    []struct {
			ID        int64
			Reference *string
		}
	}
	_ = json.Unmarshal(created.body, &job)
	if job.Status != "draft" || len(job.Stages) != 6 || *job.Stages[0].Reference != "initial" {
		t.Fatalf("created job: %s", created.body)
	}
	// A draft is not in the public lists.
	if feed := send(t, base, call{path: "/company/acme.json"}); strings.Contains(string(feed.body), "Développeur Go") {
		t.Errorf("the feed lists a draft: %s", feed.body)
	}
	published := send(t, base, call{method: http.MethodPut, path: wkJobs + "/" + job.Reference + "/update_status", auth: bearer(jobsRW), ctype: jsonType, body: `{"status":"published"}`})
	if published.status != http.StatusOK || !strings.Contains(string(published.body), `"status":"published"`) {
		t.Fatalf("publish: %s", published)
	}

	// A candidate lands in the new job's first stage, and is counted.
	cand := wkCreate(t, base, rwKey, wkCreateBody(job.Reference, "go@example.com", ""))
	got := send(t, base, call{path: wkJobs + "/" + job.Reference + "?stages=true&candidates_count=true", auth: bearer(jobsRW)})
	if !strings.Contains(string(got.body), `"candidates_count":1`) {
		t.Errorf("job after a candidate (%s): %s", cand, got)
	}

	// The Flatchr side: the feed, the company's vacancies and a create by
	// the integer vacancy_id all show the content.
	var feed struct {
		Items []struct {
			Vacancy struct {
				VacancyID        int64  `json:"vacancy_id"`
				Title            string `json:"title"`
				Remote           string `json:"remote"`
				Salary           string `json:"salary"`
				ContractType     string `json:"contract_type"`
				AddressFormatted string `json:"addressFormatted"`
			}
		}
	}
	if err := json.Unmarshal(send(t, base, call{path: "/company/acme.json"}).body, &feed); err != nil {
		t.Fatal(err)
	}
	v := feed.Items[len(feed.Items)-1].Vacancy
	if v.Title != "Développeur Go H/F" || v.Remote != "partial" || v.Salary != "40000" || v.ContractType != "CDI" || v.AddressFormatted != "13100 Aix-en-Provence, France" {
		t.Fatalf("feed vacancy: %+v", v)
	}
	byID := send(t, base, call{method: http.MethodPost, path: flatchrJSON, auth: bearer(flatchrToken), ctype: jsonType,
		body: `{"vacancy":` + jsonNumber(v.VacancyID) + `,"firstname":"a","lastname":"b","email":"flatchr-go@example.com"` + doc64([]byte("cv"), "cv.txt", "text/plain") + `}`})
	if byID.status != http.StatusOK || !strings.Contains(string(byID.body), `"remote":"partial"`) {
		t.Fatalf("Flatchr create by vacancy_id: %s", byID)
	}
	vacancies := send(t, base, call{path: "/company/" + acmeCompany + "/vacancies", auth: bearer(flatchrToken)})
	if vacancies.status != http.StatusOK || strings.Count(string(vacancies.body), `"vacancy_id":`) != 4 {
		t.Errorf("vacancies: %s", vacancies)
	}
	columns := send(t, base, call{path: "/company/" + acmeCompany + "/columns", auth: bearer(flatchrToken)})
	if columns.status != http.StatusOK || !strings.Contains(string(columns.body), `"id":14600,"title":"Refusé"`) {
		t.Errorf("columns: %s", columns)
	}
	contracts := send(t, base, call{path: "/contracts?lang=en", auth: bearer(flatchrToken)})
	if contracts.status != http.StatusOK || !strings.HasPrefix(string(contracts.body), `[{"id":1,"text":"Permanent contract"}`) {
		t.Errorf("contracts: %s", contracts)
	}
	embed := send(t, base, call{path: "/api/v1/embed?organization_reference=" + acmeOrg})
	if embed.status != http.StatusOK || !strings.Contains(string(embed.body), `"name":"Développeur Go H/F"`) {
		t.Errorf("embed: %s", embed)
	}

	// Removing the stage the candidate sits in is refused.
	keep := `{"stages":[{"name":"Screening"}]}`
	refused := send(t, base, call{method: http.MethodPut, path: wkJobs + "/" + job.Reference, auth: bearer(jobsRW), ctype: jsonType, body: keep})
	if refused.status != http.StatusBadRequest || !strings.Contains(string(refused.body), "applications sit in it") {
		t.Errorf("removing a stage in use: %s", refused)
	}

	// A job created through the API survives a restart (the world file is
	// applied again and does not name it).
	s.stop(t)
	s = startServer(t, data, "--world", writeWorld(t, t.TempDir(), bbWorld), "--rate-limit", "0")
	if again := send(t, s.URL, call{path: wkJobs + "/" + job.Reference, auth: bearer(jobsRW)}); again.status != http.StatusOK {
		t.Errorf("after a restart: %s", again)
	}
}

func jsonNumber(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestJobsAccess checks every job, organization and user endpoint against
// every kind of key: the documented status and exact error body.
func TestJobsAccess(t *testing.T) {
	s, data := startBB(t)
	base := s.URL
	jobsRW := createKey(t, data, acmeOrg, "jobs_rw")
	super := createKey(t, data, acmeOrg, "su_jobs_r,su_organizations_r")
	me := createKey(t, data, acmeOrg, "me_r")
	otherJobs := createKey(t, data, otherOrg, "jobs_rw,me_r")

	jobsScope := "this endpoint requires the jobs_r or jobs_rw scope"
	rwScope := "this endpoint requires the jobs_rw scope"
	create := `{"organization_reference":"Pg4eV6k","profession_reference":"dev","name":"N","company_description":"c","description":"d","profile":"p","contract_type":"FULL_TIME","language":"fr","office_city":"Paris"}`
	wk := func(status int, code, desc string) outcome { return outcome{status, wkError(code, desc)} }
	tests := []struct {
		name string
		c    call
		want map[string]outcome // by key; a missing key is success with okStatus
		ok   int
	}{
		{name: "dependencies", c: call{path: wkJobs + "/dependencies"}, ok: 200, want: map[string]outcome{
			rwKey: wk(403, "invalid_scope", jobsScope), me: wk(403, "invalid_scope", jobsScope), super: wk(403, "invalid_scope", jobsScope)}},
		{name: "list", c: call{path: wkJobs + "?organization_reference=" + acmeOrg}, ok: 200, want: map[string]outcome{
			rwKey: wk(403, "invalid_scope", jobsScope), me: wk(403, "invalid_scope", jobsScope), super: wk(403, "invalid_scope", jobsScope),
			otherJobs: wk(403, "unauthorized", "You are not member of this organization")}},
		{name: "list all", c: call{path: wkJobs + "/all"}, ok: 200, want: map[string]outcome{
			rwKey: wk(403, "invalid_scope", "this endpoint requires the su_jobs_r scope"), jobsKey: wk(403, "invalid_scope", "this endpoint requires the su_jobs_r scope"),
			jobsRW: wk(403, "invalid_scope", "this endpoint requires the su_jobs_r scope"), me: wk(403, "invalid_scope", "this endpoint requires the su_jobs_r scope"),
			otherJobs: wk(403, "invalid_scope", "this endpoint requires the su_jobs_r scope")}},
		{name: "get", c: call{path: wkJobs + "/" + seedJob}, ok: 200, want: map[string]outcome{
			rwKey: wk(403, "invalid_scope", jobsScope), me: wk(403, "invalid_scope", jobsScope), super: wk(403, "invalid_scope", jobsScope),
			otherJobs: wk(404, "not_found", "Job not found")}},
		{name: "create", c: call{method: http.MethodPost, path: wkJobs, ctype: jsonType, body: create}, ok: 201, want: map[string]outcome{
			rwKey: wk(403, "invalid_scope", rwScope), jobsKey: wk(403, "invalid_scope", rwScope), me: wk(403, "invalid_scope", rwScope),
			super: wk(403, "invalid_scope", rwScope), otherJobs: wk(403, "unauthorized", "You are not member of this organization")}},
		{name: "update", c: call{method: http.MethodPut, path: wkJobs + "/" + listJob, ctype: jsonType, body: `{"description":"x"}`}, ok: 200, want: map[string]outcome{
			rwKey: wk(403, "invalid_scope", rwScope), jobsKey: wk(403, "invalid_scope", rwScope), me: wk(403, "invalid_scope", rwScope),
			super: wk(403, "invalid_scope", rwScope), otherJobs: wk(404, "not_found", "Job not found")}},
		{name: "update status", c: call{method: http.MethodPut, path: wkJobs + "/" + listJob + "/update_status", ctype: jsonType, body: `{"status":"published"}`}, ok: 200, want: map[string]outcome{
			rwKey: wk(403, "invalid_scope", rwScope), jobsKey: wk(403, "invalid_scope", rwScope), me: wk(403, "invalid_scope", rwScope),
			super: wk(403, "invalid_scope", rwScope), otherJobs: wk(404, "not_found", "Job not found")}},
		{name: "organizations", c: call{path: "/api/v1/external/organizations?name=Globex"}, ok: 200, want: map[string]outcome{
			rwKey: wk(403, "invalid_scope", "this endpoint requires the su_organizations_r scope"), jobsKey: wk(403, "invalid_scope", "this endpoint requires the su_organizations_r scope"),
			jobsRW: wk(403, "invalid_scope", "this endpoint requires the su_organizations_r scope"), me: wk(403, "invalid_scope", "this endpoint requires the su_organizations_r scope"),
			otherJobs: wk(403, "invalid_scope", "this endpoint requires the su_organizations_r scope")}},
		{name: "organization", c: call{path: "/api/v1/external/organizations/" + otherOrg}, ok: 200, want: map[string]outcome{
			rwKey: wk(403, "invalid_scope", "this endpoint requires the su_organizations_r scope"), jobsKey: wk(403, "invalid_scope", "this endpoint requires the su_organizations_r scope"),
			jobsRW: wk(403, "invalid_scope", "this endpoint requires the su_organizations_r scope"), me: wk(403, "invalid_scope", "this endpoint requires the su_organizations_r scope"),
			otherJobs: wk(403, "invalid_scope", "this endpoint requires the su_organizations_r scope")}},
		{name: "current user", c: call{path: "/api/v1/external/users/current?jobs=true"}, ok: 200, want: map[string]outcome{
			rwKey: wk(403, "invalid_scope", "this endpoint requires the me_r scope"), jobsKey: wk(403, "invalid_scope", "this endpoint requires the me_r scope"),
			jobsRW: wk(403, "invalid_scope", "this endpoint requires the me_r scope"), super: wk(403, "invalid_scope", "this endpoint requires the me_r scope")}},
	}
	keys := []string{"", "wk-no-such-key", rwKey, jobsKey, jobsRW, super, me, otherJobs}
	for _, tt := range tests {
		for _, key := range keys {
			name := key
			if name == "" {
				name = "no token"
			}
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				c := tt.c
				if key != "" {
					c.auth = bearer(key)
				}
				if c.method == http.MethodPost {
					c.body = strings.Replace(c.body, `"name":"N"`, `"name":"N `+url.QueryEscape(name)+`"`, 1)
				}
				got := send(t, base, c)
				want, listed := tt.want[key]
				switch {
				case key == "":
					want = wk(401, "unauthorized", "missing access token")
				case key == "wk-no-such-key":
					want = wk(401, "unauthorized", "invalid access token")
				case !listed:
					if got.status != tt.ok {
						t.Fatalf("got %s, want %d", got, tt.ok)
					}
					return
				}
				checkAnswer(t, got, want.status, want.body)
			})
		}
	}

	// Flatchr: the api-host endpoints need a key of the path's company.
	for _, path := range []string{"/company/" + acmeCompany + "/vacancies", "/company/" + acmeCompany + "/vacancy/3027", "/company/" + acmeCompany + "/columns"} {
		t.Run(path, func(t *testing.T) {
			checkAnswer(t, send(t, base, call{path: path}), 401, hapiError(401, "missing API key: send it as token, ?token= or Authorization: Bearer"))
			checkAnswer(t, send(t, base, call{path: path, auth: bearer(otherOrgKey)}), 404, hapiError(404, "company not found"))
			if got := send(t, base, call{path: path, auth: bearer(careersKey)}); got.status != http.StatusOK {
				t.Errorf("own company: %s", got)
			}
		})
	}
	checkAnswer(t, send(t, base, call{path: "/company/" + acmeCompany + "/vacancy/4000", auth: bearer(flatchrToken)}), 404, hapiError(404, "vacancy not found"))
	// The embed is public but only shows published jobs of the named
	// organization.
	if got := send(t, base, call{path: "/api/v1/embed?organization_reference=" + otherOrg}); got.status != 200 || !strings.Contains(string(got.body), `"name":"Globex"`) {
		t.Errorf("embed: %s", got)
	}
}
