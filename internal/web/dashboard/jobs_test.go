package dashboard

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"intake"
	"intake/internal/testenv"
)

// send posts form with the client's CSRF token.
func (c *client) send(t testing.TB, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	out := url.Values{"csrf": {c.csrf(t)}}
	for k, v := range form {
		out[k] = v
	}
	return c.post(t, path, out)
}

// storedJob reads a job of the first organization from the service.
func (f *fixture) storedJob(t testing.TB, ref string) *intake.Job {
	t.Helper()
	j, err := f.env.Service.Job(t.Context(), f.principal(t, adminToken), ref)
	if err != nil {
		t.Fatalf("job %s: %v", ref, err)
	}
	return j
}

// vacancyEvents lists the first organization's vacancy events, oldest
// first, as "name job-reference".
func (f *fixture) vacancyEvents(t testing.TB) []string {
	t.Helper()
	p := f.principal(t, adminToken)
	events, err := f.env.Store.Events(t.Context(), intake.EventFilter{OrgID: p.Org.ID,
		Names: []intake.EventName{intake.EventNewVacancy, intake.EventUpdateVacancy, intake.EventArchiveVacancy}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		ref := ""
		if e.JobID != 0 {
			for _, j := range f.jobs(t) {
				if j.ID == e.JobID {
					ref = j.Reference
				}
			}
		}
		out = append(out, string(e.Name)+" "+ref)
	}
	return out
}

func (f *fixture) jobs(t testing.TB) []*intake.Job {
	t.Helper()
	jobs, err := f.env.Service.Jobs(t.Context(), f.principal(t, adminToken))
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

// validJob is a complete job form.
func validJob() url.Values {
	return url.Values{
		"name": {"Ingénieure qualité <script>"}, "contract_type": {"FULL_TIME"}, "language": {"fr"},
		"profession_reference": {"quality"}, "description": {"<p>Mesurer & améliorer.</p>"},
		"profile": {"Rigoureuse"}, "company_description": {"Acme fabrique tout."},
		"office_city": {"Lyon"}, "office_country_code": {"fr"}, "salary_min": {"40000"}, "salary_max": {"48000"},
		"salary_currency": {"EUR"}, "salary_period": {"yearly"}, "remote": {"partial"}, "start_date": {"2027-03-01"},
		"contract_duration_min": {""}, "office_id": {""},
	}
}

// fieldError returns the error shown next to a field of the job form.
func fieldError(body, name string) string {
	m := regexp.MustCompile(`<p class="field-error" id="e-` + regexp.QuoteMeta(name) + `">([^<]*)</p>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

var jobRefInLocation = regexp.MustCompile(`^/dashboard/o/Pg4eV6k/jobs/(WTTJ_[0-9A-Za-z]{7})/edit\?done=created$`)

func TestCreateJobForm(t *testing.T) {
	f := newFixture(t)
	admin := f.signedInAs(t, intake.RoleAdmin)

	res, body := admin.get(t, newJobPath(org))
	wantPage(t, res, body, http.StatusOK)
	for _, want := range []string{`<h1>New job</h1>`, `name="profession_reference"`, `<option value="FULL_TIME">Full time</option>`, `Create the job`} {
		if !strings.Contains(body, want) {
			t.Errorf("the form lacks %s", want)
		}
	}

	t.Run("invalid", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			change url.Values
			want   map[string]string
		}{
			{"missing required", url.Values{"name": {" "}, "description": {""}, "language": {""}, "profession_reference": {""}},
				map[string]string{"name": "is required", "description": "is required", "language": "is required", "profession_reference": "is required"}},
			{"bad codes", url.Values{"contract_type": {"FOREVER"}, "remote": {"sometimes"}, "language": {"french"}, "start_date": {"01/03/2027"}},
				map[string]string{"contract_type": "must be one of FULL_TIME, PART_TIME, TEMPORARY, FREELANCE, INTERNSHIP, APPRENTICESHIP, VIE, OTHER",
					"remote": "must be one of fulltime, partial, punctual, no", "language": "must be a two-letter language code such as fr or en",
					"start_date": "must be a date formatted as YYYY-MM-DD"}},
			{"numbers that do not parse, with the service's errors", url.Values{"salary_min": {"40k"}, "contract_duration_max": {"six"}, "apply_url": {"javascript:alert(1)"}},
				map[string]string{"salary_min": "must be a whole number", "contract_duration_max": "must be a whole number", "apply_url": "must be an http or https URL"}},
			{"salary range upside down", url.Values{"salary_min": {"50000"}, "salary_max": {"40000"}},
				map[string]string{"salary_max": "must be greater than or equal to salary_min"}},
			{"unknown office", url.Values{"office_id": {"77"}}, map[string]string{"office_id": "is not an office of the organization"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				form := validJob()
				for k, v := range tc.change {
					form[k] = v
				}
				before := len(f.jobs(t))
				res, body := admin.send(t, newJobPath(org), form)
				wantPage(t, res, body, http.StatusUnprocessableEntity)
				for field, want := range tc.want {
					if got := fieldError(body, field); got != want {
						t.Errorf("%s: error %q, want %q", field, got, want)
					}
				}
				if !strings.Contains(body, `<div class="alert" role="alert">`) {
					t.Error("no summary of the errors")
				}
				// What was typed is shown again, escaped.
				if v := form.Get("name"); strings.TrimSpace(v) != "" && !strings.Contains(body, `value="`+html.EscapeString(v)+`"`) {
					t.Errorf("the title %q is not kept", v)
				}
				if n := len(f.jobs(t)); n != before {
					t.Errorf("%d jobs after a refused create, want %d", n, before)
				}
			})
		}
	})

	res, body = admin.send(t, newJobPath(org), validJob())
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", res.StatusCode, body)
	}
	m := jobRefInLocation.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("create redirected to %q", res.Header.Get("Location"))
	}
	j := f.storedJob(t, m[1])
	lo, hi := int64(40000), int64(48000)
	want := intake.JobContent{
		Description: "<p>Mesurer & améliorer.</p>", Profile: "Rigoureuse", CompanyDescription: "Acme fabrique tout.",
		ContractType: "FULL_TIME", Remote: "partial", Language: "fr", StartDate: "2027-03-01", ProfessionReference: "quality",
		Salary: intake.Salary{Min: &lo, Max: &hi, Currency: "EUR", Period: "yearly"},
		Office: intake.Office{City: "Lyon", CountryCode: "FR"},
	}
	if diff := cmp.Diff(want, j.Content); diff != "" {
		t.Errorf("stored content (-want +got):\n%s", diff)
	}
	if j.Title != "Ingénieure qualité <script>" || j.Status() != intake.JobDraft || len(j.Stages) != 6 {
		t.Errorf("stored job: title %q, status %s, %d stages", j.Title, j.Status(), len(j.Stages))
	}
	if got, want := f.vacancyEvents(t), []string{"new_vacancy " + j.Reference}; !cmp.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	res, body = admin.get(t, res.Header.Get("Location"))
	wantPage(t, res, body, http.StatusOK)
	for _, want := range []string{"Job created. It is a draft until you publish it.", `<h1>Ingénieure qualité &lt;script&gt;</h1>`, `>Publish</button>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the edit page lacks %s", want)
		}
	}
}

func TestJobPagesAccess(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		role     intake.Role
		canWrite bool
	}{
		{intake.RoleOwner, true}, {intake.RoleAdmin, true}, {intake.RoleRecruiter, false}, {intake.RoleViewer, false},
	} {
		t.Run(string(tc.role), func(t *testing.T) {
			c := f.signedInAs(t, tc.role)
			res, body := c.get(t, homePath(org))
			wantPage(t, res, body, http.StatusOK)
			if got := strings.Contains(body, `href="/dashboard/o/Pg4eV6k/jobs/new"`); got != tc.canWrite {
				t.Errorf("home offers New job: %v, want %v", got, tc.canWrite)
			}
			res, body = c.get(t, newJobPath(org))
			if tc.canWrite {
				wantPage(t, res, body, http.StatusOK)
			} else {
				wantPage(t, res, body, http.StatusForbidden)
			}
			for _, path := range []string{editJobPath(org, job), stagesPath(org, job), questionsPath(org, job)} {
				res, body := c.get(t, path)
				wantPage(t, res, body, http.StatusOK)
				if got := strings.Contains(body, `<button type="submit"`) && !strings.Contains(body, "read-only"); got != tc.canWrite {
					t.Errorf("%s: editable %v, want %v", path, got, tc.canWrite)
				}
			}
			if tc.canWrite {
				return
			}
			before := f.storedJob(t, job)
			for _, post := range []struct {
				path string
				form url.Values
			}{
				{newJobPath(org), validJob()},
				{editJobPath(org, job), validJob()},
				{jobStatusPath(org, job), url.Values{"status": {"archived"}}},
				{stagesPath(org, job), url.Values{"name": {"Sneaky"}}},
				{stagePath(org, job, 42) + "/rename", url.Values{"name": {"Sneaky"}}},
				{stagePath(org, job, 42) + "/move", url.Values{"to": {"2"}}},
				{stagePath(org, job, 14601) + "/remove", nil},
				{questionsPath(org, job), url.Values{"text": {"Sneaky?"}}},
				{questionPath(org, job, "q1"), url.Values{"text": {"Sneaky?"}}},
				{questionPath(org, job, "q1") + "/move", url.Values{"to": {"0"}}},
				{questionPath(org, job, "q1") + "/remove", nil},
			} {
				res, body := c.send(t, post.path, post.form)
				wantPage(t, res, body, http.StatusForbidden)
			}
			if diff := cmp.Diff(before, f.storedJob(t, job)); diff != "" {
				t.Errorf("a refused visitor changed the job:\n%s", diff)
			}
		})
	}

	admin := f.signedInAs(t, intake.RoleAdmin)
	t.Run("another organization's job", func(t *testing.T) {
		for _, path := range []string{editJobPath(org, otherJob), stagesPath(org, otherJob), questionsPath(org, otherJob),
			editJobPath(otherOrg, otherJob), newJobPath(otherOrg)} {
			res, body := admin.get(t, path)
			wantPage(t, res, body, http.StatusNotFound)
		}
		for _, path := range []string{jobStatusPath(org, otherJob), stagesPath(org, otherJob), stagePath(org, otherJob, 60) + "/rename", editJobPath(otherOrg, otherJob)} {
			res, body := admin.send(t, path, url.Values{"status": {"archived"}, "name": {"x"}})
			wantPage(t, res, body, http.StatusNotFound)
		}
	})
	t.Run("csrf", func(t *testing.T) {
		for _, token := range []string{"", "forged"} {
			res, body := admin.post(t, jobStatusPath(org, job), url.Values{"csrf": {token}, "status": {"archived"}})
			wantPage(t, res, body, http.StatusForbidden)
		}
		if f.storedJob(t, job).Archived {
			t.Error("a post without a valid CSRF token archived the job")
		}
	})
}

func TestEditJob(t *testing.T) {
	f := newFixture(t)
	admin := f.signedInAs(t, intake.RoleAdmin)
	res, body := admin.get(t, editJobPath(org, job))
	wantPage(t, res, body, http.StatusOK)
	if !strings.Contains(body, `value="Technicien métrologue H/F"`) {
		t.Fatalf("the form does not show the title:\n%s", body)
	}

	form := validJob()
	form.Set("salary_max", "30000")
	res, body = admin.send(t, editJobPath(org, job), form)
	wantPage(t, res, body, http.StatusUnprocessableEntity)
	if got := fieldError(body, "salary_max"); got != "must be greater than or equal to salary_min" {
		t.Errorf("salary_max error %q", got)
	}
	if f.storedJob(t, job).Title != "Technicien métrologue H/F" {
		t.Error("a refused edit changed the job")
	}

	form = validJob()
	form.Set("name", "Technicienne métrologue")
	form.Set("office_city", "")
	form.Set("office_country_code", "")
	res, body = admin.send(t, editJobPath(org, job), form)
	wantRedirect(t, res, http.StatusSeeOther, editJobPath(org, job)+"?done=saved")
	j := f.storedJob(t, job)
	if j.Title != "Technicienne métrologue" || *j.Content.Salary.Max != 48000 || !j.Content.Office.IsZero() || j.Status() != intake.JobPublished {
		t.Errorf("stored: %q, salary %v, office %+v, %s", j.Title, j.Content.Salary, j.Content.Office, j.Status())
	}
	if len(j.Stages) != 3 || j.Stages[0].ID != 42 || len(j.Questions) != 1 {
		t.Errorf("an edit of the content changed the pipeline or questions: %+v %+v", j.Stages, j.Questions)
	}
	if got, want := f.vacancyEvents(t), []string{"update_vacancy " + job}; !cmp.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	_, body = admin.get(t, editJobPath(org, job)+"?done=saved")
	if !strings.Contains(body, "Changes saved.") {
		t.Error("no notice after saving")
	}
}

func TestJobStatus(t *testing.T) {
	f := newFixture(t)
	admin := f.signedInAs(t, intake.RoleAdmin)
	p := f.principal(t, adminToken)
	listed := func() bool {
		t.Helper()
		_, jobs, err := f.env.Service.PublicCompany(t.Context(), p.Org.Slug)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range jobs {
			if j.Reference == job {
				return true
			}
		}
		return false
	}
	firstPublished := *f.storedJob(t, job).PublishedAt
	for _, step := range []struct {
		status  string
		listed  bool
		archive bool
		event   string
	}{
		{"draft", false, false, "update_vacancy"},
		{"published", true, false, "update_vacancy"},
		{"archived", false, true, "archive_vacancy"},
		{"archived", false, true, "update_vacancy"},
		{"published", true, false, "update_vacancy"},
	} {
		f.env.Clock.Advance(60e9)
		res, body := admin.send(t, jobStatusPath(org, job), url.Values{"status": {step.status}})
		wantRedirect(t, res, http.StatusSeeOther, editJobPath(org, job)+"?done="+step.status)
		_ = body
		j := f.storedJob(t, job)
		if string(j.Status()) != step.status || listed() != step.listed || (j.ArchivedAt != nil) != step.archive {
			t.Errorf("after %s: status %s, listed %v, archived at %v", step.status, j.Status(), listed(), j.ArchivedAt)
		}
		if !j.PublishedAt.Equal(firstPublished) {
			t.Errorf("after %s: first published %v, want %v kept", step.status, j.PublishedAt, firstPublished)
		}
		if ev := f.vacancyEvents(t); ev[len(ev)-1] != step.event+" "+job {
			t.Errorf("after %s: last event %q, want %s", step.status, ev[len(ev)-1], step.event)
		}
	}
	_, body := admin.get(t, editJobPath(org, job))
	buttons := regexp.MustCompile(`name="status" value="(\w+)">\s*<button type="submit"[^>]*>([^<]+)</button>`).FindAllStringSubmatch(body, -1)
	var offered []string
	for _, b := range buttons {
		offered = append(offered, b[1]+": "+b[2])
	}
	if want := []string{"draft: Unpublish (back to draft)", "archived: Archive"}; !cmp.Equal(offered, want) {
		t.Errorf("a published job offers %v, want %v", offered, want)
	}
	if !strings.Contains(body, `href="/careers/acme/`) {
		t.Error("a published job's page does not link the career site")
	}
	res, body := admin.send(t, jobStatusPath(org, job), url.Values{"status": {"deleted"}})
	wantPage(t, res, body, http.StatusBadRequest)
	res, body = admin.send(t, jobStatusPath(org, "WTTJ_nope000"), url.Values{"status": {"draft"}})
	wantPage(t, res, body, http.StatusNotFound)
}

// stageNames lists a job's stages as "id name".
func stageNames(j *intake.Job) []string {
	var out []string
	for _, st := range j.Stages {
		out = append(out, strconv.FormatInt(st.ID, 10)+" "+st.Name)
	}
	return out
}

func TestJobStages(t *testing.T) {
	f := newFixture(t)
	admin := f.signedInAs(t, intake.RoleAdmin)
	check := func(what string, want ...string) {
		t.Helper()
		if got := stageNames(f.storedJob(t, job)); !cmp.Equal(got, want) {
			t.Fatalf("%s: stages %v, want %v", what, got, want)
		}
	}
	res, body := admin.get(t, stagesPath(org, job))
	wantPage(t, res, body, http.StatusOK)
	check("at first", "42 Nouveau", "14600 Refusé", "14601 Entretien technique")

	// The API reads the job, so the service caches it.
	createViaAPI(t, f, `{"email":"z@example.com","firstname":"Z","lastname":"Z","organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","job_stage_id":14601}`)
	res, _ = admin.send(t, stagesPath(org, job), url.Values{"name": {"  Offre  "}})
	wantRedirect(t, res, http.StatusSeeOther, stagesPath(org, job)+"?done=stage-added")
	added := f.storedJob(t, job).Stages[3].ID
	if added == 0 || added == 42 || added == 14600 || added == 14601 {
		t.Fatalf("new stage id %d", added)
	}
	offre := strconv.FormatInt(added, 10) + " Offre"
	check("after add", "42 Nouveau", "14600 Refusé", "14601 Entretien technique", offre)

	// The job cache was cleared: the API sees the new stage at once.
	ref, _ := createViaAPI(t, f, `{"email":"a@example.com","firstname":"A","lastname":"B","organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","job_stage_id":`+strconv.FormatInt(added, 10)+`}`)

	res, _ = admin.send(t, stagePath(org, job, 14601)+"/rename", url.Values{"name": {"Entretien"}})
	wantRedirect(t, res, http.StatusSeeOther, stagesPath(org, job)+"?done=stage-renamed")
	res, _ = admin.send(t, stagePath(org, job, 14600)+"/move", url.Values{"to": {"3"}})
	wantRedirect(t, res, http.StatusSeeOther, stagesPath(org, job)+"?done=stage-moved")
	res, _ = admin.send(t, stagePath(org, job, added)+"/move", url.Values{"to": {"1"}})
	wantRedirect(t, res, http.StatusSeeOther, stagesPath(org, job)+"?done=stage-moved")
	check("after rename and moves", "42 Nouveau", offre, "14601 Entretien", "14600 Refusé")
	a, err := f.env.Service.Application(t.Context(), f.principal(t, rwToken), ref)
	if err != nil || a.StageID != added {
		t.Errorf("the candidate left the moved stage: %v, %v", a, err)
	}

	_, body = admin.get(t, stagesPath(org, job))
	order := regexp.MustCompile(`aria-label="Move ([^"]+) (up|down)"`).FindAllStringSubmatch(body, -1)
	var arrows []string
	for _, m := range order {
		arrows = append(arrows, m[1]+" "+m[2])
	}
	if want := []string{"Nouveau down", "Offre up", "Offre down", "Entretien up", "Entretien down", "Refusé up"}; !cmp.Equal(arrows, want) {
		t.Errorf("arrows %v, want %v", arrows, want)
	}

	t.Run("refused", func(t *testing.T) {
		person := func(email string) intake.NewApplication {
			return intake.NewApplication{Application: intake.Application{Source: intake.SourceWelcomeKit,
				Person: intake.Person{Email: email, Firstname: "In", Lastname: "Stage"}}}
		}
		f.create(t, rwToken, job, person("first@example.com"))
		archived := f.create(t, rwToken, job, person("second@example.com"))
		yes := true
		if _, err := f.env.Service.UpdateApplication(t.Context(), f.principal(t, rwToken), archived.Reference, &intake.ApplicationUpdate{Archived: &yes}); err != nil {
			t.Fatal(err)
		}
		before := f.storedJob(t, job)
		for _, tc := range []struct {
			name, path string
			form       url.Values
			status     int
			want       string
		}{
			{"blank name", stagesPath(org, job), url.Values{"name": {"  "}}, 422, `<p class="field-error" id="new-stage-error">can&#39;t be blank</p>`},
			{"taken name", stagesPath(org, job), url.Values{"name": {"Refusé"}}, 422, `id="new-stage-error">is already the name of another stage of the job</p>`},
			{"rename to a taken name", stagePath(org, job, 42) + "/rename", url.Values{"name": {"Entretien"}}, 422, `<p class="field-error" id="stage-42-error">is already the name of another stage of the job</p>`},
			{"too long", stagePath(org, job, 42) + "/rename", url.Values{"name": {strings.Repeat("x", 256)}}, 422, `id="stage-42-error">is too long (maximum is 255 characters)</p>`},
			{"stage with candidates", stagePath(org, job, 42) + "/remove", nil, 422,
				`The stage &#34;Nouveau&#34; cannot be removed: 2 candidates are in it (archived ones count). Move them to another stage first. <a href="/dashboard/o/Pg4eV6k/jobs/WTTJ_KmqkD1Y?archived=all&amp;stage=42">See them on the board</a>`},
			{"stage with one candidate", stagePath(org, job, added) + "/remove", nil, 422, `cannot be removed: 1 candidate is in it`},
			{"move nowhere", stagePath(org, job, 42) + "/move", url.Values{"to": {"up"}}, 422, `Say where to move the stage.`},
			{"unknown stage", stagePath(org, job, 60) + "/rename", url.Values{"name": {"x"}}, 404, ""},
			{"unknown stage removed", stagePath(org, job, 99999) + "/remove", nil, 404, ""},
			{"stage id not a number", stagesPath(org, job) + "/abc/move", url.Values{"to": {"1"}}, 404, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res, body := admin.send(t, tc.path, tc.form)
				wantPage(t, res, body, tc.status)
				if !strings.Contains(body, tc.want) {
					t.Errorf("the page lacks %s:\n%s", tc.want, body)
				}
			})
		}
		if diff := cmp.Diff(before, f.storedJob(t, job)); diff != "" {
			t.Errorf("refused changes changed the job:\n%s", diff)
		}
	})

	res, _ = admin.send(t, stagePath(org, job, 14600)+"/remove", nil)
	wantRedirect(t, res, http.StatusSeeOther, stagesPath(org, job)+"?done=stage-removed")
	check("after remove", "42 Nouveau", offre, "14601 Entretien")

	// WelcomeKit clients read the same pipeline, ids and order.
	api := testenv.Do(t, f.srv.URL, testenv.Request{Path: "/api/v1/external/jobs/" + job + "?stages=true", Token: adminToken})
	var read struct {
		Stages []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"stages"`
	}
	if err := json.Unmarshal(api.Body, &read); err != nil || api.Status != http.StatusOK {
		t.Fatalf("GET /jobs: %d %v", api.Status, err)
	}
	var apiStages []string
	for _, st := range read.Stages {
		apiStages = append(apiStages, strconv.FormatInt(st.ID, 10)+" "+st.Name)
	}
	if want := []string{"42 Nouveau", offre, "14601 Entretien"}; !cmp.Equal(apiStages, want) {
		t.Errorf("the API reads stages %v, want %v", apiStages, want)
	}

	var updates int
	for _, e := range f.vacancyEvents(t) {
		if e == "update_vacancy "+job {
			updates++
		}
	}
	if updates != 5 {
		t.Errorf("%d update_vacancy events, want one per change (5)", updates)
	}

	// The only stage of a job stays.
	res, body = admin.send(t, stagePath(org, "WTTJ_gld0A7L", 50)+"/remove", nil)
	wantPage(t, res, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "is the job&#39;s only stage") {
		t.Errorf("no reason given for keeping the only stage:\n%s", body)
	}
}

func TestJobQuestions(t *testing.T) {
	f := newFixture(t)
	admin := f.signedInAs(t, intake.RoleAdmin)
	questions := func() []intake.Question {
		t.Helper()
		qs := f.storedJob(t, job).Questions
		for i := range qs {
			if qs[i].Position != i {
				t.Errorf("question %s at position %d, index %d", qs[i].ID, qs[i].Position, i)
			}
			qs[i].Position = 0
		}
		return qs
	}
	res, body := admin.get(t, questionsPath(org, job))
	wantPage(t, res, body, http.StatusOK)

	for _, tc := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"blank", url.Values{"text": {" "}, "type": {"text"}}, []string{`id="q-new-text-error">can&#39;t be blank</p>`}},
		{"select without choices", url.Values{"text": {"Permis ?"}, "type": {"select"}, "options": {"Oui"}},
			[]string{`id="q-new-options-error">needs at least two choices, separated by ;</p>`, `value="Permis ?"`, `<option value="select" selected>Select</option>`}},
		{"choices on a text question", url.Values{"text": {"Permis ?"}, "type": {"text"}, "options": {"a;b"}}, []string{`id="q-new-options-error">only select and radio questions have choices</p>`}},
		{"unknown type", url.Values{"text": {"Permis ?"}, "type": {"file"}}, []string{`id="q-new-type-error">must be one of text, textarea, select, radio, boolean, number, date</p>`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := admin.send(t, questionsPath(org, job), tc.form)
			wantPage(t, res, body, http.StatusUnprocessableEntity)
			for _, want := range tc.want {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %s", want)
				}
			}
		})
	}

	res, _ = admin.send(t, questionsPath(org, job), url.Values{"text": {"Permis B ?"}, "type": {"radio"}, "options": {"Oui ; Non;;Oui"}, "required": {"on"}})
	wantRedirect(t, res, http.StatusSeeOther, questionsPath(org, job)+"?done=question-added")
	qs := questions()
	if len(qs) != 2 || len(qs[1].ID) != 16 {
		t.Fatalf("questions %+v", qs)
	}
	permis := qs[1].ID
	want := []intake.Question{
		{ID: "q1", Text: "Niveau d'études ?", Type: "select", Options: []string{"Bac", "Bac +3", "Bac +5"}},
		{ID: permis, Text: "Permis B ?", Type: "radio", Required: true, Options: []string{"Oui", "Non"}},
	}
	if diff := cmp.Diff(want, qs); diff != "" {
		t.Fatalf("after add (-want +got):\n%s", diff)
	}

	res, _ = admin.send(t, questionPath(org, job, "q1"), url.Values{"text": {"Diplôme ?"}, "type": {"textarea"}})
	wantRedirect(t, res, http.StatusSeeOther, questionsPath(org, job)+"?done=question-saved")
	res, _ = admin.send(t, questionPath(org, job, permis)+"/move", url.Values{"to": {"0"}})
	wantRedirect(t, res, http.StatusSeeOther, questionsPath(org, job)+"?done=question-moved")
	want = []intake.Question{want[1], {ID: "q1", Text: "Diplôme ?", Type: "textarea"}}
	if diff := cmp.Diff(want, questions()); diff != "" {
		t.Fatalf("after edit and move (-want +got):\n%s", diff)
	}

	res, body = admin.send(t, questionPath(org, job, "q1"), url.Values{"text": {""}, "type": {"text"}})
	wantPage(t, res, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, `id="q-q1-text-error">can&#39;t be blank</p>`) {
		t.Errorf("the edit error is not next to the question:\n%s", body)
	}
	for _, path := range []string{questionPath(org, job, "nope"), questionPath(org, job, "nope") + "/remove"} {
		res, body := admin.send(t, path, url.Values{"text": {"x"}})
		wantPage(t, res, body, http.StatusNotFound)
	}
	res, body = admin.send(t, questionPath(org, job, "q1")+"/move", url.Values{"to": {""}})
	wantPage(t, res, body, http.StatusUnprocessableEntity)
	if diff := cmp.Diff(want, questions()); diff != "" {
		t.Fatalf("refused changes changed the questions (-want +got):\n%s", diff)
	}

	res, _ = admin.send(t, questionPath(org, job, permis)+"/remove", nil)
	wantRedirect(t, res, http.StatusSeeOther, questionsPath(org, job)+"?done=question-removed")
	if diff := cmp.Diff(want[1:], questions()); diff != "" {
		t.Fatalf("after remove (-want +got):\n%s", diff)
	}
	if got := f.vacancyEvents(t); len(got) != 4 {
		t.Errorf("events %v, want 4 update_vacancy", got)
	}
}

// TestJobPagesInert: what admins type is shown as text on every job page.
func TestJobPagesInert(t *testing.T) {
	f := newFixture(t)
	admin := f.signedInAs(t, intake.RoleAdmin)
	payload := `"><script>alert(1)</script><img src=x onerror=alert(2)>`
	for _, post := range []struct {
		path string
		form url.Values
	}{
		{stagesPath(org, job), url.Values{"name": {"Stage " + payload}}},
		{questionsPath(org, job), url.Values{"text": {"Question " + payload}, "type": {"select"}, "options": {"a" + payload + ";b"}}},
	} {
		res, body := admin.send(t, post.path, post.form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", post.path, res.StatusCode, body)
		}
	}
	form := validJob()
	form.Set("name", "Job "+payload)
	form.Set("profile", "</textarea>"+payload)
	res, body := admin.send(t, editJobPath(org, job), form)
	wantRedirect(t, res, http.StatusSeeOther, editJobPath(org, job)+"?done=saved")
	for _, path := range []string{homePath(org), boardPath(org, job), editJobPath(org, job), stagesPath(org, job), questionsPath(org, job)} {
		res, body = admin.get(t, path)
		wantPage(t, res, body, http.StatusOK)
		for _, bad := range []string{"<script>alert", "<img src=x", "</textarea><"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s carries %s unescaped", path, bad)
			}
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show the payload as text", path)
		}
	}
}

func TestJobFormTooLarge(t *testing.T) {
	f := newFixture(t)
	admin := f.signedInAs(t, intake.RoleAdmin)
	form := validJob()
	form.Set("description", strings.Repeat("x", maxJobFormBytes))
	res, body := admin.send(t, editJobPath(org, job), form)
	wantPage(t, res, body, http.StatusRequestEntityTooLarge)
	form.Set("description", strings.Repeat("é", intake.MaxLongText+1))
	res, body = admin.send(t, editJobPath(org, job), form)
	wantPage(t, res, body, http.StatusUnprocessableEntity)
	if got := fieldError(body, "description"); got != "is too long" {
		t.Errorf("description error %q", got)
	}
	res, body = admin.send(t, stagePath(org, job, 42)+"/rename", url.Values{"name": {strings.Repeat("x", maxFormBytes)}})
	wantPage(t, res, body, http.StatusRequestEntityTooLarge)
}
