package welcomekit

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"intake"
)

// TestCreateSeed replays the seed's curl example byte for byte and compares
// the answer with the seed's response. Differences from the docs' example,
// all decided in the spec: stage_id is the stage the request asked for (the
// example answers 14600 to job_stage_id 42), `archived` is appended, and the
// reference and avatar hash are ours.
func TestCreateSeed(t *testing.T) {
	f := newFixtureWith(t, Options{PublicURL: "http://wk.dev"})
	heredoc, err := os.ReadFile("testdata/seed_request.txt")
	if err != nil {
		t.Fatal(err)
	}
	// curl -d @- strips carriage returns and newlines from what it reads.
	body := strings.NewReplacer("\r", "", "\n", "").Replace(string(heredoc))
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, f.srv.URL+"/api/v1/external/candidates", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "bearer wk-api-key")
	req.Header.Set("User-Agent", "curl/7.50.1")
	req.Header.Set("Accept", "*/*")
	res, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got bytes.Buffer
	if _, err := got.ReadFrom(res.Body); err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("status = %d, want 201; body %s", res.StatusCode, got.Bytes())
	}
	if ct := res.Header.Get("Content-Type"); ct != contentType {
		t.Errorf("Content-Type = %q", ct)
	}
	ref := str(jsonObject(t, got.Bytes())["reference"])
	if !referencePattern.MatchString(ref) {
		t.Errorf("reference %q is not wttj- + 24 hex", ref)
	}
	ourAvatar := strings.TrimPrefix(NewHandler(f.env.Service, Options{}).(*handler).avatarPath, "/assets/default-avatar-")
	normalized := strings.NewReplacer(
		ref, "wttj-d655345409a6097309156b05",
		ourAvatar, "7cbb7b9749a7cf8864001cde13e2a9a94e612bf083430d66ede0966f5bafb296.png",
	).Replace(got.String())

	golden, err := os.ReadFile("testdata/seed_response.json")
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := json.Compact(&want, golden); err != nil {
		t.Fatal(err)
	}
	want.WriteByte('\n')
	if normalized != want.String() {
		t.Errorf("body differs from the seed's response\n got: %s\nwant: %s", normalized, want.String())
	}
}

// TestCreate covers POST /candidates: inputs, coercion and each validation
// failure, in the spec's check order.
func TestCreate(t *testing.T) {
	const valid = `"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","email":"test@example.com","firstname":"Foo","lastname":"Bar"`
	tests := []struct {
		name        string
		token       string // rwToken when empty
		query       string
		contentType string // JSON when empty
		body        string
		status      int
		// wantError is the error/error_description pair of a failure.
		wantError [2]string
		// check inspects a success.
		check func(t *testing.T, f *fixture, got map[string]any)
	}{
		{
			name: "minimal", body: `{` + valid + `}`, status: 201,
			check: func(t *testing.T, f *fixture, got map[string]any) {
				if got["stage_id"] != 42.0 {
					t.Errorf("stage_id = %v, want the job's first stage 42", got["stage_id"])
				}
			},
		},
		{
			name: "every param echoed",
			body: `{` + valid + `,"job_stage_id":14600,"civility":"ms","tag_list":"foo, bar,,foo","origin":"careers","subtitle":"CTO @ WTTJ",
				"phone":"0606060606","comment":"Lorem ipsum","archived":true,"cover_letter":"Dear","referrer":"http://github.com/me"}`,
			status: 201,
			check: func(t *testing.T, f *fixture, got map[string]any) {
				want := map[string]any{
					"reference": got["reference"], "cover_letter": "Dear", "created_at": seedTime, "updated_at": seedTime,
					"job_id": 3027.0, "job_reference": seedJob,
					"modal_path": "/dashboard/o/Pg4eV6k/jobs/WTTJ_KmqkD1Y/card/" + str(got["reference"]),
					"origin":     "careers", "portfolio_size": nil, "portfolio_url": nil, "resume_content_type": nil,
					"resume_size": nil, "resume_url": nil, "stage_id": 14600.0, "archived": true,
					"profile": map[string]any{
						"address": nil, "avatar_url": got["profile"].(map[string]any)["avatar_url"], "city": nil,
						"civility": "Ms", "country_code": nil, "country_name": nil, "email": "test@example.com",
						"firstname": "Foo", "lastname": "Bar", "phone": "0606060606", "subtitle": "CTO @ WTTJ", "zip_code": nil,
					},
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("candidate (-want +got):\n%s", diff)
				}
				app := stored(t, f, str(got["reference"]))
				if diff := cmp.Diff([]string{"foo", "bar"}, app.Tags); diff != "" {
					t.Errorf("tags (-want +got):\n%s", diff)
				}
				if app.Comment != "Lorem ipsum" || app.Referrer != "http://github.com/me" {
					t.Errorf("comment %q, referrer %q not stored", app.Comment, app.Referrer)
				}
			},
		},
		{
			name:   "media params stored without prefix",
			body:   `{` + valid + `,"media_github":"https://github.com/me","media_linkedin":"https://fr.linkedin.com/pub/me","media_twitter":"","media_myspace":"x"}`,
			status: 201,
			check: func(t *testing.T, f *fixture, got map[string]any) {
				want := map[string]string{"github": "https://github.com/me", "linkedin": "https://fr.linkedin.com/pub/me"}
				if diff := cmp.Diff(want, stored(t, f, str(got["reference"])).Person.Media); diff != "" {
					t.Errorf("media (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "strings coerced", body: `{` + valid + `,"job_stage_id":"14600","archived":"true","tag_list":["a","b"],"phone":606060606}`, status: 201,
			check: func(t *testing.T, f *fixture, got map[string]any) {
				if got["stage_id"] != 14600.0 || got["archived"] != true || got["profile"].(map[string]any)["phone"] != "606060606" {
					t.Errorf("got stage_id %v, archived %v, phone %v", got["stage_id"], got["archived"], got["profile"].(map[string]any)["phone"])
				}
				if diff := cmp.Diff([]string{"a", "b"}, stored(t, f, str(got["reference"])).Tags); diff != "" {
					t.Errorf("tags (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "form body", contentType: formType,
			body:   "organization_reference=Pg4eV6k&job_reference=WTTJ_KmqkD1Y&email=test%40example.com&firstname=Fran%C3%A7ois&lastname=Bar&job_stage_id=14600&tag_list[]=a&tag_list[]=b",
			status: 201,
			check: func(t *testing.T, f *fixture, got map[string]any) {
				if got["stage_id"] != 14600.0 || got["profile"].(map[string]any)["firstname"] != "François" {
					t.Errorf("got %v", got)
				}
				if diff := cmp.Diff([]string{"a", "b"}, stored(t, f, str(got["reference"])).Tags); diff != "" {
					t.Errorf("tags (-want +got):\n%s", diff)
				}
			},
		},
		{
			name:   "query string only",
			query:  "?organization_reference=Pg4eV6k&job_reference=WTTJ_KmqkD1Y&email=test%40example.com&firstname=Foo&lastname=Bar",
			status: 201,
		},
		{
			name:  "body wins over query",
			query: "?firstname=Query&subtitle=From+query", body: `{` + valid + `}`, status: 201,
			check: func(t *testing.T, f *fixture, got map[string]any) {
				p := got["profile"].(map[string]any)
				if p["firstname"] != "Foo" || p["subtitle"] != "From query" {
					t.Errorf("firstname %v subtitle %v: want body's Foo and query's subtitle", p["firstname"], p["subtitle"])
				}
			},
		},
		{name: "unknown params ignored", body: `{` + valid + `,"favourite_colour":"blue","profile":{"x":1}}`, status: 201},
		{name: "content type with parameters", contentType: "application/json; charset=UTF-8", body: `{` + valid + `}`, status: 201},

		{name: "missing organization_reference", body: `{"job_reference":"WTTJ_KmqkD1Y","email":"a@b.co","firstname":"F","lastname":"L"}`,
			status: 400, wantError: [2]string{"validation_failed", "organization_reference can't be blank"}},
		{name: "missing job_reference", body: `{"organization_reference":"Pg4eV6k","email":"a@b.co","firstname":"F","lastname":"L"}`,
			status: 400, wantError: [2]string{"validation_failed", "job_reference can't be blank"}},
		{name: "missing email", body: `{"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","firstname":"F","lastname":"L"}`,
			status: 400, wantError: [2]string{"validation_failed", "email can't be blank"}},
		{name: "missing firstname", body: `{"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","email":"a@b.co","lastname":"L"}`,
			status: 400, wantError: [2]string{"validation_failed", "firstname can't be blank"}},
		{name: "blank lastname", body: `{"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","email":"a@b.co","firstname":"F","lastname":"  "}`,
			status: 400, wantError: [2]string{"validation_failed", "lastname can't be blank"}},
		{name: "empty object names every missing field", body: `{}`,
			status: 400, wantError: [2]string{"validation_failed", "email can't be blank, firstname can't be blank, job_reference can't be blank, lastname can't be blank, organization_reference can't be blank"}},
		{name: "missing fields before foreign organization", body: `{"organization_reference":"2Ob7z5j","job_reference":"WTTJ_Other01"}`,
			status: 400, wantError: [2]string{"validation_failed", "email can't be blank, firstname can't be blank, lastname can't be blank"}},
		{name: "bad email", body: `{` + strings.Replace(valid, "test@example.com", "not an email", 1) + `}`,
			status: 400, wantError: [2]string{"validation_failed", "email is invalid"}},
		{name: "bad civility and email together", body: `{` + strings.Replace(valid, "test@example.com", "a@b", 1) + `,"civility":"Dr"}`,
			status: 400, wantError: [2]string{"validation_failed", "civility is not included in the list (Mr, Ms), email is invalid"}},
		{name: "unknown job", body: `{` + strings.Replace(valid, seedJob, "WTTJ_nope", 1) + `}`,
			status: 404, wantError: [2]string{"not_found", "Job not found"}},
		{name: "job of another organization", body: `{` + strings.Replace(valid, seedJob, "WTTJ_Other01", 1) + `}`,
			status: 404, wantError: [2]string{"not_found", "Job not found"}},
		{name: "stage of another job", body: `{` + valid + `,"job_stage_id":50}`,
			status: 400, wantError: [2]string{"validation_failed", "job_stage_id is not a stage of this job"}},
		{name: "foreign organization", body: `{` + strings.Replace(valid, seedOrg, "2Ob7z5j", 1) + `}`,
			status: 403, wantError: [2]string{"unauthorized", "You are not member of this organization"}},
		{name: "unknown organization looks foreign", body: `{` + strings.Replace(valid, seedOrg, "Nope123", 1) + `}`,
			status: 403, wantError: [2]string{"unauthorized", "You are not member of this organization"}},
		{name: "foreign organization before unknown job", body: `{` + strings.Replace(strings.Replace(valid, seedOrg, "2Ob7z5j", 1), seedJob, "WTTJ_nope", 1) + `}`,
			status: 403, wantError: [2]string{"unauthorized", "You are not member of this organization"}},
		{name: "job_stage_id not an integer", body: `{` + valid + `,"job_stage_id":"abc"}`,
			status: 400, wantError: [2]string{"validation_failed", "job_stage_id must be an integer"}},
		{name: "job_stage_id a float", body: `{` + valid + `,"job_stage_id":42.5}`,
			status: 400, wantError: [2]string{"validation_failed", "job_stage_id must be an integer"}},
		{name: "wrong types named together", body: `{` + valid + `,"archived":"maybe","tag_list":{"a":1},"subtitle":["x"],"job_stage_id":true}`,
			status: 400, wantError: [2]string{"validation_failed", "archived must be a boolean, job_stage_id must be an integer, subtitle must be a string, tag_list must be a string or a list of strings"}},
		{name: "firstname an object", body: `{` + strings.Replace(valid, `"firstname":"Foo"`, `"firstname":{"a":1}`, 1) + `}`,
			status: 400, wantError: [2]string{"validation_failed", "firstname must be a string"}},
		{name: "remote resume not http", body: `{` + valid + `,"remote_resume_url":"ftp://example.com/cv.pdf"}`,
			status: 400, wantError: [2]string{"validation_failed", "remote_resume_url must be an http or https URL"}},
		{name: "body not JSON", body: `{"email":`,
			status: 400, wantError: [2]string{"validation_failed", "request body must be a JSON object"}},
		{name: "body a JSON array", body: `[{` + valid + `}]`,
			status: 400, wantError: [2]string{"validation_failed", "request body must be a JSON object"}},
		{name: "two JSON objects", body: `{` + valid + `} {}`,
			status: 400, wantError: [2]string{"validation_failed", "request body must be a single JSON object"}},
		{name: "unsupported content type", contentType: "text/plain", body: `{` + valid + `}`,
			status: 415, wantError: [2]string{"unsupported_media_type", "Content-Type must be application/json or application/x-www-form-urlencoded"}},
		{name: "malformed query", query: "?email=%zz", body: `{` + valid + `}`,
			status: 400, wantError: [2]string{"validation_failed", "query string is malformed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			token, ct := tt.token, tt.contentType
			if token == "" {
				token = rwToken
			}
			if ct == "" && tt.body != "" {
				ct = jsonType
			}
			res := f.do(t, request{method: http.MethodPost, path: candidates + tt.query, token: token, contentType: ct, body: tt.body})
			if tt.status != http.StatusCreated {
				checkError(t, res, tt.status, tt.wantError[0], tt.wantError[1])
				return
			}
			if res.status != http.StatusCreated {
				t.Fatalf("status = %d, want 201; body %s", res.status, res.body)
			}
			checkShape(t, res.body)
			if tt.check != nil {
				tt.check(t, f, jsonObject(t, res.body))
			}
		})
	}
}

func TestCreateDuplicateEmail(t *testing.T) {
	f := newFixture(t)
	f.create(t, rwToken, nil)
	body := `{"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","email":"TEST@example.com","firstname":"Foo","lastname":"Bar"}`
	res := f.do(t, request{method: http.MethodPost, path: candidates, token: rwToken, contentType: jsonType, body: body})
	checkError(t, res, 400, "validation_failed", "email has already been taken for this job")

	other := strings.Replace(body, seedJob, "WTTJ_gld0A7L", 1)
	if res := f.do(t, request{method: http.MethodPost, path: candidates, token: rwToken, contentType: jsonType, body: other}); res.status != 201 {
		t.Errorf("same email on another job: status %d, body %s", res.status, res.body)
	}
}

// stored reads an application the way the API cannot show it.
func stored(t testing.TB, f *fixture, ref string) *intake.Candidate {
	t.Helper()
	c, err := f.env.Service.Application(t.Context(), principal(t, f, rwToken), ref)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
