package welcomekit

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"intake/internal/testenv"
)

func TestGet(t *testing.T) {
	f := newFixture(t)
	created := f.create(t, rwToken, map[string]any{"tag_list": "senior,remote", "job_stage_id": 14601})
	ref := str(created["reference"])
	bare := f.create(t, rwToken, map[string]any{"email": "bare@example.com"})
	tests := []struct {
		name   string
		path   string
		extra  []string // keys expected after archived
		stage  any
		tags   any
		status int
		// wantError is the error/error_description pair of a failure.
		wantError [2]string
	}{
		{name: "plain", path: "/" + ref, status: 200},
		{name: "stage false", path: "/" + ref + "?stage=false&tags=0", status: 200},
		{name: "stage and tags", path: "/" + ref + "?stage=true&tags=true", status: 200, extra: []string{"stage", "tags"},
			stage: map[string]any{"id": 14601.0, "name": "Entretien technique", "reference": nil, "visible": true},
			tags:  []any{"senior", "remote"}},
		{name: "stage with a reference", path: "/" + str(bare["reference"]) + "?stage=1", status: 200, extra: []string{"stage"},
			stage: map[string]any{"id": 42.0, "name": "Nouveau", "reference": "initial", "visible": true}},
		{name: "no tags is an empty list", path: "/" + str(bare["reference"]) + "?tags=true", status: 200, extra: []string{"tags"}, tags: []any{}},
		{name: "bad stage flag", path: "/" + ref + "?stage=yes please", status: 400,
			wantError: [2]string{"validation_failed", "stage must be a boolean"}},
		{name: "unknown reference", path: "/wttj-000000000000000000000000", status: 404,
			wantError: [2]string{"not_found", "Candidate not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.do(t, request{path: candidates + strings.ReplaceAll(tt.path, " ", "%20"), token: rwToken})
			if tt.status != http.StatusOK {
				checkError(t, res, tt.status, tt.wantError[0], tt.wantError[1])
				return
			}
			if res.status != http.StatusOK {
				t.Fatalf("status = %d; body %s", res.status, res.body)
			}
			checkShape(t, res.body, tt.extra...)
			got := jsonObject(t, res.body)
			if got["stage"] == nil != (tt.stage == nil) || !cmp.Equal(tt.stage, got["stage"]) {
				t.Errorf("stage = %v, want %v", got["stage"], tt.stage)
			}
			if !cmp.Equal(tt.tags, got["tags"]) {
				t.Errorf("tags = %#v, want %#v", got["tags"], tt.tags)
			}
			if len(tt.extra) > 0 {
				// The stage object has the vendor's key order too.
				if tt.stage != nil {
					if diff := cmp.Diff([]string{"id", "name", "reference", "visible"}, testenv.ObjectKeys(t, field(t, res.body, "stage"))); diff != "" {
						t.Errorf("stage keys (-want +got):\n%s", diff)
					}
				}
			}
		})
	}
	t.Run("same as created", func(t *testing.T) {
		res := f.do(t, request{path: candidates + "/" + ref, token: rwToken})
		if diff := cmp.Diff(created, jsonObject(t, res.body)); diff != "" {
			t.Errorf("GET differs from the create answer (-create +get):\n%s", diff)
		}
	})
}

func TestTimestampsInLocation(t *testing.T) {
	f := newFixtureWith(t, Options{Location: time.UTC})
	got := f.create(t, rwToken, nil)
	if got["created_at"] != "2016-08-23T10:55:27.206+00:00" {
		t.Errorf("created_at = %v, want UTC with a numeric offset", got["created_at"])
	}
}

func TestListPagination(t *testing.T) {
	f := newFixture(t)
	var refs []string
	for _, email := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		refs = append(refs, str(f.create(t, rwToken, map[string]any{"email": email})["reference"]))
		f.env.Clock.Advance(time.Second)
	}
	tests := []struct {
		name    string
		query   string
		method  string
		want    []string
		headers map[string]string
		// wantError is the description of a 400.
		wantError string
	}{
		{name: "defaults", query: "", want: refs,
			headers: map[string]string{"X-Total": "3", "X-Total-Pages": "1", "X-Per-Page": "100", "X-Page": "1", "X-Offset": "0"}},
		{name: "first page", query: "&per_page=2", want: refs[:2],
			headers: map[string]string{"X-Total": "3", "X-Total-Pages": "2", "X-Per-Page": "2", "X-Page": "1", "X-Offset": "0"}},
		{name: "second page", query: "&per_page=2&page=2", want: refs[2:],
			headers: map[string]string{"X-Total": "3", "X-Total-Pages": "2", "X-Per-Page": "2", "X-Page": "2", "X-Offset": "2"}},
		{name: "past the end", query: "&per_page=2&page=9", want: []string{},
			headers: map[string]string{"X-Total": "3", "X-Total-Pages": "2", "X-Page": "9", "X-Offset": "16"}},
		{name: "huge page", query: "&page=9000000000000000000", want: []string{}, headers: map[string]string{"X-Total": "3"}},
		{name: "per_page capped", query: "&per_page=500", want: refs, headers: map[string]string{"X-Per-Page": "100"}},
		{name: "numeric strings", query: "&per_page=%2B1", want: refs[:1], headers: map[string]string{"X-Per-Page": "1", "X-Total-Pages": "3"}},
		{name: "HEAD has the headers only", method: http.MethodHead, query: "&per_page=2",
			headers: map[string]string{"X-Total": "3", "X-Total-Pages": "2", "X-Per-Page": "2", "X-Page": "1", "X-Offset": "0"}},
		{name: "page zero", query: "&page=0", wantError: "page must be greater than or equal to 1"},
		{name: "page negative", query: "&page=-1", wantError: "page must be greater than or equal to 1"},
		{name: "page not a number", query: "&page=two", wantError: "page must be an integer"},
		{name: "per_page zero", query: "&per_page=0", wantError: "per_page must be greater than or equal to 1"},
		{name: "per_page not a number", query: "&per_page=1.5", wantError: "per_page must be an integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.do(t, request{method: tt.method, path: candidates + "?job_reference=" + seedJob + tt.query, token: rwToken})
			if tt.wantError != "" {
				checkError(t, res, 400, "validation_failed", tt.wantError)
				return
			}
			if res.status != http.StatusOK {
				t.Fatalf("status = %d; body %s", res.status, res.body)
			}
			for k, v := range tt.headers {
				if got := res.header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if tt.method == http.MethodHead {
				if len(res.body) != 0 {
					t.Errorf("HEAD body = %q", res.body)
				}
				return
			}
			if diff := cmp.Diff(tt.want, references(t, res.body)); diff != "" {
				t.Errorf("references (-want +got):\n%s", diff)
			}
		})
	}
}

func references(t testing.TB, body []byte) []string {
	t.Helper()
	var list []json.RawMessage
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	refs := []string{}
	for _, raw := range list {
		checkShape(t, raw)
		refs = append(refs, str(jsonObject(t, raw)["reference"]))
	}
	return refs
}

func TestListFilters(t *testing.T) {
	f := newFixture(t)
	at(f, "2016-08-23 23:59:59")
	a := str(f.create(t, rwToken, map[string]any{"email": "Ann@Example.com", "origin": "website:cms:wttj_fr", "referrer": "www.linkedin.com"})["reference"])
	at(f, "2016-08-24 00:00:00")
	b := str(f.create(t, rwToken, map[string]any{"email": "bob@example.com", "job_stage_id": 14600, "archived": true})["reference"])
	at(f, "2016-08-25 09:00:00")
	c := str(f.create(t, rwToken, map[string]any{"email": "cat@example.com", "job_stage_id": 14602})["reference"])
	at(f, "2016-08-26 09:00:00")
	if res := f.do(t, request{method: "PUT", path: candidates + "/" + a, token: rwToken, contentType: jsonType, body: `{"subtitle":"moved"}`}); res.status != 200 {
		t.Fatalf("update: %d %s", res.status, res.body)
	}
	f.create(t, rwToken, map[string]any{"email": "other-job@example.com", "job_reference": "WTTJ_gld0A7L"})

	tests := []struct {
		name      string
		query     string
		want      []string
		wantError string
	}{
		{name: "job only", query: "", want: []string{a, b, c}},
		{name: "email case-insensitive", query: "&email=ann@example.COM", want: []string{a}},
		{name: "origin", query: "&origin=website:cms:wttj_fr", want: []string{a}},
		{name: "referrer", query: "&referrer=www.linkedin.com", want: []string{a}},
		{name: "job_stage_id", query: "&job_stage_id=14600", want: []string{b}},
		{name: "job_stage_reference", query: "&job_stage_reference=refused", want: []string{b}},
		{name: "job_stage_reference hyphenated", query: "&job_stage_reference=to-meet", want: []string{c}},
		{name: "job_stage_reference unknown", query: "&job_stage_reference=hired", want: []string{}},
		{name: "stage id and reference disagree", query: "&job_stage_id=42&job_stage_reference=refused", want: []string{}},
		{name: "archived", query: "&archived=true", want: []string{b}},
		{name: "not archived", query: "&archived=false", want: []string{a, c}},
		{name: "created strictly after a day", query: "&created_after=2016-08-23", want: []string{b, c}},
		{name: "created after the next day", query: "&created_after=2016-08-24", want: []string{c}},
		{name: "updated after", query: "&updated_after=2016-08-25", want: []string{a}},
		{name: "empty filters ignored", query: "&email=&origin=", want: []string{a, b, c}},
		{name: "bad date", query: "&created_after=23/08/2016", wantError: "created_after must be a date formatted as YYYY-MM-DD"},
		{name: "bad archived", query: "&archived=sometimes", wantError: "archived must be a boolean"},
		{name: "bad stage id", query: "&job_stage_id=refused", wantError: "job_stage_id must be an integer"},
		{name: "missing job", query: "-", wantError: "job_reference can't be blank"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := candidates + "?job_reference=" + seedJob + tt.query
			if tt.query == "-" {
				path = candidates
			}
			res := f.do(t, request{path: path, token: rwToken})
			if tt.wantError != "" {
				checkError(t, res, 400, "validation_failed", tt.wantError)
				return
			}
			if res.status != http.StatusOK {
				t.Fatalf("status = %d; body %s", res.status, res.body)
			}
			if diff := cmp.Diff(tt.want, references(t, res.body)); diff != "" {
				t.Errorf("references (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("unknown job", func(t *testing.T) {
		res := f.do(t, request{path: candidates + "?job_reference=WTTJ_nope", token: rwToken})
		checkError(t, res, 404, "not_found", "Job not found")
	})
	t.Run("extras on every item", func(t *testing.T) {
		res := f.do(t, request{path: candidates + "?job_reference=" + seedJob + "&stage=true&tags=true&per_page=1", token: rwToken})
		var list []json.RawMessage
		if err := json.Unmarshal(res.body, &list); err != nil || len(list) != 1 {
			t.Fatalf("list %s: %v", res.body, err)
		}
		checkShape(t, list[0], "stage", "tags")
	})
}

func TestUpdate(t *testing.T) {
	tests := []struct {
		name string
		body string
		form bool
		// want holds the expected values of changed keys; profile keys are
		// prefixed with "profile.".
		want      map[string]any
		wantTags  []string
		wantMedia map[string]string
		status    int
		// wantError is the error/error_description pair of a failure.
		wantError [2]string
	}{
		{name: "nothing", body: `{}`, want: map[string]any{}},
		{name: "email", body: `{"email":"new@example.com"}`, want: map[string]any{"profile.email": "new@example.com"}},
		{name: "names", body: `{"firstname":"Jane","lastname":"Doe"}`, want: map[string]any{"profile.firstname": "Jane", "profile.lastname": "Doe"}},
		{name: "subtitle and phone", body: `{"subtitle":"CTO","phone":"0101"}`, want: map[string]any{"profile.subtitle": "CTO", "profile.phone": "0101"}},
		{name: "clear phone with null", body: `{"phone":null}`, want: map[string]any{"profile.phone": nil}},
		{name: "cover letter", body: `{"cover_letter":"Hello"}`, want: map[string]any{"cover_letter": "Hello"}},
		{name: "archive", body: `{"archived":"1"}`, want: map[string]any{"archived": true}},
		{name: "stage move", body: `{"job_stage_id":14600}`, want: map[string]any{"stage_id": 14600.0}},
		{name: "tags replaced", body: `{"tag_list":"x, y"}`, want: map[string]any{}, wantTags: []string{"x", "y"}},
		{name: "tags cleared", body: `{"tag_list":""}`, want: map[string]any{}, wantTags: []string{}},
		{name: "form body", form: true, body: "firstname=Form&tag_list=z", want: map[string]any{"profile.firstname": "Form"}, wantTags: []string{"z"}},
		{name: "media set and removed", body: `{"media_github":"https://github.com/new","media_website":""}`, want: map[string]any{},
			wantMedia: map[string]string{"github": "https://github.com/new"}},
		{name: "not updatable params ignored", body: `{"origin":"x","referrer":"y","comment":"z","job_reference":"WTTJ_gld0A7L","organization_reference":"2Ob7z5j"}`, want: map[string]any{}},
		{name: "stage of another job", body: `{"job_stage_id":50}`, status: 400,
			wantError: [2]string{"validation_failed", "job_stage_id is not a stage of this job"}},
		{name: "email taken", body: `{"email":"taken@example.com"}`, status: 400,
			wantError: [2]string{"validation_failed", "email has already been taken"}},
		{name: "bad values", body: `{"email":"nope","firstname":" "}`, status: 400,
			wantError: [2]string{"validation_failed", "email is invalid, firstname can't be blank"}},
		{name: "wrong type", body: `{"job_stage_id":[1]}`, status: 400,
			wantError: [2]string{"validation_failed", "job_stage_id must be an integer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.create(t, rwToken, map[string]any{"email": "taken@example.com", "job_reference": "WTTJ_gld0A7L"})
			before := f.create(t, rwToken, map[string]any{"tag_list": "a", "phone": "0606", "media_website": "https://me.com"})
			ref := str(before["reference"])
			f.env.Clock.Advance(time.Minute)
			ct := jsonType
			if tt.form {
				ct = formType
			}
			res := f.do(t, request{method: http.MethodPut, path: candidates + "/" + ref, token: rwToken, contentType: ct, body: tt.body})
			if tt.status != 0 {
				checkError(t, res, tt.status, tt.wantError[0], tt.wantError[1])
				return
			}
			if res.status != http.StatusOK {
				t.Fatalf("status = %d; body %s", res.status, res.body)
			}
			checkShape(t, res.body)
			want := before
			want["updated_at"] = "2016-08-23T12:56:27.206+02:00"
			for k, v := range tt.want {
				if pk, ok := strings.CutPrefix(k, "profile."); ok {
					want["profile"].(map[string]any)[pk] = v
				} else {
					want[k] = v
				}
			}
			if diff := cmp.Diff(want, jsonObject(t, res.body)); diff != "" {
				t.Errorf("candidate (-want +got):\n%s", diff)
			}
			app := stored(t, f, ref)
			wantTags := tt.wantTags
			if wantTags == nil {
				wantTags = []string{"a"}
			}
			if diff := cmp.Diff(wantTags, app.Tags, cmpEmpty); diff != "" {
				t.Errorf("tags (-want +got):\n%s", diff)
			}
			moves, err := f.env.Store.Moves(t.Context(), app.OrgID, app.ID)
			if err != nil {
				t.Fatal(err)
			}
			// A stage change and an archive change are each a move.
			wantMoves := 0
			if want["stage_id"] != 42.0 {
				wantMoves++
			}
			if want["archived"] == true {
				wantMoves++
			}
			if len(moves) != wantMoves {
				t.Errorf("%d moves recorded, want %d: one per stage or archive change", len(moves), wantMoves)
			}
			wantMedia := tt.wantMedia
			if wantMedia == nil {
				wantMedia = map[string]string{"website": "https://me.com"}
			}
			if diff := cmp.Diff(wantMedia, app.Person.Media); diff != "" {
				t.Errorf("media (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("unknown reference", func(t *testing.T) {
		f := newFixture(t)
		res := f.do(t, request{method: http.MethodPut, path: candidates + "/" + url.PathEscape("wttj-nope"), token: rwToken, contentType: jsonType, body: `{"firstname":"X"}`})
		checkError(t, res, 404, "not_found", "Candidate not found")
	})
}

// cmpEmpty treats nil and empty slices alike: stores may read either.
var cmpEmpty = cmp.FilterValues(func(a, b []string) bool { return len(a) == 0 && len(b) == 0 }, cmp.Ignore())
