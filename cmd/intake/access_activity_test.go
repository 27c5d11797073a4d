package main

import (
	"net/http"
	"testing"
)

// TestActivityAccess checks every WelcomeKit activity endpoint against
// every kind of key, keys made with `intake keys create --scopes`: the
// documented status and exact error body (spec welcomekit §1 Scopes, §6–§8).
func TestActivityAccess(t *testing.T) {
	s, data := startBB(t)
	base := s.URL
	full := createKey(t, data, acmeOrg, "candidates_rw,moves_r,documents_rw,comments_w,emails_rw")
	reader := createKey(t, data, acmeOrg, "candidates_r,documents_r,emails_r,comments_w,moves_r")
	noCandidates := createKey(t, data, acmeOrg, "moves_r,documents_rw,comments_w,emails_rw")
	otherFull := createKey(t, data, otherOrg, "candidates_rw,moves_r,documents_rw,comments_w,emails_rw")
	created := send(t, base, call{method: http.MethodPost, path: wkCandidates, auth: bearer(rwKey), ctype: jsonType,
		body: `{"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","firstname":"A","lastname":"B","email":"access-activity@example.com"}`})
	if created.status != http.StatusCreated {
		t.Fatalf("create: %s", created)
	}
	ref := object(t, created.body)["reference"].(string)

	wk := func(status int, code, desc string) outcome { return outcome{status, wkError(code, desc)} }
	scope := func(names string) outcome {
		return wk(403, "invalid_scope", "this endpoint requires one of the scopes "+names)
	}
	candRead := scope("candidates_r, candidates_rw, my_candidates_r, my_candidates_rw")
	candWrite := scope("candidates_rw, my_candidates_rw")
	notFound := wk(404, "not_found", "Candidate not found")
	email := `{"candidate_reference":"` + ref + `","subject":"s","body":"b","from_email":"hr@acme.test","to":"a@example.com"}`
	tests := []struct {
		name string
		c    call
		ok   int
		want map[string]outcome // by key; a missing key is success with ok
	}{
		{"moves", call{path: wkAPI + "/moves?organization_reference=Pg4eV6k&job_reference=WTTJ_KmqkD1Y"}, 200, map[string]outcome{
			rwKey: scope("moves_r"), readKey: scope("moves_r"),
			otherFull: wk(403, "unauthorized", "You are not member of this organization")}},
		{"documents list", call{path: wkAPI + "/documents?candidate_reference=" + ref}, 200, map[string]outcome{
			rwKey: scope("documents_r, documents_rw"), readKey: scope("documents_r, documents_rw"),
			noCandidates: candRead, otherFull: notFound}},
		{"documents create", call{method: http.MethodPost, path: wkAPI + "/documents", ctype: jsonType, body: `{"candidate_reference":"` + ref + `"}`}, 400, map[string]outcome{
			rwKey: scope("documents_rw"), readKey: scope("documents_rw"), reader: scope("documents_rw"), noCandidates: candWrite}},
		{"comment", call{method: http.MethodPost, path: wkAPI + "/comments", ctype: jsonType, body: `{"candidate_reference":"` + ref + `","content":"hi"}`}, 201, map[string]outcome{
			rwKey: scope("comments_w"), readKey: scope("comments_w"), noCandidates: candRead, otherFull: notFound}},
		{"emails list", call{path: wkAPI + "/emails?candidate_reference=" + ref}, 200, map[string]outcome{
			rwKey: scope("emails_r, emails_rw"), readKey: scope("emails_r, emails_rw"), noCandidates: candRead, otherFull: notFound}},
		{"email create", call{method: http.MethodPost, path: wkAPI + "/emails", ctype: jsonType, body: email}, 201, map[string]outcome{
			rwKey: scope("emails_rw"), readKey: scope("emails_rw"), reader: scope("emails_rw"), noCandidates: candWrite, otherFull: notFound}},
	}
	keys := []string{"", "wk-no-such-key", rwKey, readKey, full, reader, noCandidates, otherFull}
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
}
