package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// searchRow is a search result with the default members.
type searchRow struct {
	Applicant  string `json:"applicant"`
	Vacancy    string `json:"vacancy"`
	Column     string `json:"column"`
	ExternalID string `json:"external_id"`
	Firstname  string `json:"firstname"`
	Lastname   string `json:"lastname"`
	Email      string `json:"email"`
	Phone      string `json:"phone"`
	CreatedAt  string `json:"created_at"`
	Source     string `json:"source"`
	Status     int    `json:"status"`
}

var searchKeys = "applicant,vacancy,column,external_id,firstname,lastname,email,phone,created_at,source,status"

func searchPath(company string) string { return "/company/" + company + "/search/applicants" }

// search posts a search body and decodes the rows.
func search(t testing.TB, base, auth, body string) []searchRow {
	t.Helper()
	got := send(t, base, call{method: http.MethodPost, path: searchPath(acmeCompany), auth: auth, ctype: jsonType, body: body})
	if got.status != http.StatusOK {
		t.Fatalf("search %s: %s", body, got)
	}
	var rows []searchRow
	if err := json.Unmarshal(got.body, &rows); err != nil {
		t.Fatalf("search answer: %v: %s", err, got.body)
	}
	return rows
}

// flatchrCreate applies through the Flatchr create and returns the answer.
func flatchrApply(t testing.TB, base, vacancy, email, extra string) map[string]any {
	t.Helper()
	got := send(t, base, call{method: http.MethodPost, path: flatchrJSON, auth: bearer(rwKey), ctype: jsonType,
		body: flatchrBody(vacancy, `,"email":"`+email+`","phone":"+33 6 37 89 87 57","offerer_id":75`+extra+doc64([]byte("cv"), "cv.txt", "text/plain"))})
	if got.status != http.StatusOK {
		t.Fatalf("create %s: %s", email, got)
	}
	return object(t, got.body)
}

func applicantPath(vacancyKey, applicant string) string {
	return "/company/" + acmeCompany + "/vacancy/" + vacancyKey + "/applicant/" + applicant
}

// TestFlatchrConnectorCycle replays what an HR-data connector does: create,
// search by email to learn the applicant id, move, comment, add a trait,
// archive, and search again to see it archived; with an API key and with a
// user token.
func TestFlatchrConnectorCycle(t *testing.T) {
	s, _ := startUsersBB(t)
	for _, cred := range []struct{ name, auth string }{
		{"API key", bearer(rwKey)},
		{"API key without a scheme", rwKey},
		{"user token", bearer(login(t, s.URL, recruiterEmail, userPassword))},
	} {
		t.Run(cred.name, func(t *testing.T) {
			email := strings.ReplaceAll(strings.ToLower(cred.name), " ", ".") + "@example.com"
			created := flatchrApply(t, s.URL, seedVacancy, email, "")
			vacancyKey := created["vacancy"].(map[string]any)["id"].(string)

			rows := search(t, s.URL, cred.auth, `{"email":"`+strings.ToUpper(email)+`"}`)
			today := time.Now().In(paris(t)).Format("02/01/06")
			want := []searchRow{{Applicant: created["applicant"].(string), Vacancy: "Technicien métrologue H/F", Column: "Nouveau",
				Firstname: "jane", Lastname: "doe", Email: email, Phone: "+33 6 37 89 87 57", CreatedAt: today, Source: "Career site", Status: 1}}
			if len(rows) != 1 || rows[0] != want[0] {
				t.Fatalf("search by email = %+v, want %+v", rows, want)
			}
			id := rows[0].Applicant

			got := send(t, s.URL, call{method: http.MethodPut, path: applicantPath(vacancyKey, id), auth: cred.auth, ctype: jsonType, body: `{"column_id":14600}`})
			if got.status != http.StatusOK {
				t.Fatalf("move: %s", got)
			}
			moved := object(t, got.body)
			if moved["id"] != id || moved["column_id"] != float64(14600) || moved["status"] != float64(1) || moved["vacancy_id"] != vacancyKey {
				t.Fatalf("move answer: %s", got.body)
			}
			if keys := strings.Join(objectKeys(t, got.body), ","); keys != "id,vacancy_id,column_id,score,comment,created_at,updated_at,status,view,anonym,external_id,candidate,column,vacancy,foreigner,applies" {
				t.Fatalf("move answer members: %s", keys)
			}
			if rows := search(t, s.URL, cred.auth, `{"email":"`+email+`"}`); rows[0].Column != "Refusé" {
				t.Fatalf("after the move, search shows column %q", rows[0].Column)
			}

			// The connector then enriches the applicant: a comment and a trait.
			base := "/company/" + acmeCompany + "/applicant/" + id
			got = send(t, s.URL, call{method: http.MethodPost, path: base + "/comment", auth: cred.auth, ctype: jsonType, body: `{"text":"Vu en entretien","private":false}`})
			if got.status != http.StatusOK || object(t, got.body)["text"] == nil {
				t.Fatalf("comment: %s", got)
			}
			got = send(t, s.URL, call{path: base + "/comments", auth: cred.auth})
			if got.status != http.StatusOK || !strings.Contains(string(got.body), "Vu en entretien") {
				t.Fatalf("comments: %s", got)
			}
			got = send(t, s.URL, call{method: http.MethodPost, path: base + "/trait", auth: cred.auth, ctype: jsonType, body: `{"tag":"5gQayv9L1Qp6LXE4","value":"Bac +3"}`})
			if got.status != http.StatusOK || object(t, got.body)["value"] != "Bac +3" {
				t.Fatalf("trait: %s", got)
			}
			got = send(t, s.URL, call{path: base + "/traits", auth: cred.auth})
			if got.status != http.StatusOK || !strings.Contains(string(got.body), `"value":"Bac +3"`) {
				t.Fatalf("traits: %s", got)
			}

			first := send(t, s.URL, call{method: http.MethodDelete, path: applicantPath(vacancyKey, id), auth: cred.auth})
			again := send(t, s.URL, call{method: http.MethodDelete, path: applicantPath(vacancyKey, id), auth: cred.auth})
			// The signed résumé URL expires a fixed time after each answer,
			// so two answers a second apart differ there and nowhere else.
			unsigned := func(b []byte) string { return signedURLQuery.ReplaceAllString(string(b), "exp=EXP&sig=SIG") }
			if first.status != http.StatusOK || again.status != http.StatusOK || unsigned(first.body) != unsigned(again.body) {
				t.Fatalf("archive twice:\n%s\n%s", first, again)
			}
			archived := object(t, first.body)
			if archived["status"] != float64(0) || rawField(t, first.body, "datas") == nil || string(rawField(t, first.body, "datas")) != "[]" {
				t.Fatalf("archive answer: %s", first.body)
			}
			if rows := search(t, s.URL, cred.auth, `{"email":"`+email+`"}`); len(rows) != 1 || rows[0].Status != 0 {
				t.Fatalf("after the archive, search shows %+v", rows)
			}
			// The read answers the same applicant, with or without the vacancy.
			for _, path := range []string{applicantPath(vacancyKey, id), "/company/" + acmeCompany + "/applicant/" + id} {
				got := send(t, s.URL, call{path: path, auth: cred.auth})
				if got.status != http.StatusOK || object(t, got.body)["status"] != float64(0) {
					t.Fatalf("GET %s: %s", path, got)
				}
			}
		})
	}
}

func paris(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestFlatchrSearch covers every filter, the date rules and ?fields=, as an
// ERP sync uses them.
func TestFlatchrSearch(t *testing.T) {
	s, _ := startUsersBB(t)
	auth := bearer(rwKey)
	a := flatchrApply(t, s.URL, seedVacancy, "ana@example.com", `,"firstname":"Ana","lastname":"Lopez"`)
	b := flatchrApply(t, s.URL, salesVacancy, "ben@example.com", `,"firstname":"Ben","lastname":"Lopez","answers":[{"question":"why","value":"growth"}]`)
	salesKey := b["vacancy"].(map[string]any)["id"].(string)
	seedKey := a["vacancy"].(map[string]any)["id"].(string)
	if got := send(t, s.URL, call{method: http.MethodPut, path: applicantPath(seedKey, a["applicant"].(string)), auth: auth, ctype: formType, body: "column_id=14600"}); got.status != http.StatusOK {
		t.Fatalf("move: %s", got)
	}
	now := time.Now().In(paris(t))
	today, yesterday, tomorrow := now.Format("01/02/06"), now.AddDate(0, 0, -1).Format("01/02/06"), now.AddDate(0, 0, 1).Format("01/02/06")
	names := func(rows []searchRow) string {
		var out []string
		for _, r := range rows {
			out = append(out, r.Firstname)
		}
		return strings.Join(out, ",")
	}
	tests := []struct {
		name, body, want string
	}{
		{"everything", `{}`, "Ana,Ben"},
		{"lastname, any case", `{"lastname":"LOPEZ"}`, "Ana,Ben"},
		{"firstname", `{"firstname":"ben"}`, "Ben"},
		{"email", `{"email":"ana@example.com"}`, "Ana"},
		{"empty filters do not filter", `{"email":"","firstname":""}`, "Ana,Ben"},
		{"column", `{"column":"refusé"}`, "Ana"},
		{"colum, the seed's spelling", `{"colum":"Nouveau"}`, "Ben"},
		{"hired, as the docs send it", `{"hired":"true"}`, ""},
		{"not hired", `{"hired":false}`, "Ana,Ben"},
		{"vacancy by encoded id", `{"vacancy":"` + salesKey + `"}`, "Ben"},
		{"vacancy by encoded id in lowercase", `{"vacancy":"` + strings.ToLower(salesKey) + `"}`, "Ben"},
		{"own company", `{"company":"` + acmeCompany + `"}`, "Ana,Ben"},
		{"start today, MM/DD/YY", `{"start":"` + today + `"}`, "Ana,Ben"},
		{"start tomorrow", `{"start":"` + tomorrow + `"}`, ""},
		{"end today is inclusive", `{"end":"` + today + `"}`, "Ana,Ben"},
		{"end yesterday", `{"end":"` + yesterday + `"}`, ""},
		{"between yesterday and tomorrow, ISO", `{"start":"` + now.AddDate(0, 0, -1).Format("2006-01-02") + `","end":"` + now.AddDate(0, 0, 1).Format("2006-01-02") + `"}`, "Ana,Ben"},
		{"start with a four-digit year", `{"start":"` + now.Format("01/02/2006") + `"}`, "Ana,Ben"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := names(search(t, s.URL, auth, tt.body)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	// Filters in the query string, as the docs' tables say ("In: query").
	got := send(t, s.URL, call{method: http.MethodPost, path: searchPath(acmeCompany) + "?firstname=Ben", auth: auth})
	if got.status != http.StatusOK || !strings.Contains(string(got.body), `"firstname":"Ben"`) || strings.Contains(string(got.body), "Ana") {
		t.Fatalf("query filter: %s", got)
	}
	// Default members, in the vendor's order.
	got = send(t, s.URL, call{method: http.MethodPost, path: searchPath(acmeCompany), auth: auth, ctype: jsonType, body: `{"firstname":"Ana"}`})
	var rows []json.RawMessage
	if err := json.Unmarshal(got.body, &rows); err != nil || len(rows) != 1 {
		t.Fatalf("search: %s", got)
	}
	if keys := strings.Join(objectKeys(t, rows[0]), ","); keys != searchKeys {
		t.Fatalf("members %s, want %s", keys, searchKeys)
	}
	// ?fields= picks members and their order, ours included.
	got = send(t, s.URL, call{method: http.MethodPost, path: searchPath(acmeCompany) + "?fields=email,column_id,vacancy_id,updated_at,status",
		auth: auth, ctype: jsonType, body: `{"firstname":"Ana"}`})
	if err := json.Unmarshal(got.body, &rows); err != nil || len(rows) != 1 {
		t.Fatalf("search: %s", got)
	}
	if keys := strings.Join(objectKeys(t, rows[0]), ","); keys != "email,column_id,vacancy_id,updated_at,status" {
		t.Fatalf("fields members %s", keys)
	}
	if !strings.Contains(string(rows[0]), `"column_id":14600,"vacancy_id":"`+seedKey+`"`) {
		t.Fatalf("fields row %s", rows[0])
	}

	bad := []struct {
		name, path, body string
		status           int
		message          string
	}{
		{"unknown field", searchPath(acmeCompany) + "?fields=email,salary", `{}`, 400,
			`fields has an unknown field "salary" (known: applicant, vacancy, column, external_id, firstname, lastname, email, phone, created_at, source, status, vacancy_id, column_id, candidate_id, hired, updated_at, reference)`},
		{"bad date", searchPath(acmeCompany), `{"start":"31/31/21"}`, 400, "start must be a date as MM/DD/YY (or DD/MM/YY, YYYY-MM-DD)"},
		{"no such day", searchPath(acmeCompany), `{"end":"02/30/22"}`, 400, "end must be a date as MM/DD/YY (or DD/MM/YY, YYYY-MM-DD)"},
		{"hired not a boolean", searchPath(acmeCompany), `{"hired":"maybe"}`, 400, "hired must be true or false"},
		{"email not a string", searchPath(acmeCompany), `{"email":["a"]}`, 400, "email must be a string"},
		{"body not an object", searchPath(acmeCompany), `[]`, 400, "the body must be a JSON object"},
		{"unknown vacancy", searchPath(acmeCompany), `{"vacancy":"NoSuchVacancy000"}`, 404, "vacancy not found"},
		{"another company in the body", searchPath(acmeCompany), `{"company":"SomeOtherCompany"}`, 404, "company not found"},
		{"another company in the path", searchPath("SomeOtherCompany"), `{}`, 404, "company not found"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			got := send(t, s.URL, call{method: http.MethodPost, path: tt.path, auth: auth, ctype: jsonType, body: tt.body})
			checkAnswer(t, got, tt.status, hapiError(tt.status, tt.message))
		})
	}
	// DD/MM/YY when the first part cannot be a month: the 25th of
	// December, whatever today is, finds no one created today unless
	// today is after it.
	if got := send(t, s.URL, call{method: http.MethodPost, path: searchPath(acmeCompany), auth: auth, ctype: jsonType, body: `{"start":"25/12/99"}`}); got.status != http.StatusOK || string(got.body) != "[]" {
		t.Fatalf("DD/MM/YY start in 2099: %s", got)
	}
}

// TestFlatchrMoveAndArchiveErrors: every refusal of the move and archive
// calls, in the hapi shape; nothing is changed by a refused call.
func TestFlatchrMoveAndArchiveErrors(t *testing.T) {
	s, _ := startUsersBB(t)
	auth := bearer(rwKey)
	a := flatchrApply(t, s.URL, seedVacancy, "ana@example.com", "")
	seedKey, id := a["vacancy"].(map[string]any)["id"].(string), a["applicant"].(string)
	b := flatchrApply(t, s.URL, salesVacancy, "ben@example.com", `,"answers":[{"question":"why","value":"growth"}]`)
	salesKey := b["vacancy"].(map[string]any)["id"].(string)
	viewer := bearer(login(t, s.URL, viewerEmail, userPassword))
	tests := []struct {
		name, method, path, auth, ctype, body string
		status                                int
		message                               string
	}{
		{"another job's column", "PUT", applicantPath(seedKey, id), auth, jsonType, `{"column_id":50}`, 400, "column_id is not a column of this vacancy"},
		{"unknown column", "PUT", applicantPath(seedKey, id), auth, jsonType, `{"column_id":999999}`, 400, "column_id is not a column of this vacancy"},
		{"no column", "PUT", applicantPath(seedKey, id), auth, jsonType, `{}`, 400, "column_id is required"},
		{"column not a number", "PUT", applicantPath(seedKey, id), auth, jsonType, `{"column_id":"first"}`, 400, "column_id must be a positive integer"},
		{"negative column", "PUT", applicantPath(seedKey, id), auth, formType, `column_id=-3`, 400, "column_id must be a positive integer"},
		{"unknown applicant", "PUT", applicantPath(seedKey, "NoSuchApplicant0"), auth, jsonType, `{"column_id":14600}`, 404, "applicant not found"},
		{"applicant of another vacancy", "PUT", applicantPath(salesKey, id), auth, jsonType, `{"column_id":50}`, 404, "applicant not found"},
		{"another company", "PUT", "/company/SomeOtherCompany/vacancy/" + seedKey + "/applicant/" + id, auth, jsonType, `{"column_id":14600}`, 404, "company not found"},
		{"another organization's key", "PUT", applicantPath(seedKey, id), bearer(otherOrgKey), jsonType, `{"column_id":14600}`, 404, "company not found"},
		{"read-only key", "PUT", applicantPath(seedKey, id), bearer(readKey), jsonType, `{"column_id":14600}`, 403, "this endpoint requires the candidates_rw or my_candidates_rw scope"},
		// A user is refused by its role, a key by its scopes.
		{"viewer", "PUT", applicantPath(seedKey, id), viewer, jsonType, `{"column_id":14600}`, 403, "Changing candidates is not allowed with the viewer role; it takes one of: owner, admin or recruiter. Ask an administrator of your organization."},
		{"viewer archives", "DELETE", applicantPath(seedKey, id), viewer, "", "", 403, "Changing candidates is not allowed with the viewer role; it takes one of: owner, admin or recruiter. Ask an administrator of your organization."},
		{"archive unknown applicant", "DELETE", applicantPath(seedKey, "NoSuchApplicant0"), auth, "", "", 404, "applicant not found"},
		{"no credential", "DELETE", applicantPath(seedKey, id), "", "", "", 401, "missing API key: send it as token, ?token= or Authorization: Bearer"},
		{"XML body", "PUT", applicantPath(seedKey, id), auth, "application/xml", `<column_id>1</column_id>`, 415, "Content-Type must be application/json or application/x-www-form-urlencoded"},
		{"body too large", "PUT", applicantPath(seedKey, id), auth, jsonType, `{"x":"` + strings.Repeat("a", 100<<10) + `"}`, 413, "the request body is too large (maximum 81920 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := send(t, s.URL, call{method: tt.method, path: tt.path, auth: tt.auth, ctype: tt.ctype, body: tt.body})
			checkAnswer(t, got, tt.status, hapiError(tt.status, tt.message))
		})
	}
	rows := search(t, s.URL, auth, `{"email":"ana@example.com"}`)
	if rows[0].Column != "Nouveau" || rows[0].Status != 1 {
		t.Fatalf("a refused call changed the applicant: %+v", rows[0])
	}
	// The docs' example body is not JSON; it is accepted all the same.
	got := send(t, s.URL, call{method: http.MethodPut, path: applicantPath(seedKey, id), auth: auth, ctype: jsonType, body: `{column_id:14600}`})
	if got.status != http.StatusOK || object(t, got.body)["column_id"] != float64(14600) {
		t.Fatalf("the docs' example body: %s", got)
	}
}

func TestFlatchrMembers(t *testing.T) {
	s, _ := startUsersBB(t)
	path := "/company/" + acmeCompany + "/members"
	got := send(t, s.URL, call{path: path + "?fields=user", auth: bearer(rwKey)})
	var members []struct {
		ID     string `json:"id"`
		RoleID int    `json:"role_id"`
		Role   string `json:"role"`
		User   struct {
			UserID    int64  `json:"user_id"`
			Email     string `json:"email"`
			Firstname string `json:"firstname"`
			Lastname  string `json:"lastname"`
			Status    int    `json:"status"`
			Company   string `json:"company"`
		} `json:"user"`
	}
	if got.status != http.StatusOK || json.Unmarshal(got.body, &members) != nil || len(members) != 4 {
		t.Fatalf("members: %s", got)
	}
	var summary []string
	for _, m := range members {
		if !encodedID.MatchString(m.ID) {
			t.Fatalf("member id %q", m.ID)
		}
		summary = append(summary, m.User.Email+" "+m.User.Firstname+" "+m.User.Lastname+" "+m.Role+" "+strconv.Itoa(m.RoleID)+" "+strconv.Itoa(m.User.Status)+" "+m.User.Company)
	}
	want := "owner@acme.example Olga Owner owner 1 1 Acme Métrologie|recruiter@acme.example Rémi Recruteur recruiter 3 1 Acme Métrologie|" +
		"viewer@acme.example Vera Viewer viewer 4 1 Acme Métrologie|gone@acme.example Gone Away admin 2 0 Acme Métrologie"
	if strings.Join(summary, "|") != want {
		t.Fatalf("members:\n%s\nwant\n%s", strings.Join(summary, "|"), want)
	}
	if strings.Contains(string(got.body), "$2") || strings.Contains(string(got.body), "password") {
		t.Fatalf("members leak a password hash: %s", got.body)
	}
	// Without fields=user, no user object; another company's is 404.
	got = send(t, s.URL, call{path: path, auth: bearer(login(t, s.URL, viewerEmail, userPassword))})
	if got.status != http.StatusOK || strings.Contains(string(got.body), `"user"`) {
		t.Fatalf("members without fields: %s", got)
	}
	checkAnswer(t, send(t, s.URL, call{path: path, auth: bearer(otherOrgKey)}), 404, hapiError(404, "company not found"))
}

func TestFlatchrMetaInformation(t *testing.T) {
	s, _ := startUsersBB(t)
	auth := bearer(rwKey)
	a := flatchrApply(t, s.URL, seedVacancy, "ana@example.com", "")
	path := "/company/" + acmeCompany + "/search/candidate"
	answer := func(action string) string {
		return `{"statusCode":200,"message":{"resource_type":"attribute","action":"` + action + `"}}`
	}
	body := func(ref, value string) string {
		return `{"app_name":"parser","reference":"` + ref + `","type":"applicants","name":"parsing","value":` + value + `}`
	}
	checkAnswer(t, send(t, s.URL, call{method: http.MethodPost, path: path, auth: auth, ctype: jsonType, body: body("ANA@example.com", `{"skills":["go"]}`)}), 200, answer("created"))
	checkAnswer(t, send(t, s.URL, call{method: http.MethodPost, path: path, auth: auth, ctype: jsonType, body: body(a["applicant"].(string), `{"skills":["go","sql"]}`)}), 200, answer("updated"))
	// The candidate id, as real clients send it, names the same person.
	got := send(t, s.URL, call{path: "/company/" + acmeCompany + "/applicant/" + a["applicant"].(string), auth: auth})
	candidateID := int64(object(t, got.body)["candidate"].(map[string]any)["candidate_id"].(float64))
	checkAnswer(t, send(t, s.URL, call{method: http.MethodPost, path: path, auth: auth, ctype: jsonType,
		body: body(strconv.FormatInt(candidateID, 10), `{"skills":[]}`)}), 200, answer("updated"))
	// A form sends the value as JSON text.
	checkAnswer(t, send(t, s.URL, call{method: http.MethodPost, path: path, auth: auth, ctype: formType,
		body: "app_name=parser&reference=ana%40example.com&type=applicants&name=other&value=%7B%22a%22%3A1%7D"}), 200, answer("created"))

	bad := []struct {
		name, auth, body string
		status           int
		message          string
	}{
		{"unknown email", auth, body("nobody@example.com", `{}`), 404, "candidate not found"},
		{"unknown candidate id", auth, body("99999", `{}`), 404, "candidate not found"},
		{"another organization's candidate", bearer(otherOrgKey), body("ana@example.com", `{}`), 404, "company not found"},
		{"no reference", auth, `{"value":{}}`, 400, "reference is required: the candidate's email or id"},
		{"no value", auth, `{"reference":"ana@example.com"}`, 400, "value is required"},
		{"value not an object", auth, body("ana@example.com", `"text"`), 400, "value must be an object"},
		{"value an array", auth, body("ana@example.com", `[1]`), 400, "value must be an object"},
		{"viewer", bearer(login(t, s.URL, viewerEmail, userPassword)), body("ana@example.com", `{}`), 403, "Changing candidates is not allowed with the viewer role; it takes one of: owner, admin or recruiter. Ask an administrator of your organization."},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			got := send(t, s.URL, call{method: http.MethodPost, path: path, auth: tt.auth, ctype: jsonType, body: tt.body})
			checkAnswer(t, got, tt.status, hapiError(tt.status, tt.message))
		})
	}
}

// signedURLQuery is the expiry and signature of a signed download URL.
var signedURLQuery = regexp.MustCompile(`exp=[0-9]+&sig=[0-9a-f]{64}`)
