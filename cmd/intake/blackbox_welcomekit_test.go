package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"intake/internal/httpapi/welcomekit"
	"intake/internal/testenv"
)

var (
	wkReference = regexp.MustCompile(`^wttj-[0-9a-f]{24}$`)
	wkTimestamp = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$`)
	wkAvatar    = regexp.MustCompile(`^http://127\.0\.0\.1:\d+/assets/default-avatar-[0-9a-f]{64}\.png$`)
)

// wkCreateBody is a WelcomeKit create of email on job, with extra JSON
// members appended.
func wkCreateBody(job, email, extra string) string {
	b := `{"organization_reference":"` + acmeOrg + `","job_reference":"` + job + `","email":"` + email + `","firstname":"Foo","lastname":"Bar"`
	if extra != "" {
		b += "," + extra
	}
	return b + "}"
}

// wkCreate creates a candidate with token and returns its reference.
func wkCreate(t testing.TB, base, token, body string) string {
	t.Helper()
	a := send(t, base, call{method: http.MethodPost, path: wkCandidates, auth: bearer(token), ctype: jsonType, body: body})
	if a.status != http.StatusCreated {
		t.Fatalf("create: %s", a)
	}
	ref, _ := object(t, a.body)["reference"].(string)
	if !wkReference.MatchString(ref) {
		t.Fatalf("create answered reference %q", ref)
	}
	return ref
}

// checkCandidateShape asserts a candidate object's keys in the spec's
// order (the seed's, then archived, then the GET extras asked for) and its
// profile's.
func checkCandidateShape(t testing.TB, b []byte, extra ...string) {
	t.Helper()
	want := append(append([]string{}, seedKeys...), extra...)
	if diff := cmp.Diff(want, testenv.ObjectKeys(t, b)); diff != "" {
		t.Errorf("candidate keys (-spec +got):\n%s", diff)
	}
	if diff := cmp.Diff(seedProfileKeys, testenv.ObjectKeys(t, rawField(t, b, "profile"))); diff != "" {
		t.Errorf("profile keys (-spec +got):\n%s", diff)
	}
}

// TestBlackboxWelcomeKit drives every WelcomeKit endpoint of the real
// binary: each success shape key by key against the spec, then each error
// with its exact status and body.
func TestBlackboxWelcomeKit(t *testing.T) {
	s, _ := startBB(t)
	base := s.URL

	// Every create param of the seed and of the later docs.
	full := send(t, base, call{method: http.MethodPost, path: wkCandidates, auth: "bearer " + rwKey, ctype: jsonType,
		body: `{"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","job_stage_id":"14600","email":"ada@example.com",` +
			`"firstname":"Ada","lastname":"Lovelace","civility":"ms","tag_list":"foo, bar,,foo","origin":"careers","subtitle":"CTO @ WTTJ",` +
			`"phone":"0606060606","comment":"Lorem ipsum","cover_letter":"Dear","referrer":"http://github.com/me",` +
			`"media_github":"https://github.com/me","archived":"false","unknown_param":{"ignored":true}}`})
	if full.status != http.StatusCreated {
		t.Fatalf("create: %s", full)
	}
	created := object(t, full.body)
	ref, _ := created["reference"].(string)

	t.Run("create answers 201 in the seed's shape", func(t *testing.T) {
		if ct := full.header.Get("Content-Type"); ct != jsonAnswer {
			t.Errorf("Content-Type = %q", ct)
		}
		checkCandidateShape(t, full.body)
		if !wkReference.MatchString(ref) {
			t.Errorf("reference = %q", ref)
		}
		createdAt, _ := created["created_at"].(string)
		if !wkTimestamp.MatchString(createdAt) || created["updated_at"] != createdAt {
			t.Errorf("created_at %v, updated_at %v", created["created_at"], created["updated_at"])
		}
		profile, _ := created["profile"].(map[string]any)
		avatar, _ := profile["avatar_url"].(string)
		if !wkAvatar.MatchString(avatar) {
			t.Errorf("avatar_url = %q", avatar)
		}
		want := map[string]any{
			"reference": ref, "cover_letter": "Dear", "created_at": createdAt, "updated_at": createdAt,
			"job_id": 3027.0, "job_reference": seedJob, "modal_path": "/dashboard/o/Pg4eV6k/jobs/WTTJ_KmqkD1Y/card/" + ref,
			"origin": "careers", "portfolio_size": nil, "portfolio_url": nil, "resume_content_type": nil,
			"resume_size": nil, "resume_url": nil, "stage_id": 14600.0, "archived": false,
			"profile": map[string]any{
				"address": nil, "avatar_url": avatar, "city": nil, "civility": "Ms", "country_code": nil,
				"country_name": nil, "email": "ada@example.com", "firstname": "Ada", "lastname": "Lovelace",
				"phone": "0606060606", "subtitle": "CTO @ WTTJ", "zip_code": nil,
			},
		}
		if diff := cmp.Diff(want, created); diff != "" {
			t.Errorf("candidate (-want +got):\n%s", diff)
		}
		a := send(t, base, call{path: strings.TrimPrefix(avatar, base)})
		if a.status != http.StatusOK || a.header.Get("Content-Type") != "image/png" || !strings.HasPrefix(string(a.body), "\x89PNG") {
			t.Errorf("default avatar: %d %q", a.status, a.header.Get("Content-Type"))
		}
	})

	t.Run("seed request answers the seed's null fields", func(t *testing.T) {
		status, body := seedRequest(t, base)
		if status != http.StatusCreated {
			t.Fatalf("seed request: %d %s", status, body)
		}
		checkCandidateShape(t, body)
		got := object(t, body)
		for _, k := range []string{"origin", "portfolio_size", "portfolio_url", "resume_content_type", "resume_size", "resume_url"} {
			if got[k] != nil {
				t.Errorf("%s = %v, want null", k, got[k])
			}
		}
		p := got["profile"].(map[string]any)
		for _, k := range []string{"address", "city", "civility", "country_code", "country_name", "phone", "subtitle", "zip_code"} {
			if p[k] != nil {
				t.Errorf("profile.%s = %v, want null", k, p[k])
			}
		}
		if got["cover_letter"] != "" || got["stage_id"] != 42.0 || got["job_id"] != 3027.0 || got["archived"] != false {
			t.Errorf("candidate %s", body)
		}
	})

	t.Run("get one, with and without the stage and tags extras", func(t *testing.T) {
		plain := send(t, base, call{path: wkCandidates + "/" + ref, auth: bearer(rwKey)})
		if plain.status != http.StatusOK {
			t.Fatalf("get: %s", plain)
		}
		checkCandidateShape(t, plain.body)
		if diff := cmp.Diff(created, object(t, plain.body)); diff != "" {
			t.Errorf("GET differs from the create answer (-create +get):\n%s", diff)
		}
		extras := send(t, base, call{path: wkCandidates + "/" + ref + "?stage=true&tags=true", auth: bearer(readKey)})
		if extras.status != http.StatusOK {
			t.Fatalf("get with extras: %s", extras)
		}
		checkCandidateShape(t, extras.body, "stage", "tags")
		stage := rawField(t, extras.body, "stage")
		if diff := cmp.Diff([]string{"id", "name", "reference", "visible"}, testenv.ObjectKeys(t, stage)); diff != "" {
			t.Errorf("stage keys (-spec +got):\n%s", diff)
		}
		if got, want := string(stage), `{"id":14600,"name":"Refusé","reference":"refused","visible":true}`; got != want {
			t.Errorf("stage = %s, want %s", got, want)
		}
		if got, want := string(rawField(t, extras.body, "tags")), `["foo","bar"]`; got != want {
			t.Errorf("tags = %s, want %s", got, want)
		}
		onlyTags := send(t, base, call{path: wkCandidates + "/" + ref + "?tags=1", auth: bearer(rwKey)})
		checkCandidateShape(t, onlyTags.body, "tags")
	})

	t.Run("list and HEAD paginate with the headers", func(t *testing.T) {
		var refs []string
		for _, email := range []string{"l1@example.com", "l2@example.com", "L3@example.com"} {
			refs = append(refs, wkCreate(t, base, rwKey, wkCreateBody(listJob, email, "")))
		}
		list := send(t, base, call{path: wkCandidates + "?job_reference=" + listJob + "&per_page=2&page=2", auth: bearer(readKey)})
		if list.status != http.StatusOK || list.header.Get("Content-Type") != jsonAnswer {
			t.Fatalf("list: %s", list)
		}
		wantHeaders := map[string]string{"X-Total": "3", "X-Total-Pages": "2", "X-Per-Page": "2", "X-Page": "2", "X-Offset": "2"}
		for k, v := range wantHeaders {
			if got := list.header.Get(k); got != v {
				t.Errorf("%s = %q, want %q", k, got, v)
			}
		}
		var page []json.RawMessage
		if err := json.Unmarshal(list.body, &page); err != nil || len(page) != 1 {
			t.Fatalf("page 2 of 2 per page: %v %s", err, list.body)
		}
		checkCandidateShape(t, page[0])

		head := send(t, base, call{method: http.MethodHead, path: wkCandidates + "?job_reference=" + listJob + "&per_page=2&page=2", auth: bearer(readKey)})
		if head.status != http.StatusOK || len(head.body) != 0 {
			t.Errorf("HEAD: %d, %d body bytes", head.status, len(head.body))
		}
		for k, v := range wantHeaders {
			if got := head.header.Get(k); got != v {
				t.Errorf("HEAD %s = %q, want %q", k, got, v)
			}
		}

		all := send(t, base, call{path: wkCandidates + "?job_reference=" + listJob + "&stage=true&tags=true", auth: bearer(rwKey)})
		var items []json.RawMessage
		if err := json.Unmarshal(all.body, &items); err != nil || len(items) != 3 {
			t.Fatalf("whole list: %v %s", err, all.body)
		}
		seen := map[string]bool{}
		for _, it := range items {
			checkCandidateShape(t, it, "stage", "tags")
			seen[object(t, it)["reference"].(string)] = true
		}
		for _, r := range refs {
			if !seen[r] {
				t.Errorf("%s not listed", r)
			}
		}
		capped := send(t, base, call{method: http.MethodHead, path: wkCandidates + "?job_reference=" + listJob + "&per_page=1000", auth: bearer(rwKey)})
		if capped.header.Get("X-Per-Page") != "100" || capped.header.Get("X-Total-Pages") != "1" {
			t.Errorf("per_page=1000: X-Per-Page %q, X-Total-Pages %q, want the cap of 100", capped.header.Get("X-Per-Page"), capped.header.Get("X-Total-Pages"))
		}
		byEmail := send(t, base, call{path: wkCandidates + "?job_reference=" + listJob + "&email=l3@EXAMPLE.com", auth: bearer(rwKey)})
		if byEmail.header.Get("X-Total") != "1" || !strings.Contains(string(byEmail.body), refs[2]) {
			t.Errorf("email filter: %s (X-Total %s)", byEmail, byEmail.header.Get("X-Total"))
		}
	})

	t.Run("update answers 200 with the changes", func(t *testing.T) {
		a := send(t, base, call{method: http.MethodPut, path: wkCandidates + "/" + ref, auth: bearer(rwKey), ctype: jsonType,
			body: `{"job_stage_id":42,"tag_list":"senior,remote","firstname":"Augusta","archived":true}`})
		if a.status != http.StatusOK || a.header.Get("Content-Type") != jsonAnswer {
			t.Fatalf("update: %s", a)
		}
		checkCandidateShape(t, a.body)
		got := object(t, a.body)
		if got["reference"] != ref || got["stage_id"] != 42.0 || got["archived"] != true || got["created_at"] != created["created_at"] ||
			got["profile"].(map[string]any)["firstname"] != "Augusta" || got["cover_letter"] != "Dear" {
			t.Errorf("updated candidate %s", a.body)
		}
		if u, _ := got["updated_at"].(string); !wkTimestamp.MatchString(u) || u < created["updated_at"].(string) {
			t.Errorf("updated_at %q before created_at %v", u, created["updated_at"])
		}
		tags := send(t, base, call{path: wkCandidates + "/" + ref + "?tags=true", auth: bearer(rwKey)})
		if got, want := string(rawField(t, tags.body, "tags")), `["senior","remote"]`; got != want {
			t.Errorf("tags after update = %s, want %s", got, want)
		}
		archived := send(t, base, call{path: wkCandidates + "?job_reference=" + seedJob + "&archived=true", auth: bearer(rwKey)})
		if archived.header.Get("X-Total") != "1" || !strings.Contains(string(archived.body), ref) {
			t.Errorf("archived filter: %s", archived)
		}
	})

	mine := wkCreate(t, base, mineKey, wkCreateBody(seedJob, "mine@example.com", ""))
	const readScope = "this endpoint requires a candidates_r(w) or my_candidates_r(w) scope"
	const writeScope = "this endpoint requires the candidates_rw or my_candidates_rw scope"
	tooBig := wkCreateBody(seedJob, "big@example.com", `"comment":"`+strings.Repeat("x", welcomekit.DefaultMaxBodyBytes)+`"`)
	refusals := []struct {
		name   string
		call   call
		status int
		body   string
		allow  string
	}{
		{name: "missing organization_reference", call: createCall(rwKey, `{"job_reference":"WTTJ_KmqkD1Y","email":"a@example.com","firstname":"F","lastname":"L"}`),
			status: 400, body: wkError("validation_failed", "organization_reference can't be blank")},
		{name: "missing job_reference", call: createCall(rwKey, `{"organization_reference":"Pg4eV6k","email":"a@example.com","firstname":"F","lastname":"L"}`),
			status: 400, body: wkError("validation_failed", "job_reference can't be blank")},
		{name: "missing email", call: createCall(rwKey, `{"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","firstname":"F","lastname":"L"}`),
			status: 400, body: wkError("validation_failed", "email can't be blank")},
		{name: "missing firstname", call: createCall(rwKey, `{"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","email":"a@example.com","lastname":"L"}`),
			status: 400, body: wkError("validation_failed", "firstname can't be blank")},
		{name: "missing lastname", call: createCall(rwKey, `{"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","email":"a@example.com","firstname":"F"}`),
			status: 400, body: wkError("validation_failed", "lastname can't be blank")},
		{name: "every required field missing", call: createCall(rwKey, `{}`),
			status: 400, body: wkError("validation_failed", "email can't be blank, firstname can't be blank, job_reference can't be blank, lastname can't be blank, organization_reference can't be blank")},
		{name: "bad email", call: createCall(rwKey, wkCreateBody(seedJob, "not an email", "")),
			status: 400, body: wkError("validation_failed", "email is invalid")},
		{name: "bad civility", call: createCall(rwKey, wkCreateBody(seedJob, "civ@example.com", `"civility":"Dr"`)),
			status: 400, body: wkError("validation_failed", "civility is not included in the list (Mr, Ms)")},
		{name: "job_stage_id not an integer", call: createCall(rwKey, wkCreateBody(seedJob, "int@example.com", `"job_stage_id":"abc"`)),
			status: 400, body: wkError("validation_failed", "job_stage_id must be an integer")},
		{name: "email already taken on the job", call: createCall(rwKey, wkCreateBody(seedJob, "ADA@example.com", "")),
			status: 400, body: wkError("validation_failed", "email has already been taken for this job")},
		{name: "unknown job", call: createCall(rwKey, wkCreateBody("WTTJ_nope000", "a@example.com", "")),
			status: 404, body: wkError("not_found", "Job not found")},
		{name: "stage of another job", call: createCall(rwKey, wkCreateBody(seedJob, "a@example.com", `"job_stage_id":50`)),
			status: 400, body: wkError("validation_failed", "job_stage_id is not a stage of this job")},
		{name: "foreign organization", call: createCall(rwKey, strings.Replace(wkCreateBody(otherJob, "a@example.com", ""), acmeOrg, otherOrg, 1)),
			status: 403, body: wkError("unauthorized", "You are not member of this organization")},
		{name: "no token", call: call{method: http.MethodPost, path: wkCandidates, ctype: jsonType, body: wkCreateBody(seedJob, "a@example.com", "")},
			status: 401, body: wkError("unauthorized", "missing access token")},
		{name: "bad token", call: createCall("wk-no-such-key", wkCreateBody(seedJob, "a@example.com", "")),
			status: 401, body: wkError("unauthorized", "invalid access token")},
		{name: "read scope cannot create", call: createCall(readKey, wkCreateBody(seedJob, "a@example.com", "")),
			status: 403, body: wkError("invalid_scope", writeScope)},
		{name: "read scope cannot update", call: call{method: http.MethodPut, path: wkCandidates + "/" + ref, auth: bearer(readKey), ctype: jsonType, body: `{"firstname":"X"}`},
			status: 403, body: wkError("invalid_scope", writeScope)},
		{name: "jobs scope cannot read", call: call{path: wkCandidates + "/" + ref, auth: bearer(jobsKey)},
			status: 403, body: wkError("invalid_scope", readScope)},
		{name: "other organization's candidate", call: call{path: wkCandidates + "/" + ref, auth: bearer(otherOrgKey)},
			status: 404, body: wkError("not_found", "Candidate not found")},
		{name: "my_candidates_rw reads another key's candidate", call: call{path: wkCandidates + "/" + ref, auth: bearer(mineKey)},
			status: 404, body: wkError("not_found", "Candidate not found")},
		{name: "my_candidates_rw updates another key's candidate", call: call{method: http.MethodPut, path: wkCandidates + "/" + ref, auth: bearer(mineKey), ctype: jsonType, body: `{"firstname":"X"}`},
			status: 404, body: wkError("not_found", "Candidate not found")},
		{name: "unknown candidate", call: call{path: wkCandidates + "/wttj-000000000000000000000000", auth: bearer(rwKey)},
			status: 404, body: wkError("not_found", "Candidate not found")},
		{name: "update to a stage of another job", call: call{method: http.MethodPut, path: wkCandidates + "/" + mine, auth: bearer(mineKey), ctype: jsonType, body: `{"job_stage_id":50}`},
			status: 400, body: wkError("validation_failed", "job_stage_id is not a stage of this job")},
		{name: "update with a bad email", call: call{method: http.MethodPut, path: wkCandidates + "/" + mine, auth: bearer(mineKey), ctype: jsonType, body: `{"email":"nope"}`},
			status: 400, body: wkError("validation_failed", "email is invalid")},
		{name: "list without job_reference", call: call{path: wkCandidates + "?per_page=10", auth: bearer(rwKey)},
			status: 400, body: wkError("validation_failed", "job_reference can't be blank")},
		{name: "per_page zero", call: call{path: wkCandidates + "?job_reference=" + seedJob + "&per_page=0", auth: bearer(rwKey)},
			status: 400, body: wkError("validation_failed", "per_page must be greater than or equal to 1")},
		{name: "negative page", call: call{path: wkCandidates + "?job_reference=" + seedJob + "&page=-1", auth: bearer(rwKey)},
			status: 400, body: wkError("validation_failed", "page must be greater than or equal to 1")},
		{name: "page not a number", call: call{path: wkCandidates + "?job_reference=" + seedJob + "&page=two", auth: bearer(rwKey)},
			status: 400, body: wkError("validation_failed", "page must be an integer")},
		{name: "bad date filter", call: call{path: wkCandidates + "?job_reference=" + seedJob + "&created_after=23/08/2016", auth: bearer(rwKey)},
			status: 400, body: wkError("validation_failed", "created_after must be a date formatted as YYYY-MM-DD")},
		{name: "list a job of another organization", call: call{path: wkCandidates + "?job_reference=" + otherJob, auth: bearer(rwKey)},
			status: 404, body: wkError("not_found", "Job not found")},
		{name: "unsupported content type", call: call{method: http.MethodPost, path: wkCandidates, auth: bearer(rwKey), ctype: "text/plain", body: wkCreateBody(seedJob, "a@example.com", "")},
			status: 415, body: wkError("unsupported_media_type", "Content-Type must be application/json or application/x-www-form-urlencoded")},
		{name: "body not JSON", call: createCall(rwKey, `{"email":`),
			status: 400, body: wkError("validation_failed", "request body must be a JSON object")},
		{name: "unknown route", call: call{path: "/api/v1/external/no-such-resource", auth: bearer(rwKey)},
			status: 404, body: wkError("not_found", "No route matches GET /api/v1/external/no-such-resource")},
		{name: "wrong method on the collection", call: call{method: http.MethodDelete, path: wkCandidates, auth: bearer(rwKey)},
			status: 405, body: wkError("method_not_allowed", "Method DELETE is not allowed on /api/v1/external/candidates"), allow: "GET, HEAD, POST"},
		{name: "wrong method on a candidate", call: call{method: http.MethodPost, path: wkCandidates + "/" + ref, auth: bearer(rwKey)},
			status: 405, body: wkError("method_not_allowed", "Method POST is not allowed on /api/v1/external/candidates/"+ref), allow: "GET, HEAD, PUT"},
		{name: "body over the limit", call: createCall(rwKey, tooBig),
			status: 413, body: wkError("validation_failed", "request body is larger than "+strconv.Itoa(welcomekit.DefaultMaxBodyBytes)+" bytes")},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			seed, sales := wkTotal(t, base, seedJob), wkTotal(t, base, salesJob)
			got := send(t, base, tt.call)
			checkAnswer(t, got, tt.status, tt.body)
			if allow := got.header.Get("Allow"); allow != tt.allow {
				t.Errorf("Allow = %q, want %q", allow, tt.allow)
			}
			if tt.status == http.StatusUnauthorized && got.header.Get("WWW-Authenticate") != "Bearer" {
				t.Errorf("WWW-Authenticate = %q", got.header.Get("WWW-Authenticate"))
			}
			if s, l := wkTotal(t, base, seedJob), wkTotal(t, base, salesJob); s != seed || l != sales {
				t.Errorf("a refused request changed the candidates: %d/%d → %d/%d", seed, sales, s, l)
			}
		})
	}
}

// createCall is a JSON create sent with token.
func createCall(token, body string) call {
	return call{method: http.MethodPost, path: wkCandidates, auth: bearer(token), ctype: jsonType, body: body}
}
