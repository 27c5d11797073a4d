package welcomekit

import (
	"strings"
	"testing"
)

// activitySeeds are the vendor's examples of the activity endpoints (spec
// welcomekit §7, §8) and edge cases of their params.
func activitySeeds(f *testing.F) {
	for _, body := range []string{
		`{"candidate_reference":"wttj-d655345409a6097309156b05","remote_file_urls":[{"filename":"resume","url":"http://example.com/resume.pdf"}]}`,
		`{"candidate_reference":"wttj-x","remote_file_urls":["http://example.com/a.pdf",{"url":""}]}`,
		`{"candidate_reference":"wttj-x","remote_file_urls":{"url":"x"}}`,
		`{"candidate_reference":"wttj-x","content":"**Foo** <b>bar</b>"}`,
		`{"candidate_reference":"wttj-x","subject":"s","body":"b","from_email":"a@b.c","to":["x@y.z",""],"send_email":"1"}`,
		`{"candidate_reference":"wttj-x","subject":"s","body":"b","from_email":"a@b.c","to":"x@y.z, w@v.u","send_email":true}`,
		`{"content":null,"to":7}`,
	} {
		f.Add(false, "", []byte(body))
	}
	f.Add(true, "candidate_reference=wttj-x", []byte("remote_file_urls[]=http://a/b.pdf&content=hi&to=a@b.c"))
}

func FuzzDecodeDocuments(f *testing.F) {
	activitySeeds(f)
	f.Fuzz(func(t *testing.T, form bool, query string, body []byte) {
		p, ok := fuzzParams(t, form, query, body)
		if !ok {
			return
		}
		ref, files, err := decodeDocuments(p)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		if strings.TrimSpace(ref) == "" || len(files) == 0 {
			t.Errorf("accepted a blank reference or no files: %q %v", ref, files)
		}
		for _, f := range files {
			if f.URL == "" || f.Staged != nil {
				t.Errorf("accepted file %+v", f)
			}
		}
	})
}

func FuzzDecodeComment(f *testing.F) {
	activitySeeds(f)
	f.Fuzz(func(t *testing.T, form bool, query string, body []byte) {
		p, ok := fuzzParams(t, form, query, body)
		if !ok {
			return
		}
		ref, c, err := decodeComment(p)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		if strings.TrimSpace(ref) == "" || strings.TrimSpace(c.Text) == "" {
			t.Errorf("accepted a blank reference or content: %q %q", ref, c.Text)
		}
	})
}

func FuzzDecodeEmail(f *testing.F) {
	activitySeeds(f)
	f.Fuzz(func(t *testing.T, form bool, query string, body []byte) {
		p, ok := fuzzParams(t, form, query, body)
		if !ok {
			return
		}
		ref, m, err := decodeEmail(p)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		if strings.TrimSpace(ref) == "" || strings.TrimSpace(m.Subject) == "" || strings.TrimSpace(m.Body) == "" ||
			strings.TrimSpace(m.FromEmail) == "" || len(m.To) == 0 {
			t.Errorf("accepted a blank required field: %q %+v", ref, m)
		}
		for _, to := range m.To {
			if strings.TrimSpace(to) == "" {
				t.Errorf("accepted a blank recipient")
			}
		}
	})
}
