package flatchr

import (
	"net/http"
	"regexp"
	"testing"

	"intake"
)

var (
	encodedID = regexp.MustCompile(`^[0-9A-Za-z]{16}$`)
	wkRef     = regexp.MustCompile(`^wttj-[0-9a-f]{24}$`)
)

// created reads the identifiers a create answer adds (our extension) and
// checks their shapes.
func createdIDs(t *testing.T, body []byte) (applicant, reference, cv string) {
	t.Helper()
	m := decode(t, body)
	applicant, _ = m["applicant"].(string)
	reference, _ = m["reference"].(string)
	cv, _ = m["cv"].(string)
	if !encodedID.MatchString(applicant) || !wkRef.MatchString(reference) {
		t.Fatalf("applicant %q / reference %q have the wrong shape", applicant, reference)
	}
	return applicant, reference, cv
}

func TestCreateSeedExample(t *testing.T) {
	s := newServer(t)
	// The seed's curl example, its {token} placeholder filled with the
	// body's token.
	res := s.postJSON(t, "/vacancy/candidate/json", vendorJSON, "Authorization", "Bearer "+seedToken)
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	if got := res.header.Get("Content-Type"); got != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	applicant, reference, cv := createdIDs(t, res.body)
	golden(t, "create_seed.json", res.body, map[string]string{"applicant": applicant, "reference": reference, "cv": cv})

	c, err := s.env.Service.Application(t.Context(), s.principal(t), reference)
	if err != nil {
		t.Fatal(err)
	}
	if c.ApplicantKey != applicant || c.Source != intake.SourceFlatchr || c.Person.Firstname != "john" || c.Person.Lastname != "doe" || c.Job.VacancySlug != seedVacancy {
		t.Errorf("stored %+v", c.Application)
	}
	doc := c.Resume
	if doc == nil {
		t.Fatal("no resume stored")
	}
	if doc.FileName != "resume.txt" || doc.ContentType != "text/plain" || doc.Size != 6 || doc.SHA256 != sum([]byte("Hello!")) || s.blobSum(t, doc) != doc.SHA256 {
		t.Errorf("resume %+v", doc)
	}
	dl := s.do(t, http.MethodGet, cv[len(s.url):], "", nil)
	if dl.status != http.StatusOK || string(dl.body) != "Hello!" {
		t.Errorf("cv link: %d %q", dl.status, dl.body)
	}
}
