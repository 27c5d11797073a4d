package flatchr

import (
	"net/http"
	"strings"
	"testing"

	"intake"
)

// doc is a valid document resume.
const doc = `"type":"document","resume":{"data":"SGVsbG8h","fileName":"cv.txt","contentType":"text/plain"}`

// elf is the start of an ELF executable, sent as a PDF.
const elf = "f0VMRgIBAQAAAAAAAAAAAAIAPgABAAAAQBBAAAAAAABAAAAAAAAAAA=="

func archivedSlug() string {
	return intake.VacancySlug(intake.DeriveEncodedID("vacancy", "acme", "WTTJ_old"), "Ancien poste")
}

func salesSlug() string {
	return intake.VacancySlug(intake.DeriveEncodedID("vacancy", "acme", "WTTJ_sales"), "Account Executive SaaS H/F")
}

// TestCreateRefused covers every refusal, in the spec's validation order:
// each answers its status with the exact hapi body, and leaves no applicant
// and no file behind.
func TestCreateRefused(t *testing.T) {
	s := newServer(t)
	bearer := []string{"Authorization", "Bearer " + seedToken}
	tests := []struct {
		name        string
		path        string // "" for /vacancy/candidate/json
		contentType string // "" for application/json
		body        string
		headers     []string
		status      int
		message     string
	}{
		{name: "no credential", body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b",` + doc + `}`,
			status: 401, message: "missing API key: send it as token, ?token= or Authorization: Bearer"},
		{name: "unknown body token", body: `{"token":"not-a-key","vacancy":"` + seedVacancy + `"}`,
			status: 401, message: "invalid access token"},
		{name: "unknown bearer", body: `{}`, headers: []string{"Authorization", "Bearer not-a-key"},
			status: 401, message: "invalid access token"},
		{name: "basic authorization", body: `{}`, headers: []string{"Authorization", "Basic YTpi"},
			status: 401, message: "the Authorization header must be Bearer <API key>"},
		{name: "header and body name different keys", body: `{"token":"` + otherKeyToken + `","vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b",` + doc + `}`, headers: bearer,
			status: 401, message: "the request carries credentials of different API keys"},
		{name: "query and header name different keys", path: "/vacancy/candidate/json?token=" + otherKeyToken, body: `{}`, headers: bearer,
			status: 401, message: "the request carries credentials of different API keys"},
		{name: "api_key of another company", path: "/vacancy/candidate/json?api_key=" + foreignToken, body: `{"token":"` + seedToken + `"}`,
			status: 401, message: "the request carries credentials of different API keys"},
		{name: "read-only key", body: `{"token":"` + readOnlyToken + `"}`,
			status: 403, message: "this endpoint requires the candidates_rw or my_candidates_rw scope"},
		{name: "unsupported content type", contentType: "text/plain", body: "hello", headers: bearer,
			status: 415, message: "Content-Type must be application/json, application/x-www-form-urlencoded or multipart/form-data"},
		{name: "unsupported content type, no credential", contentType: "application/xml", body: "<a/>",
			status: 415, message: "Content-Type must be application/json, application/x-www-form-urlencoded or multipart/form-data"},
		{name: "malformed JSON", body: `{"vacancy":`, headers: bearer,
			status: 400, message: "the body is not valid JSON: unexpected end of JSON input at byte 11"},
		{name: "malformed JSON after the token", body: `{"token":"` + seedToken + `","firstname":"a",}`,
			status: 400, message: "the body is not valid JSON: expected '\"', found '}' at byte 72"},
		{name: "malformed JSON before a bad token", body: `{"token":"nope","firstname":}`,
			status: 401, message: "invalid access token"},
		{name: "not an object", body: `["vacancy"]`, headers: bearer,
			status: 400, message: "the body is not valid JSON: the body must be a JSON object at byte 0"},
		{name: "malformed form", contentType: "application/x-www-form-urlencoded", body: "vacancy=%zz", headers: bearer,
			status: 400, message: `the body is not valid form data: invalid URL escape "%zz"`},
		{name: "multipart without boundary", contentType: "multipart/form-data", body: "x", headers: bearer,
			status: 400, message: "multipart/form-data needs a boundary parameter"},
		{name: "vacancy missing", body: `{"firstname":"a","lastname":"b",` + doc + `}`, headers: bearer,
			status: 400, message: "vacancy is required"},
		{name: "unknown vacancy", body: `{"vacancy":"nope","firstname":"a","lastname":"b",` + doc + `}`, headers: bearer,
			status: 404, message: "vacancy not found"},
		{name: "archived vacancy", body: `{"vacancy":"` + archivedSlug() + `","firstname":"a","lastname":"b",` + doc + `}`, headers: bearer,
			status: 404, message: "vacancy not found"},
		{name: "vacancy of another company", body: `{"vacancy":"foreign-job","firstname":"a","lastname":"b",` + doc + `}`, headers: bearer,
			status: 404, message: "vacancy not found"},
		{name: "blank firstname", body: `{"vacancy":"` + seedVacancy + `","firstname":"  ","lastname":"b",` + doc + `}`, headers: bearer,
			status: 400, message: "firstname can't be blank"},
		{name: "lastname without a letter", body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"007",` + doc + `}`, headers: bearer,
			status: 400, message: "lastname must contain a letter"},
		{name: "firstname not a string", body: `{"vacancy":"` + seedVacancy + `","firstname":{"a":1},"lastname":"b",` + doc + `}`, headers: bearer,
			status: 400, message: "firstname must be a string"},
		{name: "bad email", body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","email":"john@",` + doc + `}`, headers: bearer,
			status: 400, message: "email is invalid"},
		{name: "phone too long", body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","phone":"` + strings.Repeat("1", 51) + `",` + doc + `}`, headers: bearer,
			status: 400, message: "phone is too long (maximum is 50 characters)"},
		{name: "unknown type", body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","type":"pdf","resume":{"data":"SGVsbG8h"}}`, headers: bearer,
			status: 400, message: "type must be document, link or json"},
		{name: "no resume", body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","type":"document"}`, headers: bearer,
			status: 400, message: "resume is required"},
		{name: "document type with a URL", body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","type":"document","resume":"example.com/cv.pdf"}`, headers: bearer,
			status: 400, message: "resume must be an object {data, fileName, contentType} when type is document"},
		{name: "link type with an object", body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","type":"link","resume":{"data":"SGVsbG8h"}}`, headers: bearer,
			status: 400, message: "resume must be a URL when type is link"},
		{name: "document without data", body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","resume":{"fileName":"cv.pdf"}}`, headers: bearer,
			status: 400, message: "resume data is required"},
		{name: "undecodable base64", body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","resume":{"data":"SGVsbG8h!"}}`, headers: bearer,
			status: 400, message: "resume data is not valid base64"},
		{name: "empty base64", body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","resume":{"data":" = "}}`, headers: bearer,
			status: 400, message: "resume data is empty"},
		{name: "link that is not http", body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","type":"link","resume":"ftp://example.com/cv.pdf"}`, headers: bearer,
			status: 400, message: "resume must be an http or https URL"},
		{name: "ELF sent as a PDF", body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","type":"document","resume":{"data":"` + elf + `","fileName":"cv.pdf","contentType":"application/pdf"}}`, headers: bearer,
			status: 400, message: "resume has a file type that is not allowed (application/octet-stream)"},
		{name: "offerer_id not an integer", body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","offerer_id":"career site",` + doc + `}`, headers: bearer,
			status: 400, message: "offerer_id must be a positive integer"},
		{name: "answers not a list", body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","answers":"yes",` + doc + `}`, headers: bearer,
			status: 400, message: "answers must be a list of {question, value} objects"},
		{name: "required answer missing", body: `{"vacancy":"` + salesSlug() + `","firstname":"a","lastname":"b",` + doc + `}`, headers: bearer,
			status: 400, message: `answers question "why" is required`},
		{name: "required answer blank", body: `{"vacancy":"` + salesSlug() + `","firstname":"a","lastname":"b","answers":[{"question":"why","value":" "}],` + doc + `}`, headers: bearer,
			status: 400, message: `answers question "why" is required`},
		{name: "answer not an option", body: `{"vacancy":"` + salesSlug() + `","firstname":"a","lastname":"b","answers":[{"question":"Pourquoi nous ?","value":"x"},{"question":"level","value":"Bac +2"}],` + doc + `}`, headers: bearer,
			status: 400, message: `answers value "Bac +2" is not an option of question "level"`},
		{name: "every fault at once", body: `{"vacancy":"` + seedVacancy + `","firstname":"","lastname":"b","email":"x","type":"document","resume":{"data":"@@"},"similarities":"perhaps"}`, headers: bearer,
			status: 400, message: "email is invalid, firstname can't be blank, resume data is not valid base64, similarities must be true or false"},
		{name: "test endpoint validates too", path: "/vacancy/candidate/test", body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b"}`, headers: bearer,
			status: 400, message: "resume is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, ct := tt.path, tt.contentType
			if path == "" {
				path = "/vacancy/candidate/json"
			}
			if ct == "" {
				ct = "application/json"
			}
			res := s.do(t, http.MethodPost, path, ct, strings.NewReader(tt.body), tt.headers...)
			if want := hapi(tt.status, tt.message); res.status != tt.status || string(res.body) != want {
				t.Fatalf("got %d %s\nwant %d %s", res.status, res.body, tt.status, want)
			}
			if got := res.header.Get("Content-Type"); got != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", got)
			}
			if tt.status == 401 && res.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if n := len(s.applications(t, seedVacancy)) + len(s.applications(t, "WTTJ_sales")); n != 0 {
				t.Errorf("%d applicants stored", n)
			}
			if n := s.files(t); n != 0 {
				t.Errorf("%d files left on disk", n)
			}
		})
	}
}
