package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// managementEndpoints are the Flatchr management calls, aimed at the
// applicant applicant of the seed vacancy (encoded id vacancyKey).
func managementEndpoints(vacancyKey, applicant string) []endpoint {
	company := "/company/" + acmeCompany
	return []endpoint{
		{name: "Flatchr search", flatchr: true, build: func(p placement) call {
			return call{method: http.MethodPost, path: withQuery(company+"/search/applicants", p.queryString(true)), auth: p.header, ctype: jsonType, body: `{"email":"target@example.com"}`}
		}},
		{name: "Flatchr read", flatchr: true, build: func(p placement) call {
			return call{path: withQuery(applicantPath(vacancyKey, applicant), p.queryString(true)), auth: p.header}
		}},
		{name: "Flatchr members", flatchr: true, build: func(p placement) call {
			return call{path: withQuery(company+"/members?fields=user", p.queryString(true)), auth: p.header}
		}},
		{name: "Flatchr move", flatchr: true, write: true, build: func(p placement) call {
			return call{method: http.MethodPut, path: withQuery(applicantPath(vacancyKey, applicant), p.queryString(true)), auth: p.header, ctype: jsonType, body: `{"column_id":14600}`}
		}},
		{name: "Flatchr archive", flatchr: true, write: true, build: func(p placement) call {
			return call{method: http.MethodDelete, path: withQuery(applicantPath(vacancyKey, applicant), p.queryString(true)), auth: p.header}
		}},
		{name: "Flatchr meta", flatchr: true, write: true, build: func(p placement) call {
			return call{method: http.MethodPost, path: withQuery(company+"/search/candidate", p.queryString(true)), auth: p.header, ctype: jsonType,
				body: `{"reference":"target@example.com","app_name":"a","type":"t","name":"n","value":{}}`}
		}},
	}
}

// TestAccessMatrixUserTokens sends every endpoint of both dialects user
// tokens of each role, and tokens that must be refused: a disabled user's,
// an expired one, another company's user's, one signed with another key.
func TestAccessMatrixUserTokens(t *testing.T) {
	s, data := startUsersBB(t)
	base := s.URL
	target := wkCreate(t, base, rwKey, wkCreateBody(seedJob, "target@example.com", ""))
	rows := search(t, base, bearer(rwKey), `{"email":"target@example.com"}`)
	read := send(t, base, call{path: "/company/" + acmeCompany + "/applicant/" + rows[0].Applicant, auth: bearer(rwKey)})
	vacancyKey := object(t, read.body)["vacancy_id"].(string)

	owner := login(t, base, ownerEmail, userPassword)
	recruiter := login(t, base, recruiterEmail, userPassword)
	viewer := login(t, base, viewerEmail, userPassword)
	globex := login(t, base, globexEmail, userPassword)
	out := runBinary(t, "users", "create", "--data", data, "--org", acmeOrg, "--email", "leaver@acme.example", "--role", "admin")
	i := strings.Index(out, "password: ")
	pw, _, _ := strings.Cut(out[i+len("password: "):], "\n")
	disabled := login(t, base, "leaver@acme.example", pw)
	runBinary(t, "users", "disable", "--data", data, "--org", acmeOrg, "--user", "leaver@acme.example")
	claims := tokenClaims(t, owner)
	claims["exp"] = time.Now().Add(-time.Minute).Unix()
	expired := forgedToken(t, data, claims)
	otherOrg := tokenClaims(t, owner)
	otherOrg["org"] = tokenClaims(t, globex)["org"]
	wrongOrg := forgedToken(t, data, otherOrg)
	otherKey, err := jwt.NewWithClaims(jwt.SigningMethodHS256, tokenClaims(t, owner)).SignedString([]byte("not the server's key, 32 bytes!!"))
	if err != nil {
		t.Fatal(err)
	}

	// A user is refused by its role (intake.Principal.Require), an API key
	// by its scopes.
	const writeRole = "Changing candidates is not allowed with the viewer role; it takes one of: owner, admin or recruiter. Ask an administrator of your organization."
	wk, fl, ok := wkOutcome, flatchrOutcome, success
	refused := func(msg string) func(e endpoint) outcome {
		return func(e endpoint) outcome {
			if e.flatchr {
				return fl(401, msg)
			}
			return wk(401, "unauthorized", msg)
		}
	}
	kinds := []struct {
		name  string
		token string
		want  func(e endpoint) outcome
	}{
		{"owner", owner, func(endpoint) outcome { return ok }},
		{"recruiter", recruiter, func(endpoint) outcome { return ok }},
		{"viewer", viewer, func(e endpoint) outcome {
			switch {
			case e.write && e.flatchr:
				return fl(403, writeRole)
			case e.write:
				return wk(403, "invalid_scope", writeRole)
			}
			return ok
		}},
		{"disabled user", disabled, refused("invalid access token")},
		{"expired token", expired, refused("token expired")},
		{"token naming another company", wrongOrg, refused("invalid access token")},
		{"token signed with another key", otherKey, refused("invalid access token")},
		{"another company's user", globex, func(e endpoint) outcome {
			switch {
			case e.name == "WelcomeKit create":
				return wk(403, "unauthorized", "You are not member of this organization")
			case e.name == "WelcomeKit list":
				return wk(404, "not_found", "Job not found")
			case !e.flatchr:
				return wk(404, "not_found", "Candidate not found")
			case strings.HasPrefix(e.name, "Flatchr json"), strings.HasPrefix(e.name, "Flatchr custom"), strings.HasPrefix(e.name, "Flatchr test"):
				return fl(404, "vacancy not found")
			}
			return fl(404, "company not found")
		}},
	}
	endpoints := append(accessEndpoints(target), managementEndpoints(vacancyKey, rows[0].Applicant)...)
	for _, kind := range kinds {
		for _, e := range endpoints {
			for _, place := range []placement{{header: bearer(kind.token)}, {token: kind.token}} {
				if place.token != "" && !e.flatchr {
					continue // WelcomeKit's query parameter is covered by the main matrix
				}
				name := kind.name + "/" + e.name
				if place.token != "" {
					name += "/in the query"
				}
				t.Run(name, func(t *testing.T) {
					want := kind.want(e)
					got := send(t, base, e.build(place))
					if want.body == "" {
						if got.status != e.successStatus() {
							t.Fatalf("got %s, want %d", got, e.successStatus())
						}
						return
					}
					checkAnswer(t, got, want.status, want.body)
				})
			}
		}
	}
	// A user token and an API key of the same request must agree.
	got := send(t, base, call{method: http.MethodPost, path: "/company/" + acmeCompany + "/search/applicants?token=" + rwKey, auth: bearer(owner), ctype: jsonType, body: `{}`})
	checkAnswer(t, got, 401, hapiError(401, "the request carries credentials of different API keys"))
}
