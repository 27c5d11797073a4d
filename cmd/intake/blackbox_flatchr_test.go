package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"intake"
	"intake/internal/httpapi/download"
	"intake/internal/testenv"
)

// flatchrSeedBody is the seed's curl example body (its -d '…' argument),
// byte for byte.
const flatchrSeedBody = `{
          "vacancy": "vyja39jqrrnlnqwe-technicien-metrologue-h-f",
          "firstname": "john",
          "lastname": "doe",
          "token": "8mdGHihkSGTv9JKN3JuS0MTnN2aDjjpbN54Jw5yqBpM=",
          "type": "document",
          "resume": {
            "data": "SGVsbG8h=",
            "fileName": "resume.txt",
            "contentType": "application/octet-stream"
          }
        }`

const (
	flatchrJSON   = "/vacancy/candidate/json"
	flatchrCustom = "/vacancy/candidate/custom"
	flatchrTest   = "/vacancy/candidate/test"
)

var (
	encodedID   = regexp.MustCompile(`^[0-9A-Za-z]{16}$`)
	flatchrTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
	createKeys  = []string{"status", "response", "id", "offer_id", "external_id", "published", "created_at", "vacancy", "vacancy_id", "applicant", "reference", "cv"}
	vacancyKeys = []string{"id", "vacancy_id", "slug", "reference", "title", "description", "experience", "mission", "profile", "salary",
		"status", "language", "tags", "contract_type_id", "education_level_id", "activity_id", "channel_id", "metier_id", "company_id",
		"mensuality", "apply_url", "currency", "created_at", "updated_at", "start_date", "end_date", "driver_license", "remote",
		"handicap", "partial", "kanban", "meta_title", "meta_description", "meta_tags", "options", "contract_type", "education_level",
		"activity", "channel", "metier", "address", "addressFormatted", "company", "slug_mail", "questions"}
	companyKeys = []string{"id", "name", "description", "slug", "size", "email", "web", "phone", "status", "siren", "hosts", "vat_number",
		"hunter", "public", "activity_id", "created_at", "hiddens", "shared_applicants", "shields", "ip_addresses", "billing_name",
		"retention_policy", "activity", "meta_logo", "logo", "address", "addressFormatted"}
)

// browser is what a browser sends with a form post.
var browser = []string{"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "Accept-Language", "fr-FR,fr;q=0.9,en;q=0.8"}

// feedItem returns the raw diffusion of a vacancy in the public feed of
// company slug: the create answer repeats it byte for byte.
func feedItem(t testing.TB, base, slug, vacancy string) []byte {
	t.Helper()
	a := send(t, base, call{path: "/company/" + slug + ".json"})
	var feed struct{ Items []json.RawMessage }
	if err := json.Unmarshal(a.body, &feed); a.status != http.StatusOK || err != nil {
		t.Fatalf("feed of %s: %s", slug, a)
	}
	for _, it := range feed.Items {
		var d struct{ Vacancy struct{ Slug string } }
		if err := json.Unmarshal(it, &d); err != nil {
			t.Fatal(err)
		}
		if d.Vacancy.Slug == vacancy {
			return it
		}
	}
	t.Fatalf("vacancy %s not in the feed of %s: %s", vacancy, slug, a.body)
	return nil
}

// flatchrAnswer is the decided create answer (spec flatchr §2 Response):
// status and response, the vacancy's diffusion, then our identifiers.
func flatchrAnswer(response string, diffusion []byte, ids string) string {
	inner := strings.TrimSuffix(strings.TrimPrefix(string(diffusion), "{"), "}")
	b := `{"status":200,"response":` + jsonString(response) + `,` + inner
	if ids != "" {
		b += "," + ids
	}
	return b + "}"
}

func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// created reads the identifiers a Flatchr create answer adds.
type created struct {
	Applicant, Reference, CV string
}

func flatchrCreated(t testing.TB, base string, a answer) created {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("create: %s", a)
	}
	var c created
	if err := json.Unmarshal(a.body, &c); err != nil {
		t.Fatalf("create answer: %v %s", err, a.body)
	}
	if !encodedID.MatchString(c.Applicant) || !wkReference.MatchString(c.Reference) {
		t.Fatalf("applicant %q, reference %q", c.Applicant, c.Reference)
	}
	if c.CV != "" && !strings.HasPrefix(c.CV, base+filesPrefix) {
		t.Fatalf("cv %q is not a file of this server", c.CV)
	}
	return c
}

func (c created) ids() string {
	ids := `"applicant":"` + c.Applicant + `","reference":"` + c.Reference + `"`
	if c.CV != "" {
		ids += `,"cv":` + jsonString(c.CV)
	}
	return ids
}

// wkResume reads a candidate through WelcomeKit and downloads its resume.
func wkResume(t testing.TB, base, ref string) (map[string]any, []byte) {
	t.Helper()
	a := send(t, base, call{path: wkCandidates + "/" + ref, auth: bearer(rwKey)})
	if a.status != http.StatusOK {
		t.Fatalf("WelcomeKit GET %s: %s", ref, a)
	}
	checkCandidateShape(t, a.body)
	c := object(t, a.body)
	u, _ := c["resume_url"].(string)
	if !strings.HasPrefix(u, base+filesPrefix) {
		t.Fatalf("resume_url = %v", c["resume_url"])
	}
	dl := fetchFile(t, u)
	if dl.status != http.StatusOK {
		t.Fatalf("resume download: %s", dl)
	}
	return c, dl.body
}

// flatchrBody is a JSON create of the seed vacancy with extra members.
func flatchrBody(vacancy, extra string) string {
	return `{"vacancy":"` + vacancy + `","firstname":"jane","lastname":"doe"` + extra + `}`
}

func doc64(b []byte, name, contentType string) string {
	return `,"type":"document","resume":{"data":"` + base64.StdEncoding.EncodeToString(b) + `","fileName":"` + name + `","contentType":"` + contentType + `"}`
}

// multipartForm builds a form with fields and, when file is not nil, a
// resume file part.
func multipartForm(t testing.TB, fields [][2]string, fileName string, file []byte) (string, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, kv := range fields {
		if err := mw.WriteField(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	if file != nil {
		fw, err := mw.CreateFormFile("resume", fileName)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(file)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), body.String()
}

// TestBlackboxFlatchr drives the Flatchr endpoints of the real binary,
// allowed to fetch from the test's own servers on 127.0.0.1.
func TestBlackboxFlatchr(t *testing.T) {
	s, data := startBB(t, "--allow-fetch-from", "127.0.0.1/32")
	base := s.URL
	seedDiffusion := feedItem(t, base, "acme", seedVacancy)

	t.Run("seed curl example byte for byte", func(t *testing.T) {
		a := send(t, base, call{method: http.MethodPost, path: flatchrJSON, auth: bearer(flatchrToken), ctype: jsonType, body: flatchrSeedBody})
		c := flatchrCreated(t, base, a)
		if ct := a.header.Get("Content-Type"); ct != jsonAnswer {
			t.Errorf("Content-Type = %q", ct)
		}
		if got, want := string(a.body), flatchrAnswer("applicant created", seedDiffusion, c.ids()); got != want {
			t.Errorf("answer\n got %s\nwant %s", got, want)
		}
		if diff := cmp.Diff(createKeys, testenv.ObjectKeys(t, a.body)); diff != "" {
			t.Errorf("answer keys (-spec +got):\n%s", diff)
		}
		vacancy := rawField(t, a.body, "vacancy")
		if diff := cmp.Diff(vacancyKeys, testenv.ObjectKeys(t, vacancy)); diff != "" {
			t.Errorf("vacancy keys (-spec +got):\n%s", diff)
		}
		if diff := cmp.Diff(companyKeys, testenv.ObjectKeys(t, rawField(t, vacancy, "company"))); diff != "" {
			t.Errorf("company keys (-spec +got):\n%s", diff)
		}
		got := object(t, a.body)
		v := got["vacancy"].(map[string]any)
		company := v["company"].(map[string]any)
		id, _ := got["id"].(string)
		created, _ := got["created_at"].(string)
		if !encodedID.MatchString(id) || !flatchrTime.MatchString(created) || got["external_id"] != nil || got["published"] != true ||
			got["vacancy_id"] != 3027.0 || v["vacancy_id"] != 3027.0 || v["id"] != "vyja39jqrrnlnqwe" || v["slug"] != seedVacancy ||
			v["title"] != "Technicien métrologue H/F" || v["status"] != 1.0 || company["id"] != "G6KzqPnNLyp31m0l" || company["slug"] != "acme" ||
			!regexp.MustCompile(`^[0-9a-z]{6}$`).MatchString(v["slug_mail"].(string)) {
			t.Errorf("diffusion %s", a.body)
		}

		dl := fetchFile(t, c.CV)
		wantHeaders := map[string]string{"Content-Type": "text/plain", "Content-Disposition": "attachment; filename=resume.txt", "X-Content-Type-Options": "nosniff"}
		for k, v := range wantHeaders {
			if got := dl.header.Get(k); got != v {
				t.Errorf("cv %s = %q, want %q", k, got, v)
			}
		}
		if dl.status != http.StatusOK || string(dl.body) != "Hello!" {
			t.Errorf("cv download: %s", dl)
		}
		cand, resume := wkResume(t, base, c.Reference)
		p := cand["profile"].(map[string]any)
		if p["firstname"] != "john" || p["lastname"] != "doe" || cand["resume_size"] != 6.0 || cand["resume_content_type"] != "text/plain" ||
			cand["job_reference"] != seedJob || cand["stage_id"] != 42.0 || string(resume) != "Hello!" {
			t.Errorf("read through WelcomeKit: %v, resume %q", cand, resume)
		}
	})

	t.Run("document resume read back through WelcomeKit with the same bytes", func(t *testing.T) {
		a := send(t, base, call{method: http.MethodPost, path: flatchrJSON, auth: bearer(flatchrToken), ctype: jsonType,
			body: `{"vacancy":"` + seedVacancy + `","firstname":"Éloïse","lastname":"N'Diaye","email":"eloise@example.com","phone":33123456789` +
				doc64(samplePDF, "CV_Eloise", "application/octet-stream") + `}`})
		c := flatchrCreated(t, base, a)
		cand, resume := wkResume(t, base, c.Reference)
		if sha(resume) != sha(samplePDF) || cand["resume_content_type"] != "application/pdf" || cand["resume_size"] != float64(len(samplePDF)) {
			t.Errorf("resume %s (%v, %v bytes), want the PDF sent", sha(resume), cand["resume_content_type"], cand["resume_size"])
		}
		if p := cand["profile"].(map[string]any); p["email"] != "eloise@example.com" || p["firstname"] != "Éloïse" || p["phone"] != "33123456789" {
			t.Errorf("profile %v", p)
		}
		list := send(t, base, call{path: wkCandidates + "?job_reference=" + seedJob + "&email=eloise@example.com", auth: bearer(readKey)})
		if list.header.Get("X-Total") != "1" || !strings.Contains(string(list.body), c.Reference) {
			t.Errorf("WelcomeKit list: %s", list)
		}
	})

	t.Run("link resume downloaded and read back with the same bytes", func(t *testing.T) {
		pdf := append(append([]byte{}, samplePDF...), "% linked\n"...)
		srv, hits := fileServer(t, "application/pdf", pdf)
		a := send(t, base, call{method: http.MethodPost, path: flatchrJSON, auth: bearer(flatchrToken), ctype: jsonType,
			body: flatchrBody(seedVacancy, `,"email":"link@example.com","type":"link","resume":"`+srv+`/CV_John_Doe.pdf"`)})
		c := flatchrCreated(t, base, a)
		if hits.Load() != 1 {
			t.Errorf("the link was fetched %d times", hits.Load())
		}
		if _, resume := wkResume(t, base, c.Reference); sha(resume) != sha(pdf) {
			t.Errorf("linked resume stored as %s, want %s", sha(resume), sha(pdf))
		}
		if dl := fetchFile(t, c.CV); sha(dl.body) != sha(pdf) || dl.header.Get("Content-Disposition") != "attachment; filename=CV_John_Doe.pdf" {
			t.Errorf("cv: %d %q", dl.status, dl.header.Get("Content-Disposition"))
		}
	})

	t.Run("a redirect to an allowed address is followed", func(t *testing.T) {
		target, hits := fileServer(t, "application/pdf", samplePDF)
		redirect := redirectServer(t, target+"/cv.pdf")
		a := send(t, base, call{method: http.MethodPost, path: flatchrJSON, auth: bearer(flatchrToken), ctype: jsonType,
			body: flatchrBody(seedVacancy, `,"email":"redirect@example.com","type":"link","resume":"`+redirect+`/cv.pdf"`)})
		c := flatchrCreated(t, base, a)
		if _, resume := wkResume(t, base, c.Reference); sha(resume) != sha(samplePDF) || hits.Load() != 1 {
			t.Errorf("resume %s after %d fetches", sha(resume), hits.Load())
		}
	})

	t.Run("WelcomeKit remote resume read back through Flatchr with the same bytes", func(t *testing.T) {
		pdf := append(append([]byte{}, samplePDF...), "% from WelcomeKit\n"...)
		srv, _ := fileServer(t, "application/pdf", pdf)
		ref := wkCreate(t, base, rwKey, wkCreateBody(seedJob, "both@example.com", `"remote_resume_url":"`+srv+`/resume.pdf"`))
		if _, resume := wkResume(t, base, ref); sha(resume) != sha(pdf) {
			t.Fatalf("WelcomeKit resume %s, want %s", sha(resume), sha(pdf))
		}
		before := wkTotal(t, base, seedJob)
		// The same person applies to the same vacancy through Flatchr: no
		// second applicant; the answer names the WelcomeKit candidate and
		// links its resume (spec flatchr §12 #19).
		a := send(t, base, call{method: http.MethodPost, path: flatchrJSON, auth: bearer(careersKey), ctype: jsonType,
			body: flatchrBody(seedVacancy, `,"email":"BOTH@example.com","type":"json","resume":{}`)})
		c := flatchrCreated(t, base, a)
		if c.Reference != ref {
			t.Errorf("Flatchr answered reference %s, want the WelcomeKit candidate %s", c.Reference, ref)
		}
		if dl := fetchFile(t, c.CV); dl.status != http.StatusOK || sha(dl.body) != sha(pdf) {
			t.Errorf("Flatchr cv: %d, %s, want %s", dl.status, sha(dl.body), sha(pdf))
		}
		if after := wkTotal(t, base, seedJob); after != before {
			t.Errorf("candidates on the job: %d → %d", before, after)
		}
	})

	t.Run("multipart post to custom answers the thank-you page", func(t *testing.T) {
		ctype, body := multipartForm(t, [][2]string{{"token", flatchrToken}, {"vacancy", salesVacancy}, {"firstname", "Jérôme"},
			{"lastname", "Le Gall"}, {"email", "jerome@example.com"}, {"answers[0][question]", "why"}, {"answers[0][value]", "Parce que"},
			{"urls[linkedin]", "in/jerome"}, {"legalNewsletterPartners", "on"}}, "CV Jérôme.pdf", samplePDF)
		a := send(t, base, call{method: http.MethodPost, path: flatchrCustom, ctype: ctype, body: body, header: browser})
		if a.status != http.StatusOK || a.header.Get("Content-Type") != htmlAnswer {
			t.Fatalf("custom: %d %q", a.status, a.header.Get("Content-Type"))
		}
		checkGolden(t, "thanks_fr.html", a.body)
		list := send(t, base, call{path: wkCandidates + "?job_reference=" + salesJob + "&email=jerome@example.com", auth: bearer(rwKey)})
		var items []struct {
			Reference string
		}
		if err := json.Unmarshal(list.body, &items); err != nil || len(items) != 1 {
			t.Fatalf("WelcomeKit list after the form: %s", list)
		}
		if _, resume := wkResume(t, base, items[0].Reference); sha(resume) != sha(samplePDF) {
			t.Errorf("form resume %s, want %s", sha(resume), sha(samplePDF))
		}
	})

	t.Run("urlencoded post to custom shows response_text", func(t *testing.T) {
		form := url.Values{"token": {flatchrToken}, "vacancy": {seedVacancy}, "firstname": {"Jérôme"}, "lastname": {"Le Gall"},
			"email": {"jerome@example.com"}, "resume[data]": {"SGVsbG8h="}, "response_text": {"Thanks <b>Jérôme</b>, we'll call you."}}
		a := send(t, base, call{method: http.MethodPost, path: flatchrCustom, ctype: formType, body: form.Encode(),
			header: []string{"Accept", "text/html", "Accept-Language", "en-GB,en;q=0.9"}})
		if a.status != http.StatusOK || a.header.Get("Content-Type") != htmlAnswer {
			t.Fatalf("custom: %d %q", a.status, a.header.Get("Content-Type"))
		}
		checkGolden(t, "thanks_text.html", a.body)
		list := send(t, base, call{path: wkCandidates + "?job_reference=" + seedJob + "&email=jerome@example.com", auth: bearer(rwKey)})
		if list.header.Get("X-Total") != "1" {
			t.Errorf("WelcomeKit list after the form: %s", list)
		}
	})

	t.Run("test endpoint answers like json and stores nothing", func(t *testing.T) {
		before := takeStock(t, base, data)
		srv, hits := fileServer(t, "application/pdf", samplePDF)
		for _, body := range []string{
			flatchrSeedBody,
			flatchrBody(seedVacancy, `,"email":"dry@example.com","type":"link","resume":"`+srv+`/cv.pdf"`),
			flatchrBody(seedVacancy, `,"email":"dry@example.com"`+doc64(samplePDF, "cv.pdf", "application/pdf")),
		} {
			a := send(t, base, call{method: http.MethodPost, path: flatchrTest, auth: bearer(flatchrToken), ctype: jsonType, body: body})
			if got, want := string(a.body), flatchrAnswer("applicant created", seedDiffusion, ""); a.status != http.StatusOK || got != want {
				t.Errorf("test answered %d\n got %s\nwant %s", a.status, got, want)
			}
		}
		if hits.Load() != 1 {
			t.Errorf("the dry run's link was fetched %d times, want 1 (checked as a create would)", hits.Load())
		}
		before.unchanged(t, base, data)
		list := send(t, base, call{path: wkCandidates + "?job_reference=" + seedJob + "&email=dry@example.com", auth: bearer(rwKey)})
		if list.header.Get("X-Total") != "0" {
			t.Errorf("the dry run's applicant is listed: %s", list)
		}
	})

	elfLink, elfHits := fileServer(t, "application/pdf", elfBytes)
	elfForm, elfFormBody := multipartForm(t, [][2]string{{"token", flatchrToken}, {"vacancy", seedVacancy}, {"firstname", "a"}, {"lastname", "b"}}, "cv.pdf", elfBytes)
	exeForm, exeFormBody := multipartForm(t, [][2]string{{"token", flatchrToken}, {"vacancy", seedVacancy}, {"firstname", "a"}, {"lastname", "b"}}, "cv.pdf", exeBytes)
	v6, v6Hits := ipv6Server(t)
	bearerSeed := bearer(flatchrToken)
	const notAllowed = "resume has a file type that is not allowed (application/octet-stream)"
	const privateAddress = "resume could not be downloaded: address not allowed"
	refusals := []struct {
		name   string
		call   call
		status int
		body   string
	}{
		{name: "ELF named cv.pdf in base64", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, doc64(elfBytes, "cv.pdf", "application/pdf"))),
			status: 400, body: hapiError(400, notAllowed)},
		{name: "EXE named cv.pdf in base64", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, doc64(exeBytes, "cv.pdf", "application/pdf"))),
			status: 400, body: hapiError(400, notAllowed)},
		{name: "ELF named cv.pdf by link", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"type":"link","resume":"`+elfLink+`/cv.pdf"`)),
			status: 400, body: hapiError(400, notAllowed)},
		{name: "ELF named cv.pdf in a multipart form", call: call{method: http.MethodPost, path: flatchrCustom, ctype: elfForm, body: elfFormBody, header: []string{"Accept", jsonType}},
			status: 400, body: hapiError(400, notAllowed)},
		{name: "EXE named cv.pdf in a multipart form", call: call{method: http.MethodPost, path: flatchrJSON, ctype: exeForm, body: exeFormBody},
			status: 400, body: hapiError(400, notAllowed)},
		{name: "ELF named cv.pdf as WelcomeKit remote_resume_url", call: createCall(rwKey, wkCreateBody(seedJob, "elf@example.com", `"remote_resume_url":"`+elfLink+`/cv.pdf"`)),
			status: 400, body: wkError("validation_failed", "remote_resume_url has a file type that is not allowed (application/octet-stream)")},
		{name: "redirect to 10.0.0.1", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"type":"link","resume":"`+redirectServer(t, "http://10.0.0.1/cv.pdf")+`/cv.pdf"`)),
			status: 400, body: hapiError(400, privateAddress)},
		{name: "redirect to the metadata address", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"type":"link","resume":"`+redirectServer(t, "http://169.254.169.254/latest/meta-data/")+`/cv.pdf"`)),
			status: 400, body: hapiError(400, privateAddress)},
		{name: "redirect to [::1]", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"type":"link","resume":"`+redirectServer(t, v6+"/cv.pdf")+`/cv.pdf"`)),
			status: 400, body: hapiError(400, privateAddress)},
		{name: "WelcomeKit remote_resume_url redirected to 10.0.0.1", call: createCall(rwKey, wkCreateBody(seedJob, "redir@example.com", `"remote_resume_url":"`+redirectServer(t, "http://10.0.0.1/cv.pdf")+`/cv.pdf"`)),
			status: 400, body: wkError("validation_failed", "remote_resume_url could not be downloaded: address not allowed")},
		{name: "WelcomeKit remote_resume_url redirected to [::1]", call: createCall(rwKey, wkCreateBody(seedJob, "redir@example.com", `"remote_resume_url":"`+redirectServer(t, v6+"/cv.pdf")+`/cv.pdf"`)),
			status: 400, body: wkError("validation_failed", "remote_resume_url could not be downloaded: address not allowed")},
		{name: "no credential", call: call{method: http.MethodPost, path: flatchrJSON, ctype: jsonType, body: flatchrBody(seedVacancy, doc64([]byte("cv"), "cv.txt", "text/plain"))},
			status: 401, body: hapiError(401, "missing API key: send it as token, ?token= or Authorization: Bearer")},
		{name: "unknown token", call: flatchrCall("", `{"token":"not-a-key","vacancy":"`+seedVacancy+`"}`),
			status: 401, body: hapiError(401, "invalid access token")},
		{name: "read-only key", call: flatchrCall(bearer(readKey), flatchrBody(seedVacancy, doc64([]byte("cv"), "cv.txt", "text/plain"))),
			status: 403, body: hapiError(403, "this endpoint requires the candidates_rw or my_candidates_rw scope")},
		{name: "unsupported content type", call: call{method: http.MethodPost, path: flatchrJSON, auth: bearerSeed, ctype: "text/plain", body: "hello"},
			status: 415, body: hapiError(415, "Content-Type must be application/json, application/x-www-form-urlencoded or multipart/form-data")},
		{name: "malformed JSON", call: flatchrCall(bearerSeed, `{"vacancy":`),
			status: 400, body: hapiError(400, "the body is not valid JSON: unexpected end of JSON input at byte 11")},
		{name: "not an object", call: flatchrCall(bearerSeed, `["vacancy"]`),
			status: 400, body: hapiError(400, "the body is not valid JSON: the body must be a JSON object at byte 0")},
		{name: "malformed form", call: call{method: http.MethodPost, path: flatchrJSON, auth: bearerSeed, ctype: formType, body: "vacancy=%zz"},
			status: 400, body: hapiError(400, `the body is not valid form data: invalid URL escape "%zz"`)},
		{name: "multipart without boundary", call: call{method: http.MethodPost, path: flatchrJSON, auth: bearerSeed, ctype: "multipart/form-data", body: "x"},
			status: 400, body: hapiError(400, "multipart/form-data needs a boundary parameter")},
		{name: "vacancy missing", call: flatchrCall(bearerSeed, `{"firstname":"a","lastname":"b"`+doc64([]byte("cv"), "cv.txt", "text/plain")+`}`),
			status: 400, body: hapiError(400, "vacancy is required")},
		{name: "unknown vacancy", call: flatchrCall(bearerSeed, flatchrBody("nope", doc64([]byte("cv"), "cv.txt", "text/plain"))),
			status: 404, body: hapiError(404, "vacancy not found")},
		{name: "vacancy of another company", call: flatchrCall(bearerSeed, flatchrBody(otherVacancy, doc64([]byte("cv"), "cv.txt", "text/plain"))),
			status: 404, body: hapiError(404, "vacancy not found")},
		{name: "blank firstname", call: flatchrCall(bearerSeed, `{"vacancy":"`+seedVacancy+`","firstname":"  ","lastname":"b"`+doc64([]byte("cv"), "cv.txt", "text/plain")+`}`),
			status: 400, body: hapiError(400, "firstname can't be blank")},
		{name: "lastname without a letter", call: flatchrCall(bearerSeed, `{"vacancy":"`+seedVacancy+`","firstname":"a","lastname":"007"`+doc64([]byte("cv"), "cv.txt", "text/plain")+`}`),
			status: 400, body: hapiError(400, "lastname must contain a letter")},
		{name: "bad email", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"email":"john@"`+doc64([]byte("cv"), "cv.txt", "text/plain"))),
			status: 400, body: hapiError(400, "email is invalid")},
		{name: "phone too long", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"phone":"`+strings.Repeat("1", 51)+`"`+doc64([]byte("cv"), "cv.txt", "text/plain"))),
			status: 400, body: hapiError(400, "phone is too long (maximum is 50 characters)")},
		{name: "unknown type", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"type":"pdf","resume":{"data":"SGVsbG8h"}`)),
			status: 400, body: hapiError(400, "type must be document, link or json")},
		{name: "no resume", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"type":"document"`)),
			status: 400, body: hapiError(400, "resume is required")},
		{name: "document type with a URL", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"type":"document","resume":"example.com/cv.pdf"`)),
			status: 400, body: hapiError(400, "resume must be an object {data, fileName, contentType} when type is document")},
		{name: "link type with an object", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"type":"link","resume":{"data":"SGVsbG8h"}`)),
			status: 400, body: hapiError(400, "resume must be a URL when type is link")},
		{name: "document without data", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"resume":{"fileName":"cv.pdf"}`)),
			status: 400, body: hapiError(400, "resume data is required")},
		{name: "undecodable base64", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"resume":{"data":"SGVsbG8h!"}`)),
			status: 400, body: hapiError(400, "resume data is not valid base64")},
		{name: "empty base64", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"resume":{"data":" = "}`)),
			status: 400, body: hapiError(400, "resume data is empty")},
		{name: "link that is not http", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"type":"link","resume":"ftp://example.com/cv.pdf"`)),
			status: 400, body: hapiError(400, "resume must be an http or https URL")},
		{name: "link answering 404", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"type":"link","resume":"`+notFoundServer(t)+`/cv.pdf"`)),
			status: 400, body: hapiError(400, "resume could not be downloaded (HTTP 404)")},
		{name: "offerer_id not an integer", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"offerer_id":"career site"`+doc64([]byte("cv"), "cv.txt", "text/plain"))),
			status: 400, body: hapiError(400, "offerer_id must be a positive integer")},
		{name: "answers not a list", call: flatchrCall(bearerSeed, flatchrBody(seedVacancy, `,"answers":"yes"`+doc64([]byte("cv"), "cv.txt", "text/plain"))),
			status: 400, body: hapiError(400, "answers must be a list of {question, value} objects")},
		{name: "required answer missing", call: flatchrCall(bearerSeed, flatchrBody(salesVacancy, doc64([]byte("cv"), "cv.txt", "text/plain"))),
			status: 400, body: hapiError(400, `answers question "why" is required`)},
		{name: "answer not an option", call: flatchrCall(bearerSeed, flatchrBody(salesVacancy, `,"answers":[{"question":"why","value":"x"},{"question":"Niveau d'études","value":"Bac +2"}]`+doc64([]byte("cv"), "cv.txt", "text/plain"))),
			status: 400, body: hapiError(400, `answers value "Bac +2" is not an option of question "level"`)},
		{name: "every fault at once", call: flatchrCall(bearerSeed, `{"vacancy":"`+seedVacancy+`","firstname":"","lastname":"b","email":"x","type":"document","resume":{"data":"@@"},"similarities":"perhaps"}`),
			status: 400, body: hapiError(400, "email is invalid, firstname can't be blank, resume data is not valid base64, similarities must be true or false")},
		{name: "test endpoint validates too", call: call{method: http.MethodPost, path: flatchrTest, auth: bearerSeed, ctype: jsonType, body: flatchrBody(seedVacancy, "")},
			status: 400, body: hapiError(400, "resume is required")},
		{name: "custom answers a JSON client in JSON", call: call{method: http.MethodPost, path: flatchrCustom, ctype: jsonType, body: `{"token":"` + flatchrToken + `"}`},
			status: 400, body: hapiError(400, "vacancy is required")},
		{name: "unknown create endpoint", call: call{method: http.MethodPost, path: "/vacancy/candidate/xml", auth: bearerSeed},
			status: 404, body: hapiError(404, "Not Found")},
		{name: "GET on a create endpoint", call: call{path: flatchrJSON, auth: bearerSeed},
			status: 405, body: hapiError(405, "Method GET is not allowed on /vacancy/candidate/json")},
		{name: "unknown company feed", call: call{path: "/company/nope.json"},
			status: 404, body: hapiError(404, "company not found")},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			before := takeStock(t, base, data)
			got := send(t, base, tt.call)
			checkAnswer(t, got, tt.status, tt.body)
			if tt.status == http.StatusUnauthorized && got.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			before.unchanged(t, base, data)
		})
	}
	if elfHits.Load() == 0 {
		t.Error("the ELF link was never fetched: its refusal proves nothing")
	}
	if n := v6Hits.Load(); n != 0 {
		t.Errorf("the [::1] server got %d requests", n)
	}

	t.Run("a custom form's error is a page with the JSON error's status", func(t *testing.T) {
		form := url.Values{"token": {flatchrToken}, "vacancy": {"nope"}, "firstname": {"a"}, "lastname": {"b"}, "resume[data]": {"SGVsbG8h"}}
		a := send(t, base, call{method: http.MethodPost, path: flatchrCustom, ctype: formType, body: form.Encode(), header: browser})
		if a.status != http.StatusNotFound || a.header.Get("Content-Type") != htmlAnswer || !strings.Contains(string(a.body), "vacancy not found") {
			t.Errorf("custom error page: %d %q\n%s", a.status, a.header.Get("Content-Type"), a.body)
		}
	})

	t.Run("signed file URL works, an altered one is refused", func(t *testing.T) {
		first := flatchrCreated(t, base, send(t, base, call{method: http.MethodPost, path: flatchrJSON, auth: bearerSeed, ctype: jsonType,
			body: flatchrBody(seedVacancy, `,"email":"signed1@example.com"`+doc64(samplePDF, "cv.pdf", "application/pdf"))}))
		second := flatchrCreated(t, base, send(t, base, call{method: http.MethodPost, path: flatchrJSON, auth: bearerSeed, ctype: jsonType,
			body: flatchrBody(seedVacancy, `,"email":"signed2@example.com"`+doc64([]byte("second resume"), "other.txt", "text/plain"))}))
		ok := fetchFile(t, first.CV)
		if ok.status != http.StatusOK || sha(ok.body) != sha(samplePDF) || ok.header.Get("Content-Type") != "application/pdf" ||
			ok.header.Get("Content-Disposition") != "attachment; filename=cv.pdf" || ok.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("signed URL: %d %v", ok.status, ok.header)
		}
		u, err := url.Parse(first.CV)
		if err != nil {
			t.Fatal(err)
		}
		other, _ := url.Parse(second.CV)
		alter := func(f func(u *url.URL)) string {
			c := *u
			f(&c)
			return c.String()
		}
		setQuery := func(k, v string) func(u *url.URL) {
			return func(u *url.URL) {
				q := u.Query()
				q.Set(k, v)
				u.RawQuery = q.Encode()
			}
		}
		q := u.Query()
		sig := q.Get("sig")
		flipped := sig[:len(sig)-1] + "0"
		if strings.HasSuffix(sig, "0") {
			flipped = sig[:len(sig)-1] + "1"
		}
		exp := q.Get("exp")
		cases := []struct{ name, url string }{
			{"signature changed", alter(setQuery("sig", flipped))},
			{"signature removed", alter(func(u *url.URL) { u.RawQuery = "" })},
			{"expiry extended", alter(setQuery("exp", exp+"0"))},
			{"content type changed", alter(setQuery("type", "text/html"))},
			{"size changed", alter(setQuery("size", "1"))},
			{"file name changed", alter(func(u *url.URL) { u.Path = strings.TrimSuffix(u.Path, "cv.pdf") + "cv.html" })},
			{"another file's key", alter(func(u *url.URL) {
				u.Path = strings.Join(append(strings.Split(other.Path, "/")[:3], "cv.pdf"), "/")
			})},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if c.url == first.CV {
					t.Fatal("the URL was not altered")
				}
				got := fetchFile(t, c.url)
				if want := `{"error":"forbidden","message":"invalid download link"}` + "\n"; got.status != http.StatusForbidden || string(got.body) != want {
					t.Errorf("got %s, want 403 %s", got, want)
				}
			})
		}
	})
}

// TestBlackboxSignedURLExpires starts the binary with a one-second URL
// lifetime, checks the expiry it signs, and downloads past an expiry: a
// URL signed with the server's own key by a signer whose clock is an hour
// behind, so no test waits for real time to pass.
func TestBlackboxSignedURLExpires(t *testing.T) {
	s, data := startBB(t, "--file-url-ttl", "1s")
	c := flatchrCreated(t, s.URL, send(t, s.URL, call{method: http.MethodPost, path: flatchrJSON, auth: bearer(flatchrToken), ctype: jsonType, body: flatchrSeedBody}))
	u, err := url.Parse(c.CV)
	if err != nil {
		t.Fatal(err)
	}
	secs, err := strconv.ParseInt(u.Query().Get("exp"), 10, 64)
	if err != nil {
		t.Fatalf("exp of %s: %v", c.CV, err)
	}
	exp := time.Unix(secs, 0)
	if d := time.Until(exp); d > 2*time.Second {
		t.Fatalf("exp is %v away with a 1s lifetime", d)
	}
	secret, err := download.LoadOrCreateSecret(filepath.Join(data, "download.key"))
	if err != nil {
		t.Fatal(err)
	}
	segments := strings.Split(u.Path, "/") // "", "files", key, name
	if len(segments) != 4 {
		t.Fatalf("unexpected file URL %s", c.CV)
	}
	size, _ := strconv.ParseInt(u.Query().Get("size"), 10, 64)
	doc := &intake.Document{BlobKey: segments[2], FileName: segments[3], ContentType: u.Query().Get("type"), Size: size}
	signed := func(now time.Time) string {
		return s.URL + download.NewSigner(secret, time.Second, func() time.Time { return now }).Path(doc)
	}
	// Signed now, the link downloads: the test signs as the server does.
	if got := fetchFile(t, signed(time.Now())); got.status != http.StatusOK || string(got.body) != "Hello!" {
		t.Fatalf("link signed now: got %s, want 200 Hello!", got)
	}
	got := fetchFile(t, signed(time.Now().Add(-time.Hour)))
	if want := `{"error":"forbidden","message":"download link expired"}` + "\n"; got.status != http.StatusForbidden || string(got.body) != want {
		t.Errorf("expired URL: got %s, want 403 %s", got, want)
	}
	// A new read signs a new URL, which works.
	_, resume := wkResume(t, s.URL, c.Reference)
	if string(resume) != "Hello!" {
		t.Errorf("fresh URL downloads %q", resume)
	}
}

// flatchrCall is a JSON create sent with an Authorization header.
func flatchrCall(auth, body string) call {
	return call{method: http.MethodPost, path: flatchrJSON, auth: auth, ctype: jsonType, body: body}
}

// redirectServer answers every request with a redirect to target.
func redirectServer(t testing.TB, target string) string {
	t.Helper()
	srv := httptest.NewServer(http.RedirectHandler(target, http.StatusFound))
	t.Cleanup(srv.Close)
	return srv.URL
}

func notFoundServer(t testing.TB) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// ipv6Server is a file server on [::1] counting its requests; where the
// host has no IPv6 loopback, an address nothing listens on.
func ipv6Server(t testing.TB) (string, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	l, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		return "http://[::1]:9", &hits
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write(samplePDF)
	}))
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL, &hits
}

// checkGolden compares a page with the Flatchr handler's golden file: the
// binary must serve what the handler's own tests pinned.
func checkGolden(t testing.TB, name string, got []byte) {
	t.Helper()
	want, err := os.ReadFile("../../internal/httpapi/flatchr/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("page differs from flatchr/testdata/%s:\n got %s\nwant %s", name, got, want)
	}
}
