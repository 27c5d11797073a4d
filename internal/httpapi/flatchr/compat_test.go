package flatchr

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"intake"
)

// TestCreateClientCompat sends what real clients send beyond the documented
// shapes (spec flatchr §12 #22) through real HTTP, and reads back what was
// stored.
func TestCreateClientCompat(t *testing.T) {
	s := newServer(t)
	bearer := []string{"Authorization", "Bearer " + seedToken}
	pdf64 := base64.StdEncoding.EncodeToString(pdf)
	// Over maxText encoded: too long to be held as a link while type is
	// still unknown, so it is staged as it streams.
	big := append(bytes.Clone(pdf), bytes.Repeat([]byte("%comment line\n"), maxText/10)...)
	big64 := base64.StdEncoding.EncodeToString(big)
	person := `"vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b"`
	document := func(name string, content []byte) func(t *testing.T, c *intake.Candidate) {
		return func(t *testing.T, c *intake.Candidate) {
			t.Helper()
			if c.Resume == nil {
				t.Fatal("no resume stored")
			}
			if c.Resume.FileName != name || s.blobSum(t, c.Resume) != sum(content) {
				t.Errorf("resume %+v, want %s holding %d bytes", c.Resume, name, len(content))
			}
		}
	}
	tests := []struct {
		name  string
		body  string
		check func(t *testing.T, c *intake.Candidate)
	}{
		{name: "bare base64 resume, type first, filename and mime beside it",
			body: `{` + person + `,"type":"document","resume":"` + pdf64 + `","filename":"cv.pdf","mime":"application/pdf"}`, check: document("cv.pdf", pdf)},
		{name: "bare base64 resume, type after it, fileName and contentType before it",
			body: `{` + person + `,"fileName":"CV.pdf","contentType":"application/pdf","resume":"` + pdf64 + `","type":"document"}`, check: document("CV.pdf", pdf)},
		{name: "bare base64 resume, type in any case, data URL",
			body: `{` + person + `,"type":" Document ","resume":"data:application/pdf;base64,` + pdf64 + `"}`, check: document("resume", pdf)},
		{name: "long bare base64 resume, type last",
			body: `{` + person + `,"resume":"` + big64 + `","filename":"big.pdf","type":"document"}`, check: document("big.pdf", big)},
		{name: "long bare base64 resume, no type",
			body: `{` + person + `,"resume":"` + big64 + `"}`, check: document("resume", big)},
		{name: "answers keyed questions", body: `{"vacancy":"` + salesSlug() + `","firstname":"a","lastname":"b","type":"document","resume":"` + pdf64 + `",` +
			`"answers":[{"questions":"why","value":"Parce que"},{"question":"level","value":"Bac +5"}]}`,
			check: func(t *testing.T, c *intake.Candidate) {
				want := []intake.Answer{{Question: "why", Value: "Parce que"}, {Question: "level", Value: "Bac +5"}}
				if got := questionValues(c.Answers); !reflect.DeepEqual(got, want) {
					t.Errorf("answers %+v, want %+v", got, want)
				}
			}},
		{name: "urls as an object", body: `{` + person + `,"type":"document","resume":"` + pdf64 + `","urls":{"linkedin":"in/a","twitter":"@a"}}`,
			check: media(map[string]string{"linkedin": "in/a", "twitter": "@a"})},
		{name: "urls as a list of one-key objects", body: `{` + person + `,"type":"document","resume":"` + pdf64 + `","urls":[{"linkedin":"in/a"},{"twitter":"@a"},{"github":"ignored"}]}`,
			check: media(map[string]string{"linkedin": "in/a", "twitter": "@a"})},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.Replace(tt.body, `"firstname"`, `"email":"compat`+string(rune('a'+i))+`@example.com","firstname"`, 1)
			res := s.postJSON(t, "/vacancy/candidate/json", body, bearer...)
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			_, reference, _ := createdIDs(t, res.body)
			c, err := s.env.Service.Application(t.Context(), s.principal(t), reference)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}

	refused := []struct {
		name, body, message string
	}{
		{name: "bare string that is not base64, type document", body: `{` + person + `,"type":"document","resume":"example.com/cv.pdf"}`,
			message: "resume must be an object {data, fileName, contentType} when type is document"},
		{name: "bare string that is not base64, type after it", body: `{` + person + `,"resume":"example.com/cv.pdf","type":"document"}`,
			message: "resume must be an object {data, fileName, contentType} when type is document"},
		{name: "long base64 string, type link", body: `{` + person + `,"resume":"` + big64 + `","type":"link"}`,
			message: "resume must be a URL when type is link"},
		{name: "urls list holding a string", body: `{` + person + `,"type":"document","resume":"` + pdf64 + `","urls":["in/a"]}`,
			message: "urls must be an object {facebook, linkedin, twitter, other}"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			before := s.files(t)
			res := s.postJSON(t, "/vacancy/candidate/json", tt.body, bearer...)
			if want := hapi(400, tt.message); res.status != 400 || string(res.body) != want {
				t.Fatalf("got %d %s\nwant %s", res.status, res.body, want)
			}
			if n := s.files(t); n != before {
				t.Errorf("%d files on disk, want %d", n, before)
			}
		})
	}
}

func questionValues(answers []intake.Answer) []intake.Answer {
	out := make([]intake.Answer, len(answers))
	for i, a := range answers {
		out[i] = intake.Answer{Question: a.Question, Value: a.Value}
	}
	return out
}

func media(want map[string]string) func(t *testing.T, c *intake.Candidate) {
	return func(t *testing.T, c *intake.Candidate) {
		t.Helper()
		if !reflect.DeepEqual(c.Person.Media, want) {
			t.Errorf("media %v, want %v", c.Person.Media, want)
		}
	}
}
