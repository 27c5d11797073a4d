package welcomekit

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"intake"
)

// fuzzSeeds are the vendor's examples and their variants in both body
// encodings.
func fuzzSeeds(f *testing.F) {
	heredoc, err := os.ReadFile("testdata/seed_request.txt")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []struct {
		form        bool
		query, body string
	}{
		{body: string(heredoc)},
		{body: validCreate},
		{body: `{"email":"a@b.co","tag_list":["a",1],"job_stage_id":"42","archived":"true","remote_resume_url":"http://example.com/resume.pdf","media_github":"https://github.com/me"}`},
		{body: `{"job_stage_id":1e99,"archived":null,"tag_list":null,"phone":12.5}`},
		{query: "job_reference=WTTJ_KmqkD1Y&page=2&per_page=10&created_after=2015-11-26&stage=true&tags=false&archived=0&job_stage_reference=to-meet"},
		{form: true, body: "organization_reference=Pg4eV6k&job_reference=WTTJ_KmqkD1Y&email=test%40example.com&firstname=Foo&lastname=Bar&tag_list[]=a"},
		{form: true, query: "email=q@x.io", body: "email=%zz"},
		{body: `[1,2]`},
	} {
		f.Add(s.form, s.query, []byte(s.body))
	}
}

func fuzzParams(t *testing.T, form bool, query string, body []byte) (params, bool) {
	ct := jsonType
	if form {
		ct = formType
	}
	p, err := parseParams(ct, query, body)
	if err != nil {
		checkInvalid(t, err)
		return nil, false
	}
	return p, true
}

// checkInvalid asserts that a decoder failure is a client error with a
// message, never an internal one.
func checkInvalid(t *testing.T, err error) {
	t.Helper()
	if code := intake.ErrorCodeOf(err); code != intake.EInvalid || intake.ErrorMessage(err) == "" {
		t.Fatalf("decoder error %v: want a described EInvalid", err)
	}
}

func FuzzDecodeCreate(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, form bool, query string, body []byte) {
		p, ok := fuzzParams(t, form, query, body)
		if !ok {
			return
		}
		req, err := decodeCreate(p)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		for name, v := range map[string]string{
			"organization_reference": req.OrganizationReference, "job_reference": req.JobReference,
			"email": req.App.Application.Person.Email, "firstname": req.App.Application.Person.Firstname, "lastname": req.App.Application.Person.Lastname,
		} {
			if strings.TrimSpace(v) == "" {
				t.Errorf("accepted a blank %s", name)
			}
		}
		if req.App.Application.Source != intake.SourceWelcomeKit || req.App.OnDuplicate != intake.DuplicateReject || req.App.Job != nil {
			t.Errorf("create not set up for WelcomeKit: %+v", req.App)
		}
		for _, file := range []*intake.FileInput{req.App.Resume, req.App.Portfolio, req.App.Avatar} {
			if file != nil && strings.TrimSpace(file.URL) == "" {
				t.Errorf("accepted an empty file URL")
			}
		}
	})
}

func FuzzDecodeUpdate(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, form bool, query string, body []byte) {
		p, ok := fuzzParams(t, form, query, body)
		if !ok {
			return
		}
		upd, err := decodeUpdate(p)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		for k := range upd.Media {
			if !slices.ContainsFunc(mediaNetworks, func(m [2]string) bool { return m[0] == k && m[1] == "media_"+k }) {
				t.Errorf("media key %q is not a vendor network", k)
			}
		}
	})
}

func FuzzDecodeList(f *testing.F) {
	fuzzSeeds(f)
	paris := paris()
	f.Fuzz(func(t *testing.T, form bool, query string, body []byte) {
		p, ok := fuzzParams(t, form, query, body)
		if !ok {
			return
		}
		req, err := decodeList(p, paris)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		if strings.TrimSpace(req.JobReference) == "" || req.Page < 1 || req.PerPage < 1 || req.PerPage > maxPerPage {
			t.Errorf("accepted job %q, page %d, per_page %d", req.JobReference, req.Page, req.PerPage)
		}
		if o := offset(req.Page, req.PerPage); o < 0 {
			t.Errorf("offset %d for page %d", o, req.Page)
		}
		for _, after := range []*time.Time{req.Query.CreatedAfter, req.Query.UpdatedAfter} {
			if after != nil && after.In(paris).Format("15:04:05.000") != "23:59:59.999" {
				t.Errorf("date bound %v is not the end of a day in Paris", after)
			}
		}
	})
}
