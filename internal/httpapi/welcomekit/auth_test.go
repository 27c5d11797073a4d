package welcomekit

import (
	"net/http"
	"testing"
)

const validCreate = `{"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","email":"test@example.com","firstname":"Foo","lastname":"Bar"}`

// TestAuth covers how the key is read: header (any scheme case) or
// access_token, the header winning.
func TestAuth(t *testing.T) {
	tests := []struct {
		name      string
		header    string // Authorization, unset when empty
		query     string
		revoke    bool
		status    int
		wantError string
	}{
		{name: "no token", status: 401, wantError: "missing access token"},
		{name: "unknown token", header: "Bearer nope-nope-nope", status: 401, wantError: "invalid access token"},
		{name: "lowercase bearer", header: "bearer wk-api-key", status: 201},
		{name: "uppercase bearer", header: "BEARER wk-api-key", status: 201},
		{name: "access_token query", query: "?access_token=wk-api-key", status: 201},
		{name: "header wins over a good query", header: "Bearer nope-nope-nope", query: "?access_token=wk-api-key", status: 401, wantError: "invalid access token"},
		{name: "header wins over a bad query", header: "Bearer wk-api-key", query: "?access_token=nope", status: 201},
		{name: "other scheme", header: "Basic d2s6YXBpCg==", query: "?access_token=wk-api-key", status: 401, wantError: "Authorization header must be: Bearer <access token>"},
		{name: "scheme without token", header: "Bearer", status: 401, wantError: "Authorization header must be: Bearer <access token>"},
		{name: "revoked key", header: "Bearer wk-api-key", revoke: true, status: 401, wantError: "invalid access token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if tt.revoke {
				p := principal(t, f, rwToken)
				if err := f.env.Service.RevokeAPIKey(t.Context(), p.Org.Reference, p.Key.ID); err != nil {
					t.Fatal(err)
				}
			}
			req := request{method: http.MethodPost, path: candidates + tt.query, contentType: jsonType, body: validCreate}
			if tt.header != "" {
				req.header = map[string]string{"Authorization": tt.header}
			}
			res := f.do(t, req)
			if tt.status == http.StatusCreated {
				if res.status != tt.status {
					t.Fatalf("status = %d, want %d; body %s", res.status, tt.status, res.body)
				}
				return
			}
			checkError(t, res, tt.status, "unauthorized", tt.wantError)
			if got := res.header.Get("WWW-Authenticate"); got != "Bearer" {
				t.Errorf("WWW-Authenticate = %q", got)
			}
		})
	}
}

// TestScopes checks every endpoint's scope, before the body is read, and
// the my_candidates_rw restriction to the key's own candidates.
func TestScopes(t *testing.T) {
	f := newFixture(t)
	theirs := str(f.create(t, rwToken, nil)["reference"])
	mine := str(f.create(t, mineToken, map[string]any{"email": "mine@example.com"})["reference"])
	const (
		writeScope = "this endpoint requires the candidates_rw or my_candidates_rw scope"
		readScope  = "this endpoint requires a candidates_r(w) or my_candidates_r(w) scope"
	)
	tests := []struct {
		name   string
		req    request
		status int
		// wantError is the error/error_description pair of a failure.
		wantError [2]string
	}{
		{name: "candidates_r cannot create", req: request{method: "POST", path: candidates, token: readToken, contentType: jsonType, body: validCreate},
			status: 403, wantError: [2]string{"invalid_scope", writeScope}},
		{name: "scope checked before the body", req: request{method: "POST", path: candidates, token: readToken, contentType: jsonType, body: `{oops`},
			status: 403, wantError: [2]string{"invalid_scope", writeScope}},
		{name: "candidates_r cannot update", req: request{method: "PUT", path: candidates + "/" + theirs, token: readToken, contentType: jsonType, body: `{"firstname":"X"}`},
			status: 403, wantError: [2]string{"invalid_scope", writeScope}},
		{name: "candidates_r reads", req: request{path: candidates + "/" + theirs, token: readToken}, status: 200},
		{name: "candidates_r lists", req: request{path: candidates + "?job_reference=" + seedJob, token: readToken}, status: 200},
		{name: "jobs_r cannot read", req: request{path: candidates + "/" + theirs, token: jobsToken},
			status: 403, wantError: [2]string{"invalid_scope", readScope}},
		{name: "jobs_r cannot list", req: request{path: candidates + "?job_reference=" + seedJob, token: jobsToken},
			status: 403, wantError: [2]string{"invalid_scope", readScope}},
		{name: "my_candidates_rw reads its own", req: request{path: candidates + "/" + mine, token: mineToken}, status: 200},
		{name: "my_candidates_rw cannot read others", req: request{path: candidates + "/" + theirs, token: mineToken},
			status: 404, wantError: [2]string{"not_found", "Candidate not found"}},
		{name: "my_candidates_rw cannot update others", req: request{method: "PUT", path: candidates + "/" + theirs, token: mineToken, contentType: jsonType, body: `{"firstname":"X"}`},
			status: 404, wantError: [2]string{"not_found", "Candidate not found"}},
		{name: "my_candidates_rw updates its own", req: request{method: "PUT", path: candidates + "/" + mine, token: mineToken, contentType: jsonType, body: `{"firstname":"X"}`}, status: 200},
		{name: "other organization cannot read", req: request{path: candidates + "/" + theirs, token: otherToken},
			status: 404, wantError: [2]string{"not_found", "Candidate not found"}},
		{name: "other organization cannot update", req: request{method: "PUT", path: candidates + "/" + theirs, token: otherToken, contentType: jsonType, body: `{"firstname":"X"}`},
			status: 404, wantError: [2]string{"not_found", "Candidate not found"}},
		{name: "other organization cannot list the job", req: request{path: candidates + "?job_reference=" + seedJob, token: otherToken},
			status: 404, wantError: [2]string{"not_found", "Job not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.do(t, tt.req)
			if tt.status == http.StatusOK {
				if res.status != http.StatusOK {
					t.Fatalf("status = %d, want 200; body %s", res.status, res.body)
				}
				return
			}
			checkError(t, res, tt.status, tt.wantError[0], tt.wantError[1])
		})
	}

	t.Run("my_candidates_rw lists only its own", func(t *testing.T) {
		res := f.do(t, request{path: candidates + "?job_reference=" + seedJob, token: mineToken})
		list := jsonList(t, res.body)
		if len(list) != 1 || list[0]["reference"] != mine || res.header.Get("X-Total") != "1" {
			t.Errorf("got %d candidates (X-Total %s), want only %s", len(list), res.header.Get("X-Total"), mine)
		}
	})
}
