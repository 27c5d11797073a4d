package main

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestCareersServed checks that the binary mounts the career site and
// that /vacancy/candidate/custom takes its form: the pages, the sitemap
// and the feed answer, and a post of the form straight after serving it is
// refused by the time-to-submit check with the job's page, storing nothing.
// (The accepted path, which needs the form to age, is in the careers
// package's tests with a settable clock.)
func TestCareersServed(t *testing.T) {
	s, data := startBB(t)
	base := s.URL
	before := takeStock(t, base, data)

	list := send(t, base, call{path: "/careers/acme/"})
	if list.status != http.StatusOK || list.header.Get("Content-Type") != htmlAnswer {
		t.Fatalf("list: %s", list)
	}
	m := regexp.MustCompile(`href="(/careers/acme/vyja39jqrrnlnqwe-technicien-metrologue-h-f/)"`).FindStringSubmatch(string(list.body))
	if m == nil {
		t.Fatalf("the list does not link the seed job:\n%s", list.body)
	}
	page := send(t, base, call{path: m[1], header: []string{"Accept-Language", "en"}})
	if page.status != http.StatusOK || !bytes.Contains(page.body, []byte(`"@type":"JobPosting"`)) {
		t.Fatalf("job page: %s", page)
	}
	for _, path := range []string{"/careers/acme/sitemap.xml", "/careers/acme/feed.atom"} {
		if a := send(t, base, call{path: path}); a.status != http.StatusOK || !bytes.Contains(a.body, []byte(m[1])) {
			t.Errorf("%s: %s", path, a)
		}
	}
	if a := send(t, base, call{path: "/careers/nope/"}); a.status != http.StatusNotFound {
		t.Errorf("unknown org: %d", a.status)
	}

	token := regexp.MustCompile(`name="career_token" value="([^"]+)"`).FindSubmatch(page.body)
	if token == nil {
		t.Fatal("no form token on the job page")
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range [][2]string{
		{"career_token", string(token[1])}, {"vacancy", "vyja39jqrrnlnqwe-technicien-metrologue-h-f"},
		{"firstname", "Ana"}, {"lastname", "Lima"}, {"email", "ana@example.com"}, {"privacy_consent", "yes"},
	} {
		_ = mw.WriteField(f[0], f[1])
	}
	fw, _ := mw.CreateFormFile("resume", "cv.pdf")
	_, _ = fw.Write([]byte("%PDF-1.4\n%%EOF\n"))
	_ = mw.Close()
	post := send(t, base, call{method: http.MethodPost, path: "/vacancy/candidate/custom", ctype: mw.FormDataContentType(),
		body: body.String(), header: []string{"Accept", "text/html", "Accept-Language", "en"}})
	if post.status != http.StatusBadRequest || post.header.Get("Content-Type") != htmlAnswer ||
		!strings.Contains(string(post.body), "The form was sent too quickly.") {
		t.Fatalf("an instant post: %s", post)
	}
	before.unchanged(t, base, data)
}
