package flatchr

import (
	"bytes"
	"net/http/httptest"
	"testing"
	"time"

	"intake"
	"intake/internal/tooling/bench"
)

// BenchmarkDecodeJSON measures the streaming JSON decoder on the creates of
// `intake bench`, the resume base64-decoded on the way; B/op for
// resume=5MiB shows the decoder never holds the document.
func BenchmarkDecodeJSON(b *testing.B) {
	job := &intake.Job{ID: 1}
	for _, c := range []struct {
		name   string
		resume int
	}{{"resume=seed", 0}, {"resume=5MiB", 5 << 20}} {
		body, err := bench.CreateBody(bench.CreateOptions{
			Dialect: bench.Flatchr, Vacancy: bench.DemoVacancy, ResumeSize: c.resume, RunID: "bench",
		}, 1)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				in := &createInput{}
				if err := (&decoder{in: in, up: &discardUploads{}}).decodeJSON(bytes.NewReader(body)); err != nil {
					b.Fatal(err)
				}
				in.application(job)
			}
		})
	}
}

// BenchmarkEncodeCreated measures rendering the create answer.
func BenchmarkEncodeCreated(b *testing.B) {
	h := &handler{}
	now := time.Date(2026, 11, 29, 18, 4, 5, 0, time.UTC)
	c := &intake.Candidate{
		Application: &intake.Application{Reference: "wttj-019ad0c1f2aa7c3e9b5d4f21", ApplicantKey: "0sQ8dK2mXr7Tb4Lp", CreatedAt: now},
		Job: &intake.Job{ID: 7, Reference: bench.DemoJob, Title: "Technicien métrologue (H/F)", VacancyKey: "vyja39jqrrnlnqwe",
			VacancySlug: bench.DemoVacancy, Published: true, CreatedAt: now},
		Org: &intake.Org{ID: 1, Name: "Demo", Reference: bench.DemoOrg},
	}
	r := httptest.NewRequest("POST", "http://127.0.0.1:8080/vacancy/candidate/json", nil)
	in := &createInput{}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encodeJSON(h.createBody(r, c, in, false)); err != nil {
			b.Fatal(err)
		}
	}
}
