package flatchr

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"intake"
	"intake/internal/testenv"
)

// pdf is a small file the blob store sniffs as application/pdf.
var pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// TestCreateAccepted covers the ways a create may be sent: each is
// answered 200 and stores what was sent, read back through the Service.
func TestCreateAccepted(t *testing.T) {
	s := newServer(t)
	bearer := []string{"Authorization", "Bearer " + seedToken}
	pdf64 := base64.StdEncoding.EncodeToString(pdf)
	hello := sum([]byte("Hello!"))
	tests := []struct {
		name    string
		path    string
		body    string
		headers []string
		check   func(t *testing.T, s *server, c *intake.Candidate, answer map[string]any)
	}{
		{name: "token in the body only", body: `{"token":"` + seedToken + `","vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b",` + doc + `}`,
			check: resumeSum(hello)},
		{name: "token in the query", path: "?token=" + url.QueryEscape(seedToken), body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b",` + doc + `}`,
			check: resumeSum(hello)},
		{name: "pre-2022 api_key", path: "?api_key=" + url.QueryEscape(seedToken), body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b",` + doc + `}`,
			check: resumeSum(hello)},
		{name: "the same key everywhere", path: "?token=" + url.QueryEscape(seedToken) + "&api_key=" + url.QueryEscape(seedToken), headers: bearer,
			body:  `{"token":"` + seedToken + `","vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b",` + doc + `}`,
			check: resumeSum(hello)},
		{name: "vacancy by encoded id", headers: bearer,
			body: `{"vacancy":"vyja39jqrrnlnqwe","firstname":"a","lastname":"b",` + doc + `}`,
			check: func(t *testing.T, _ *server, c *intake.Candidate, _ map[string]any) {
				if c.Job.VacancySlug != seedVacancy {
					t.Errorf("applied to %s", c.Job.VacancySlug)
				}
			}},
		{name: "scalars in the query, the body wins", path: "?vacancy=" + seedVacancy + "&firstname=Query&lastname=Query&comment=from+the+query", headers: bearer,
			body: `{"firstname":"Body",` + doc + `}`,
			check: func(t *testing.T, _ *server, c *intake.Candidate, _ map[string]any) {
				if c.Person.Firstname != "Body" || c.Person.Lastname != "Query" || c.Comment != "from the query" {
					t.Errorf("person %+v, comment %q", c.Person, c.Comment)
				}
			}},
		{name: "every parameter", headers: bearer,
			body: `{"vacancy":"` + salesSlug() + `","firstname":"Éloïse","lastname":"N'Diaye","email":"eloise@example.com","phone":33123456789,"comment":"Lettre","offerer_id":75,` +
				`"urls":{"facebook":"fb.com/e","linkedin":"in/e","twitter":"@e","other":"e.dev","github":"ignored"},"legalNewsletterPartners":true,"user_id":"lVq5r6pYLD9AmMvP",` +
				`"answers":[{"question":"Pourquoi nous ?","value":"Parce que"},{"question":"level","value":"Bac +5"},{"question":42,"value":"free"}],` +
				`"type":"document","resume":{"data":"` + pdf64 + `","fileName":"CV_Eloise","contentType":"application/octet-stream"}}`,
			check: func(t *testing.T, _ *server, c *intake.Candidate, _ map[string]any) {
				p := c.Person
				if p.Firstname != "Éloïse" || p.Lastname != "N'Diaye" || p.Email != "eloise@example.com" || p.Phone != "33123456789" {
					t.Errorf("person %+v", p)
				}
				if want := map[string]string{"facebook": "fb.com/e", "linkedin": "in/e", "twitter": "@e", "other": "e.dev"}; !reflect.DeepEqual(p.Media, want) {
					t.Errorf("media %v, want %v", p.Media, want)
				}
				if c.Comment != "Lettre" || c.OffererID != 75 || c.Newsletter == nil || !c.Newsletter.Given || c.Source != intake.SourceFlatchr {
					t.Errorf("comment %q, offerer %d, newsletter %+v, source %s", c.Comment, c.OffererID, c.Newsletter, c.Source)
				}
				want := []intake.Answer{{QuestionID: "why", Question: "Pourquoi nous ?", Value: "Parce que"}, {QuestionID: "level", Question: "level", Value: "Bac +5"}, {Question: "42", Value: "free"}}
				if !reflect.DeepEqual(c.Answers, want) {
					t.Errorf("answers %+v, want %+v", c.Answers, want)
				}
				if c.Resume == nil || c.Resume.ContentType != "application/pdf" || c.Resume.FileName != "CV_Eloise" || c.Resume.SHA256 != sum(pdf) {
					t.Errorf("resume %+v", c.Resume)
				}
			}},
		{name: "type inferred from an object, data URL, URL-safe alphabet", headers: bearer,
			body:  `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","resume":{"data":"data:application/pdf;base64,` + base64.RawURLEncoding.EncodeToString(pdf) + `"}}`,
			check: resumeSum(sum(pdf))},
		{name: "HR-XML resume", headers: bearer,
			body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","type":"json","resume":{"Candidate":{"PersonName":{"GivenName":"a"}},"data":"not base64!"}}`,
			check: func(t *testing.T, _ *server, c *intake.Candidate, _ map[string]any) {
				if c.Resume != nil {
					t.Errorf("a document was stored: %+v", c.Resume)
				}
			}},
		{name: "response_text and similarities", headers: bearer,
			body: `{"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","response_text":"Merci <b>!</b>","similarities":true,` + doc + `}`,
			check: func(t *testing.T, _ *server, _ *intake.Candidate, answer map[string]any) {
				if answer["response"] != "Merci <b>!</b>" || !reflect.DeepEqual(answer["similarities"], []any{}) {
					t.Errorf("response %v, similarities %v", answer["response"], answer["similarities"])
				}
			}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A fresh email each time: a re-apply would merge.
			body := strings.Replace(tt.body, `"firstname"`, `"email":"c`+string(rune('a'+i))+`@example.com","firstname"`, 1)
			if strings.Contains(tt.body, `"email"`) {
				body = tt.body
			}
			res := s.postJSON(t, "/vacancy/candidate/json"+tt.path, body, tt.headers...)
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			_, reference, _ := createdIDs(t, res.body)
			c, err := s.env.Service.Application(t.Context(), s.principal(t), reference)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, s, c, decode(t, res.body))
		})
	}
}

// resumeSum checks the stored resume's bytes, read back from the blob store.
func resumeSum(want string) func(t *testing.T, s *server, c *intake.Candidate, _ map[string]any) {
	return func(t *testing.T, s *server, c *intake.Candidate, _ map[string]any) {
		t.Helper()
		if c.Resume == nil {
			t.Fatal("no resume stored")
		}
		if got := s.blobSum(t, c.Resume); got != want || c.Resume.SHA256 != want {
			t.Errorf("resume bytes hash to %s (recorded %s), want %s", got, c.Resume.SHA256, want)
		}
	}
}

func TestCreateLink(t *testing.T) {
	s := newServer(t)
	link := testenv.ServeFile(t, "CV_John_Doe.pdf", "application/octet-stream", pdf)
	res := s.postJSON(t, "/vacancy/candidate/json", `{"vacancy":"`+seedVacancy+`","firstname":"john","lastname":"doe","type":"link","resume":"`+link+`"}`, "Authorization", "Bearer "+seedToken)
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	_, reference, _ := createdIDs(t, res.body)
	c, err := s.env.Service.Application(t.Context(), s.principal(t), reference)
	if err != nil {
		t.Fatal(err)
	}
	if c.ResumeLink != link || c.Resume == nil || c.Resume.SourceURL != link || c.Resume.FileName != "CV_John_Doe.pdf" || s.blobSum(t, c.Resume) != sum(pdf) {
		t.Errorf("link %q, resume %+v", c.ResumeLink, c.Resume)
	}

	refused := []struct {
		name    string
		link    string
		status  int
		message string
	}{
		// Without a scheme the link is fetched over https (spec flatchr
		// §12 #8), which the test's plain http server does not speak.
		{name: "no scheme means https", link: strings.TrimPrefix(link, "http://"), status: 400, message: "resume could not be downloaded"},
		{name: "not found", link: notFoundURL(t), status: 400, message: "resume could not be downloaded (HTTP 404)"},
		{name: "not an allowed type", link: testenv.ServeFile(t, "cv.pdf", "application/pdf", []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00")), status: 400,
			message: "resume has a file type that is not allowed (application/octet-stream)"},
		{name: "over the fetch cap", link: testenv.ServeFile(t, "big.pdf", "application/pdf", make([]byte, intake.MaxRemoteResumeBytes+1)), status: 400, message: "resume is too large"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			before := s.files(t)
			res := s.postJSON(t, "/vacancy/candidate/json", `{"vacancy":"`+seedVacancy+`","firstname":"jane","lastname":"doe","email":"jane@example.com","type":"link","resume":"`+tt.link+`"}`, "Authorization", "Bearer "+seedToken)
			if want := hapi(tt.status, tt.message); res.status != tt.status || string(res.body) != want {
				t.Fatalf("got %d %s\nwant %s", res.status, res.body, want)
			}
			if n := len(s.applications(t, seedVacancy)); n != 1 {
				t.Errorf("%d applicants, want the first one only", n)
			}
			if n := s.files(t); n != before {
				t.Errorf("%d files on disk, want %d", n, before)
			}
		})
	}
}

// notFoundURL is a URL of a local server that answers 404.
func notFoundURL(t *testing.T) string {
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	return srv.URL + "/cv.pdf"
}

func TestLinkURL(t *testing.T) {
	tests := []struct {
		name, link, want string
		ok               bool
	}{
		{name: "vendor example without scheme", link: "storage.s3.eu-west-1.amazonaws.com/CV/5b400fab-679811f70b0e/CV_John_Doe.pdf", want: "https://storage.s3.eu-west-1.amazonaws.com/CV/5b400fab-679811f70b0e/CV_John_Doe.pdf", ok: true},
		{name: "host and port", link: "localhost:8080/cv.pdf", want: "https://localhost:8080/cv.pdf", ok: true},
		{name: "http kept", link: "http://example.com/cv.pdf", want: "http://example.com/cv.pdf", ok: true},
		{name: "HTTPS in capitals", link: "HTTPS://example.com/cv.pdf", want: "HTTPS://example.com/cv.pdf", ok: true},
		{name: "ftp refused", link: "ftp://example.com/cv.pdf"},
		{name: "javascript refused", link: "javascript://alert(1)"},
		{name: "empty", link: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := linkURL(tt.link)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("linkURL(%q) = %q, %v; want %q, %v", tt.link, got, ok, tt.want, tt.ok)
			}
		})
	}
}
