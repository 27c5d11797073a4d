package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
)

// placement is where a request carries its credentials.
type placement struct {
	header string // the whole Authorization header
	token  string // a token in the query under the dialect's name: ?access_token= or ?token=
	query  string // further query parameters, e.g. "api_key=…"
	body   string // a token in the body: Flatchr's "token", WelcomeKit's (ignored) "access_token"
}

// queryString is p's query for a dialect.
func (p placement) queryString(flatchr bool) string {
	var parts []string
	if p.token != "" {
		name := "access_token"
		if flatchr {
			name = "token"
		}
		parts = append(parts, name+"="+url.QueryEscape(p.token))
	}
	if p.query != "" {
		parts = append(parts, p.query)
	}
	return strings.Join(parts, "&")
}

// endpoint builds a request to one endpoint carrying the given credentials.
type endpoint struct {
	name    string
	flatchr bool
	write   bool
	build   func(p placement) call
}

// withQuery appends a query string to path.
func withQuery(path, query string) string {
	if query == "" {
		return path
	}
	if strings.Contains(path, "?") {
		return path + "&" + query
	}
	return path + "?" + query
}

// bodyToken adds a token member to a JSON object.
func bodyToken(body, name, token string) string {
	if token == "" {
		return body
	}
	return `{"` + name + `":"` + token + `",` + strings.TrimPrefix(body, "{")
}

// accessEndpoints are every endpoint of both dialects: creates get a fresh
// email each time so that every success is a new candidate; reads and
// updates aim at target, a candidate of the rw key.
func accessEndpoints(target string) []endpoint {
	var n atomic.Int64
	email := func() string { return fmt.Sprintf("access%d@example.com", n.Add(1)) }
	flatchrCreate := func(path string) func(p placement) call {
		return func(p placement) call {
			body := flatchrBody(seedVacancy, `,"email":"`+email()+`"`+doc64([]byte("cv"), "cv.txt", "text/plain"))
			return call{method: http.MethodPost, path: withQuery(path, p.queryString(true)), auth: p.header, ctype: jsonType, body: bodyToken(body, "token", p.body)}
		}
	}
	return []endpoint{
		{name: "WelcomeKit create", write: true, build: func(p placement) call {
			return call{method: http.MethodPost, path: withQuery(wkCandidates, p.queryString(false)), auth: p.header, ctype: jsonType,
				body: bodyToken(wkCreateBody(seedJob, email(), ""), "access_token", p.body)}
		}},
		{name: "WelcomeKit get", build: func(p placement) call {
			return call{path: withQuery(wkCandidates+"/"+target, p.queryString(false)), auth: p.header}
		}},
		{name: "WelcomeKit list", build: func(p placement) call {
			return call{path: withQuery(wkCandidates+"?job_reference="+seedJob, p.queryString(false)), auth: p.header}
		}},
		{name: "WelcomeKit update", write: true, build: func(p placement) call {
			return call{method: http.MethodPut, path: withQuery(wkCandidates+"/"+target, p.queryString(false)), auth: p.header, ctype: jsonType,
				body: bodyToken(`{"subtitle":"updated"}`, "access_token", p.body)}
		}},
		{name: "Flatchr json", flatchr: true, write: true, build: flatchrCreate(flatchrJSON)},
		{name: "Flatchr custom", flatchr: true, write: true, build: flatchrCreate(flatchrCustom)},
		{name: "Flatchr test", flatchr: true, write: true, build: flatchrCreate(flatchrTest)},
	}
}

// outcome is the documented answer to a request: a status and an exact
// body; a zero outcome is success, checked by status only.
type outcome struct {
	status int
	body   string
}

var success = outcome{}

func wkOutcome(status int, code, description string) outcome {
	return outcome{status, wkError(code, description)}
}

func flatchrOutcome(status int, message string) outcome {
	return outcome{status, hapiError(status, message)}
}

// malformedHeader answers an Authorization header that is not
// `Bearer <token>`: refused rather than ignored, in each dialect.
func malformedHeader(e endpoint) outcome {
	if e.flatchr {
		return flatchrOutcome(401, "the Authorization header must be Bearer <API key>")
	}
	return wkOutcome(401, "unauthorized", "Authorization header must be: Bearer <access token>")
}

// invalidToken answers an unknown or revoked key.
func invalidToken(e endpoint) outcome {
	if e.flatchr {
		return flatchrOutcome(401, "invalid access token")
	}
	return wkOutcome(401, "unauthorized", "invalid access token")
}

// successStatus is what an endpoint answers an authorized request.
func (e endpoint) successStatus() int {
	if e.name == "WelcomeKit create" {
		return http.StatusCreated
	}
	return http.StatusOK
}

// TestAccessMatrix sends every endpoint of both dialects every kind of
// credential and checks the documented status and exact error body.
func TestAccessMatrix(t *testing.T) {
	s, data := startBB(t)
	base := s.URL
	target := wkCreate(t, base, rwKey, wkCreateBody(seedJob, "target@example.com", ""))
	mine := wkCreate(t, base, mineKey, wkCreateBody(seedJob, "mine@example.com", ""))
	revoked := revokedKey(t, base, data)

	const (
		wkWriteScope = "this endpoint requires the candidates_rw or my_candidates_rw scope"
		wkReadScope  = "this endpoint requires a candidates_r(w) or my_candidates_r(w) scope"
	)
	wk, fl, ok := wkOutcome, flatchrOutcome, success
	kinds := []struct {
		name string
		cred placement
		want func(e endpoint) outcome
	}{
		{name: "no token", want: func(e endpoint) outcome {
			if e.flatchr {
				return fl(401, "missing API key: send it as token, ?token= or Authorization: Bearer")
			}
			return wk(401, "unauthorized", "missing access token")
		}},
		{name: "Basic scheme", cred: placement{header: "Basic d2stYXBpLWtleTo="}, want: malformedHeader},
		{name: "Bearer without a token", cred: placement{header: "Bearer"}, want: malformedHeader},
		{name: "token without a scheme", cred: placement{header: rwKey}, want: func(e endpoint) outcome {
			if e.flatchr {
				return ok // older Flatchr connectors send it so (spec flatchr §12 #22)
			}
			return malformedHeader(e)
		}},
		{name: "unknown token", cred: placement{header: bearer("wk-no-such-key")}, want: invalidToken},
		{name: "revoked key", cred: placement{header: bearer(revoked)}, want: invalidToken},
		{name: "unknown token in the query", cred: placement{token: "wk-no-such-key"}, want: invalidToken},
		{name: "read scope", cred: placement{header: bearer(readKey)}, want: func(e endpoint) outcome {
			switch {
			case e.flatchr:
				return fl(403, wkWriteScope)
			case e.write:
				return wk(403, "invalid_scope", wkWriteScope)
			}
			return ok
		}},
		{name: "jobs scope", cred: placement{header: bearer(jobsKey)}, want: func(e endpoint) outcome {
			switch {
			case e.flatchr:
				return fl(403, wkWriteScope)
			case e.write:
				return wk(403, "invalid_scope", wkWriteScope)
			}
			return wk(403, "invalid_scope", wkReadScope)
		}},
		{name: "my_candidates_rw on another key's candidate", cred: placement{header: bearer(mineKey)}, want: func(e endpoint) outcome {
			if e.name == "WelcomeKit get" || e.name == "WelcomeKit update" {
				return wk(404, "not_found", "Candidate not found")
			}
			return ok
		}},
		{name: "another organization's key", cred: placement{header: bearer(otherOrgKey)}, want: func(e endpoint) outcome {
			switch e.name {
			case "WelcomeKit create":
				return wk(403, "unauthorized", "You are not member of this organization")
			case "WelcomeKit list":
				return wk(404, "not_found", "Job not found")
			case "WelcomeKit get", "WelcomeKit update":
				return wk(404, "not_found", "Candidate not found")
			}
			return fl(404, "vacancy not found")
		}},
		{name: "token in the header", cred: placement{header: bearer(rwKey)}, want: func(endpoint) outcome { return ok }},
		{name: "token in the header, lowercase scheme", cred: placement{header: "bearer " + rwKey}, want: func(endpoint) outcome { return ok }},
		{name: "token in the query", cred: placement{token: rwKey}, want: func(endpoint) outcome { return ok }},
		{name: "token in the other dialect's query parameter", cred: placement{query: "token=" + rwKey + "&access_token=" + rwKey + "&api_key=x"}, want: func(e endpoint) outcome {
			if e.flatchr {
				return invalidToken(e) // api_key=x
			}
			return ok
		}},
		{name: "token in the body", cred: placement{body: rwKey}, want: func(e endpoint) outcome {
			if e.flatchr {
				return ok
			}
			// WelcomeKit reads a key from the header or ?access_token=
			// only (spec welcomekit §1 Authentication).
			return wk(401, "unauthorized", "missing access token")
		}},
		{name: "bad header with a good query token", cred: placement{header: bearer("wk-no-such-key"), token: rwKey}, want: invalidToken},
		{name: "good header with a bad query token", cred: placement{header: bearer(rwKey), token: "wk-no-such-key"}, want: func(e endpoint) outcome {
			if e.flatchr {
				return invalidToken(e) // every credential must resolve, to one key
			}
			return ok // the header wins (spec welcomekit §1 Authentication)
		}},
	}

	endpoints := accessEndpoints(target)
	for _, kind := range kinds {
		for _, e := range endpoints {
			if kind.cred.body != "" && (e.name == "WelcomeKit get" || e.name == "WelcomeKit list") {
				continue // no body to carry it
			}
			t.Run(kind.name+"/"+e.name, func(t *testing.T) {
				want := kind.want(e)
				got := send(t, base, e.build(kind.cred))
				if want.body == "" {
					if got.status != e.successStatus() {
						t.Fatalf("got %s, want %d", got, e.successStatus())
					}
					return
				}
				checkAnswer(t, got, want.status, want.body)
				if want.status == http.StatusUnauthorized && got.header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			})
		}
	}

	// Flatchr credentials in several places must all name one key (spec
	// flatchr §12 #5).
	disagree := "the request carries credentials of different API keys"
	flatchrCases := []struct {
		name string
		cred placement
		want outcome
	}{
		{name: "header and body name different keys of one company", cred: placement{header: bearer(flatchrToken), body: careersKey}, want: fl(401, disagree)},
		{name: "header and query name different keys", cred: placement{header: bearer(flatchrToken), token: careersKey}, want: fl(401, disagree)},
		{name: "query and body name different keys", cred: placement{token: flatchrToken, body: careersKey}, want: fl(401, disagree)},
		{name: "api_key of another company and body token", cred: placement{query: "api_key=" + otherOrgKey, body: flatchrToken}, want: fl(401, disagree)},
		{name: "good header and unknown body token", cred: placement{header: bearer(flatchrToken), body: "not-a-key"}, want: fl(401, "invalid access token")},
		{name: "good body token and revoked header", cred: placement{header: bearer(revoked), body: flatchrToken}, want: fl(401, "invalid access token")},
		{name: "pre-2022 api_key alone", cred: placement{query: "api_key=" + url.QueryEscape(flatchrToken)}, want: ok},
		{name: "the same key everywhere", cred: placement{header: bearer(flatchrToken), token: flatchrToken, query: "api_key=" + url.QueryEscape(flatchrToken), body: flatchrToken}, want: ok},
	}
	for _, e := range endpoints {
		if !e.flatchr {
			continue
		}
		for _, tt := range flatchrCases {
			t.Run(tt.name+"/"+e.name, func(t *testing.T) {
				got := send(t, base, e.build(tt.cred))
				if tt.want.body == "" {
					if got.status != http.StatusOK {
						t.Fatalf("got %s, want 200", got)
					}
					return
				}
				checkAnswer(t, got, tt.want.status, tt.want.body)
			})
		}
	}

	t.Run("my_candidates_rw sees and updates only its own", func(t *testing.T) {
		if got := send(t, base, call{path: wkCandidates + "/" + mine, auth: bearer(mineKey)}); got.status != http.StatusOK {
			t.Errorf("own candidate: %s", got)
		}
		if got := send(t, base, call{method: http.MethodPut, path: wkCandidates + "/" + mine, auth: bearer(mineKey), ctype: jsonType, body: `{"subtitle":"mine"}`}); got.status != http.StatusOK {
			t.Errorf("own update: %s", got)
		}
		list := send(t, base, call{path: wkCandidates + "?job_reference=" + seedJob + "&per_page=100", auth: bearer(mineKey)})
		refs := regexp.MustCompile(`"reference":"(wttj-[0-9a-f]{24})"`).FindAllSubmatch(list.body, -1)
		if list.status != http.StatusOK || len(refs) == 0 || list.header.Get("X-Total") != fmt.Sprint(len(refs)) {
			t.Fatalf("list: %s (X-Total %s)", list, list.header.Get("X-Total"))
		}
		for _, m := range refs {
			if string(m[1]) == target {
				t.Errorf("my_candidates_rw lists another key's candidate %s", target)
			}
		}
	})

	t.Run("another organization's references look like missing ones", func(t *testing.T) {
		foreign := wkCreate(t, base, otherOrgKey, strings.Replace(wkCreateBody(otherJob, "foreign@example.com", ""), acmeOrg, otherOrg, 1))
		missing := "wttj-" + strings.Repeat("0", 24)
		var feed struct {
			Items []struct{ Vacancy struct{ ID string } }
		}
		if err := json.Unmarshal(send(t, base, call{path: "/company/globex.json"}).body, &feed); err != nil || len(feed.Items) != 1 {
			t.Fatalf("Globex feed: %v %+v", err, feed)
		}
		foreignVacancyID := feed.Items[0].Vacancy.ID
		form := func(vacancy string) string {
			return url.Values{"token": {flatchrToken}, "vacancy": {vacancy}, "firstname": {"a"}, "lastname": {"b"}, "resume[data]": {"SGVsbG8h"}}.Encode()
		}
		pairs := []struct {
			name              string
			existing, missing call
		}{
			{"WelcomeKit get", call{path: wkCandidates + "/" + foreign, auth: bearer(rwKey)}, call{path: wkCandidates + "/" + missing, auth: bearer(rwKey)}},
			{"WelcomeKit get, read key", call{path: wkCandidates + "/" + foreign, auth: bearer(readKey)}, call{path: wkCandidates + "/" + missing, auth: bearer(readKey)}},
			{"WelcomeKit get, my_candidates key", call{path: wkCandidates + "/" + foreign, auth: bearer(mineKey)}, call{path: wkCandidates + "/" + missing, auth: bearer(mineKey)}},
			{"WelcomeKit get of this organization's candidate by the other", call{path: wkCandidates + "/" + target, auth: bearer(otherOrgKey)}, call{path: wkCandidates + "/" + missing, auth: bearer(otherOrgKey)}},
			{"WelcomeKit update", call{method: http.MethodPut, path: wkCandidates + "/" + foreign, auth: bearer(rwKey), ctype: jsonType, body: `{"subtitle":"x"}`},
				call{method: http.MethodPut, path: wkCandidates + "/" + missing, auth: bearer(rwKey), ctype: jsonType, body: `{"subtitle":"x"}`}},
			{"WelcomeKit create in the organization", createCall(rwKey, strings.Replace(wkCreateBody(otherJob, "x@example.com", ""), acmeOrg, otherOrg, 1)),
				createCall(rwKey, strings.Replace(wkCreateBody("WTTJ_nope000", "x@example.com", ""), acmeOrg, "Zz9Zz9Z", 1))},
			{"WelcomeKit create on the job", createCall(rwKey, wkCreateBody(otherJob, "x@example.com", "")), createCall(rwKey, wkCreateBody("WTTJ_nope000", "x@example.com", ""))},
			{"WelcomeKit list of the job", call{path: wkCandidates + "?job_reference=" + otherJob, auth: bearer(rwKey)}, call{path: wkCandidates + "?job_reference=WTTJ_nope000", auth: bearer(rwKey)}},
			{"Flatchr vacancy slug", flatchrCall(bearer(flatchrToken), flatchrBody(otherVacancy, doc64([]byte("cv"), "cv.txt", "text/plain"))),
				flatchrCall(bearer(flatchrToken), flatchrBody("nope-other-job", doc64([]byte("cv"), "cv.txt", "text/plain")))},
			{"Flatchr vacancy id", flatchrCall(bearer(flatchrToken), flatchrBody(foreignVacancyID, doc64([]byte("cv"), "cv.txt", "text/plain"))),
				flatchrCall(bearer(flatchrToken), flatchrBody("Zz9Zz9Zz9Zz9Zz9Z", doc64([]byte("cv"), "cv.txt", "text/plain")))},
			{"Flatchr dry run", call{method: http.MethodPost, path: flatchrTest, auth: bearer(flatchrToken), ctype: jsonType, body: flatchrBody(otherVacancy, doc64([]byte("cv"), "cv.txt", "text/plain"))},
				call{method: http.MethodPost, path: flatchrTest, auth: bearer(flatchrToken), ctype: jsonType, body: flatchrBody("nope-other-job", doc64([]byte("cv"), "cv.txt", "text/plain"))}},
			{"Flatchr form page", call{method: http.MethodPost, path: flatchrCustom, ctype: formType, body: form(otherVacancy), header: browser},
				call{method: http.MethodPost, path: flatchrCustom, ctype: formType, body: form("nope-other-job"), header: browser}},
		}
		// An answer may echo the reference it was given; only what it says
		// about it may not differ.
		ids := strings.NewReplacer(foreign, "{ref}", missing, "{ref}", target, "{ref}", otherJob, "{job}", "WTTJ_nope000", "{job}",
			"Zz9Zz9Zz9Zz9Zz9Z", "{vacancy}", otherOrg, "{org}", "Zz9Zz9Z", "{org}", otherVacancy, "{vacancy}", "nope-other-job", "{vacancy}", foreignVacancyID, "{vacancy}")
		for _, p := range pairs {
			t.Run(p.name, func(t *testing.T) {
				a, b := send(t, base, p.existing), send(t, base, p.missing)
				if a.status < 400 || a.status != b.status || ids.Replace(string(a.body)) != ids.Replace(string(b.body)) || a.header.Get("Content-Type") != b.header.Get("Content-Type") {
					t.Errorf("an existing foreign reference answers\n%s\na missing one\n%s", a, b)
				}
			})
		}
	})

	t.Run("the public feed ignores tokens", func(t *testing.T) {
		anonymous := send(t, base, call{path: "/company/acme.json"})
		if anonymous.status != http.StatusOK || anonymous.header.Get("Content-Type") != jsonAnswer {
			t.Fatalf("feed: %s", anonymous)
		}
		for _, auth := range []string{bearer(flatchrToken), bearer(otherOrgKey), bearer(revoked), bearer("nonsense"), "Basic x", "Bearer"} {
			got := send(t, base, call{path: "/company/acme.json?token=nonsense&api_key=nonsense", auth: auth})
			if got.status != http.StatusOK || !bytes.Equal(got.body, anonymous.body) {
				t.Errorf("feed with %q: %s", auth, got)
			}
		}
	})
}

// revokedKey creates a key with the keys command while the server runs,
// checks that it works, revokes it, and returns its token.
func revokedKey(t testing.TB, base, dataDir string) string {
	t.Helper()
	out, err := exec.Command(binaryPath, "keys", "create", "--data", dataDir, "--org", acmeOrg, "--name", "to revoke", "--scopes", "candidates_rw").CombinedOutput()
	if err != nil {
		t.Fatalf("keys create: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?m)^id: (\d+)$[\s\S]*^token: (\S+)$`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("keys create printed:\n%s", out)
	}
	if got := send(t, base, call{path: wkCandidates + "?job_reference=" + seedJob, auth: bearer(m[2])}); got.status != http.StatusOK {
		t.Fatalf("the new key does not work: %s", got)
	}
	if out, err := exec.Command(binaryPath, "keys", "revoke", "--data", dataDir, "--org", acmeOrg, "--id", m[1]).CombinedOutput(); err != nil {
		t.Fatalf("keys revoke: %v\n%s", err, out)
	}
	return m[2]
}
