package flatchr

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// browser is what a browser sends with a form post.
var browser = []string{
	"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
	"Accept-Language", "fr-FR,fr;q=0.9,en;q=0.8",
}

// formPost is a customer's application form posted with the token field
// the seed requires.
func formPost(extra url.Values) string {
	v := url.Values{
		"token":     {seedToken},
		"vacancy":   {seedVacancy},
		"firstname": {"Jérôme"},
		"lastname":  {"Le Gall"},
		"email":     {"jerome@example.com"},
	}
	for k, vs := range extra {
		v[k] = vs
	}
	return v.Encode()
}

func TestCustomMultipart(t *testing.T) {
	s := newServer(t)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, kv := range [][2]string{{"token", seedToken}, {"vacancy", salesSlug()}, {"firstname", "Jérôme"}, {"lastname", "Le Gall"}, {"email", "jerome@example.com"},
		{"answers[0][question]", "why"}, {"answers[0][value]", "Parce que"}, {"urls[linkedin]", "in/jerome"}, {"legalNewsletterPartners", "on"}} {
		if err := mw.WriteField(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("resume", "CV Jérôme.pdf")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(pdf)
	mw.Close()
	res := s.do(t, http.MethodPost, "/vacancy/candidate/custom", mw.FormDataContentType(), &body, browser...)
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("got %d %s: %s", res.status, res.header.Get("Content-Type"), res.body)
	}
	golden(t, "thanks_fr.html", res.body, nil)
	list := s.applications(t, "WTTJ_sales")
	if len(list) != 1 {
		t.Fatalf("%d applicants, want 1", len(list))
	}
	c := list[0]
	if c.Resume == nil || c.Resume.FileName != "CV Jérôme.pdf" || s.blobSum(t, c.Resume) != sum(pdf) {
		t.Errorf("resume %+v", c.Resume)
	}
	if c.Person.Media["linkedin"] != "in/jerome" || c.Newsletter == nil || !c.Newsletter.Given || len(c.Answers) != 1 || c.Answers[0].QuestionID != "why" {
		t.Errorf("stored %+v", c.Application)
	}
}

func TestCustomPages(t *testing.T) {
	s := newServer(t)
	form := "application/x-www-form-urlencoded"
	tests := []struct {
		name    string
		body    string
		headers []string
		status  int
		golden  string // page, or "" for the JSON answer
	}{
		{name: "response_text shown, escaped, in English", body: formPost(url.Values{"resume[data]": {"SGVsbG8h="}, "response_text": {"Thanks <b>Jérôme</b>, we'll call you."}}),
			headers: []string{"Accept", "text/html", "Accept-Language", "en-GB,en;q=0.9"}, status: 200, golden: "thanks_text.html"},
		{name: "a browser's error is a page with the same status", body: formPost(url.Values{"firstname": {""}, "resume[data]": {"SGVsbG8h="}}),
			headers: browser, status: 400, golden: "error_fr.html"},
		{name: "an unknown vacancy is a 404 page", body: formPost(url.Values{"vacancy": {"nope"}, "resume[data]": {"SGVsbG8h="}}),
			headers: []string{"Accept-Language", "en"}, status: 404, golden: "error_en.html"},
		{name: "a client preferring JSON gets JSON", body: formPost(url.Values{"email": {"json@example.com"}, "resume[data]": {"SGVsbG8h="}}),
			headers: []string{"Accept", "application/json, text/html;q=0.5"}, status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := s.do(t, http.MethodPost, "/vacancy/candidate/custom", form, strings.NewReader(tt.body), tt.headers...)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			if tt.golden == "" {
				if res.header.Get("Content-Type") != "application/json; charset=utf-8" {
					t.Fatalf("Content-Type %q, want JSON", res.header.Get("Content-Type"))
				}
				createdIDs(t, res.body)
				return
			}
			if res.header.Get("Content-Type") != "text/html; charset=utf-8" {
				t.Fatalf("Content-Type %q, want HTML", res.header.Get("Content-Type"))
			}
			golden(t, tt.golden, res.body, nil)
		})
	}
}

// TestCustomJSONBody posts JSON to /custom: a JSON client gets JSON, its
// errors included.
func TestCustomJSONBody(t *testing.T) {
	s := newServer(t)
	res := s.postJSON(t, "/vacancy/candidate/custom", vendorJSON)
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("got %d %s", res.status, res.header.Get("Content-Type"))
	}
	createdIDs(t, res.body)
	res = s.postJSON(t, "/vacancy/candidate/custom", `{"token":"`+seedToken+`"}`)
	if want := hapi(400, "vacancy is required"); string(res.body) != want {
		t.Errorf("got %s, want %s", res.body, want)
	}
}

// TestCustomReplay retries a form post with an Idempotency-Key: the browser
// sees the thank-you page again, a JSON client the stored answer.
func TestCustomReplay(t *testing.T) {
	s := newServer(t)
	body := formPost(url.Values{"resume[data]": {"SGVsbG8h"}})
	key := append([]string{"Idempotency-Key", "form-1"}, browser...)
	first := s.do(t, http.MethodPost, "/vacancy/candidate/custom", "application/x-www-form-urlencoded", strings.NewReader(body), key...)
	again := s.do(t, http.MethodPost, "/vacancy/candidate/custom", "application/x-www-form-urlencoded", strings.NewReader(body), key...)
	if first.status != 200 || again.status != 200 || !bytes.Equal(first.body, again.body) {
		t.Fatalf("first %d, retry %d: pages differ\n%s\n%s", first.status, again.status, first.body, again.body)
	}
	asJSON := s.do(t, http.MethodPost, "/vacancy/candidate/custom", "application/x-www-form-urlencoded", strings.NewReader(body), "Idempotency-Key", "form-1", "Accept", "application/json")
	if asJSON.status != 200 || asJSON.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("JSON retry: %d %s", asJSON.status, asJSON.body)
	}
	createdIDs(t, asJSON.body)
	if n := len(s.applications(t, seedVacancy)); n != 1 {
		t.Errorf("%d applicants, want 1", n)
	}
}

func TestRoutes(t *testing.T) {
	s := newServer(t)
	tests := []struct {
		name, method, path string
		status             int
		allow              string
		message            string
	}{
		{name: "unknown create endpoint", method: "POST", path: "/vacancy/candidate/xml", status: 404, message: "Not Found"},
		{name: "GET on a create endpoint", method: "GET", path: "/vacancy/candidate/json", status: 405, allow: "POST", message: "Method GET is not allowed on /vacancy/candidate/json"},
		{name: "POST on the feed", method: "POST", path: "/company/acme.json", status: 405, allow: "GET, HEAD", message: "Method POST is not allowed on /company/acme.json"},
		{name: "feed without .json", method: "GET", path: "/company/acme", status: 404, message: "Not Found"},
		{name: "below a company", method: "GET", path: "/company/acme/vacancies/x", status: 404, message: "Not Found"},
		{name: "unknown company", method: "GET", path: "/company/nope.json", status: 404, message: "company not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := s.do(t, tt.method, tt.path, "", nil)
			if want := hapi(tt.status, tt.message); res.status != tt.status || string(res.body) != want {
				t.Fatalf("got %d %s, want %s", res.status, res.body, want)
			}
			if got := res.header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow = %q, want %q", got, tt.allow)
			}
		})
	}
}

// TestCompanyFeed reads the public feed: published, active vacancies only,
// with or without a credential, valid or not (spec flatchr §4, §12 #17).
func TestCompanyFeed(t *testing.T) {
	s := newServer(t)
	anonymous := s.do(t, http.MethodGet, "/company/acme.json", "", nil, "Accept", "*/*")
	if anonymous.status != http.StatusOK {
		t.Fatalf("status %d: %s", anonymous.status, anonymous.body)
	}
	golden(t, "feed_acme.json", anonymous.body, nil)
	for _, auth := range []string{"Bearer " + seedToken, "Bearer " + foreignToken, "Bearer nonsense", "Basic x"} {
		res := s.do(t, http.MethodGet, "/company/acme.json", "", nil, "Authorization", auth)
		if res.status != http.StatusOK || !bytes.Equal(res.body, anonymous.body) {
			t.Errorf("with %q: %d %s", auth, res.status, res.body)
		}
	}
	other := s.do(t, http.MethodGet, "/company/other.json", "", nil)
	if other.status != http.StatusOK || !strings.Contains(string(other.body), `"slug":"foreign-job"`) || strings.Contains(string(other.body), seedVacancy) {
		t.Errorf("other company's feed: %d %s", other.status, other.body)
	}
}
