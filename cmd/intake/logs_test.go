package main

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// resumeMarker is a recognizable piece of resume content: it must never
// reach the logs, nor its base64 form.
const resumeMarker = "RESUME-MARKER-7f3a9c-confidential-career-history"

// TestLogsLeakNothing sends requests carrying tokens in headers, query
// strings and bodies, candidate emails and resumes, and provokes errors;
// then every line the server wrote must be JSON, every request line must
// carry its request id, and no line may hold a token, an email address, a
// resume's content or a download signature.
func TestLogsLeakNothing(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	s := startServer(t, data, "--world", writeWorld(t, dir, bbWorld), "--rate-limit", "0", "--allow-fetch-from", "127.0.0.1/32")
	base := s.URL

	resume := []byte(resumeMarker + "\n")
	resume64 := base64.StdEncoding.EncodeToString(resume)
	link, _ := fileServer(t, "text/plain", resume)
	bogus := []string{"wk-bogus-token-in-header", "wk-bogus-token-in-query", "flatchr-bogus-token-in-body", "flatchr-bogus-api-key"}
	secrets := append([]string{rwKey, readKey, mineKey, jobsKey, flatchrToken, careersKey, otherOrgKey}, bogus...)
	emails := []string{"ada.lovelace@example.com", "john.doe@example.org", "jerome.le-gall@example.net", "form.applicant@example.com", "grace.hopper@", "linked@example.com"}

	calls := []struct {
		name   string
		call   call
		status int
	}{
		{"WelcomeKit create, header token", createCall(rwKey, wkCreateBody(seedJob, emails[0], `"remote_resume_url":"`+link+`/cv.txt"`)), 201},
		{"WelcomeKit list, query token and email filter", call{path: wkCandidates + "?job_reference=" + seedJob + "&access_token=" + readKey + "&email=" + url.QueryEscape(emails[0])}, 200},
		{"WelcomeKit list, my_candidates key in the query", call{path: wkCandidates + "?job_reference=" + seedJob + "&access_token=" + mineKey}, 200},
		{"WelcomeKit bad token in the header", createCall(bogus[0], wkCreateBody(seedJob, emails[0], "")), 401},
		{"WelcomeKit bad token in the query", call{method: http.MethodPost, path: wkCandidates + "?access_token=" + bogus[1], ctype: jsonType, body: wkCreateBody(seedJob, emails[0], "")}, 401},
		{"WelcomeKit invalid email", createCall(rwKey, wkCreateBody(seedJob, emails[4], "")), 400},
		{"WelcomeKit duplicate email", createCall(rwKey, wkCreateBody(seedJob, emails[0], "")), 400},
		{"WelcomeKit wrong scope", createCall(jobsKey, wkCreateBody(seedJob, emails[0], "")), 403},
		{"WelcomeKit foreign organization", createCall(otherOrgKey, wkCreateBody(seedJob, emails[0], "")), 403},
		{"WelcomeKit unknown candidate", call{path: wkCandidates + "/wttj-000000000000000000000000", auth: bearer(rwKey)}, 404},
		{"Flatchr create, header and body token", call{method: http.MethodPost, path: flatchrJSON, auth: bearer(flatchrToken), ctype: jsonType,
			body: `{"token":"` + flatchrToken + `","vacancy":"` + seedVacancy + `","firstname":"john","lastname":"doe","email":"` + emails[1] + `","phone":"+33612345678",` +
				`"type":"document","resume":{"data":"` + resume64 + `","fileName":"cv.txt","contentType":"text/plain"}}`}, 200},
		{"Flatchr create, query tokens", call{method: http.MethodPost, path: flatchrJSON + "?token=" + url.QueryEscape(careersKey) + "&api_key=" + url.QueryEscape(careersKey), ctype: jsonType,
			body: flatchrBody(seedVacancy, `,"email":"`+emails[5]+`","type":"link","resume":"`+link+`/cv.txt"`)}, 200},
		{"Flatchr form, token field", call{method: http.MethodPost, path: flatchrCustom, ctype: formType, header: browser,
			body: url.Values{"token": {flatchrToken}, "vacancy": {seedVacancy}, "firstname": {"Jérôme"}, "lastname": {"Le Gall"}, "email": {emails[2]}, "resume[data]": {resume64}}.Encode()}, 200},
		{"Flatchr bad token in the body", flatchrCall("", `{"token":"`+bogus[2]+`","vacancy":"`+seedVacancy+`","email":"`+emails[3]+`"}`), 401},
		{"Flatchr bad api_key", call{method: http.MethodPost, path: flatchrJSON + "?api_key=" + bogus[3], ctype: jsonType, body: flatchrBody(seedVacancy, "")}, 401},
		{"Flatchr invalid email", flatchrCall(bearer(flatchrToken), flatchrBody(seedVacancy, `,"email":"`+emails[4]+`","resume":{"data":"`+resume64+`"}`)), 400},
		{"Flatchr unknown vacancy", flatchrCall(bearer(flatchrToken), flatchrBody("no-such-vacancy", `,"email":"`+emails[3]+`","resume":{"data":"`+resume64+`"}`)), 404},
		{"Flatchr disagreeing credentials", flatchrCall(bearer(flatchrToken), `{"token":"`+careersKey+`","vacancy":"`+seedVacancy+`"}`), 401},
		{"dashboard sign-in without its form cookie, a key as password", call{method: http.MethodPost, path: "/dashboard/login", ctype: formType, body: url.Values{"email": {"nobody@example.com"}, "password": {rwKey}}.Encode()}, 403},
	}
	ids := map[string]answer{}
	var signatures, files []string
	sigPattern := regexp.MustCompile(`sig=([0-9a-f]{64})`)
	filePattern := regexp.MustCompile(`"(http://[^"]+/files/[^"]+)"`)
	for _, c := range calls {
		a := send(t, base, c.call)
		if c.status != 0 && a.status != c.status {
			t.Errorf("%s: %s, want %d", c.name, a, c.status)
		}
		id := a.header.Get("X-Request-Id")
		if id == "" {
			t.Errorf("%s: no X-Request-Id", c.name)
		}
		ids[id] = a
		for _, m := range sigPattern.FindAllSubmatch(a.body, -1) {
			signatures = append(signatures, string(m[1]))
		}
		for _, m := range filePattern.FindAllSubmatch(a.body, -1) {
			files = append(files, string(m[1]))
		}
	}
	if len(files) == 0 {
		t.Fatal("no signed download URL answered: the check on signatures proves nothing")
	}
	for _, f := range files {
		dl := fetchFile(t, f)
		if dl.status != http.StatusOK || !strings.HasPrefix(string(dl.body), resumeMarker) {
			t.Errorf("download %s: %s", f, dl)
		}
		ids[dl.header.Get("X-Request-Id")] = dl
	}

	// A request line is written once its answer is sent: wait for them all.
	var lines []string
	deadline := time.Now().Add(10 * time.Second)
	for {
		lines = s.Logs()
		logged := map[string]bool{}
		for _, l := range lines {
			var e struct {
				RequestID string `json:"request_id"`
			}
			if json.Unmarshal([]byte(l), &e) == nil {
				logged[e.RequestID] = true
			}
		}
		missing := 0
		for id := range ids {
			if !logged[id] {
				missing++
			}
		}
		if missing == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests were never logged", missing)
		}
		time.Sleep(20 * time.Millisecond)
	}

	t.Run("every line is JSON, every request line has its request id", func(t *testing.T) {
		requests := 0
		for i, l := range lines {
			var e map[string]any
			if err := json.Unmarshal([]byte(l), &e); err != nil {
				t.Errorf("line %d is not JSON: %v\n%s", i+1, err, l)
				continue
			}
			if e["time"] == nil || e["level"] == nil || e["msg"] == nil {
				t.Errorf("line %d lacks time, level or msg: %s", i+1, l)
			}
			if e["msg"] != "request" {
				continue
			}
			requests++
			id, _ := e["request_id"].(string)
			if id == "" || e["method"] == nil || e["path"] == nil || e["status"] == nil {
				t.Errorf("request line %d lacks request_id, method, path or status: %s", i+1, l)
			}
			if a, ok := ids[id]; ok && e["status"] != float64(a.status) {
				t.Errorf("request %s logged with status %v, answered %d", id, e["status"], a.status)
			}
			if strings.Contains(e["path"].(string), "?") {
				t.Errorf("line %d logs a query string: %s", i+1, l)
			}
		}
		if requests < len(ids) {
			t.Errorf("%d request lines for %d requests", requests, len(ids))
		}
	})

	t.Run("no line holds a token, an email, a resume or a signature", func(t *testing.T) {
		var forbidden []string
		for _, s := range secrets {
			forbidden = append(forbidden, s, url.QueryEscape(s), base64.StdEncoding.EncodeToString([]byte(s)))
		}
		forbidden = append(forbidden, resumeMarker, resume64, base64.StdEncoding.EncodeToString([]byte(resumeMarker)), "grace.hopper")
		forbidden = append(forbidden, emails...)
		forbidden = append(forbidden, signatures...)
		slices.Sort(forbidden)
		forbidden = slices.Compact(forbidden)
		emailPattern := regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+`)
		all := append(append([]string{}, lines...), strings.Split(s.Stdout(), "\n")...)
		for i, l := range all {
			for _, f := range forbidden {
				if strings.Contains(l, f) {
					t.Errorf("line %d holds %q: %s", i+1, f, l)
				}
			}
			if m := emailPattern.FindString(l); m != "" {
				t.Errorf("line %d holds the email address %q: %s", i+1, m, l)
			}
		}
	})
}
