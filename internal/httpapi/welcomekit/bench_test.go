package welcomekit

import (
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"intake"
	"intake/internal/tooling/bench"
)

// BenchmarkDecodeCreate measures the hot path's decode: body to params to
// the domain's NewApplication, as JSON and as the same fields url-encoded.
func BenchmarkDecodeCreate(b *testing.B) {
	// The JSON create `intake bench` sends.
	body, err := bench.CreateBody(bench.CreateOptions{
		Dialect: bench.WelcomeKit, Org: bench.DemoOrg, Job: bench.DemoJob, StageID: bench.DemoStageID, RunID: "bench",
	}, 1)
	if err != nil {
		b.Fatal(err)
	}
	p, err := parseParams(jsonType, "", body)
	if err != nil {
		b.Fatal(err)
	}
	form := url.Values{}
	for k, v := range p {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				form.Add(k+"[]", e.(string))
			}
		default:
			form.Set(k, fmtParam(v))
		}
	}
	cases := []struct {
		name, contentType string
		body              []byte
	}{
		{"json", jsonType, body},
		{"form", formType, []byte(form.Encode())},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.body)))
			for b.Loop() {
				p, err := parseParams(c.contentType, "", c.body)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := decodeCreate(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func fmtParam(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return v.(interface{ String() string }).String()
}

// BenchmarkEncodeCandidate measures rendering a created candidate to the
// vendor's JSON, what every 201 sends.
func BenchmarkEncodeCandidate(b *testing.B) {
	h := &handler{loc: paris(), avatarPath: "/assets/default-avatar-0123456789abcdef.png"}
	now := time.Date(2026, 11, 29, 18, 4, 5, 123e6, time.UTC)
	c := &intake.Candidate{
		Application: &intake.Application{
			Reference: "wttj-019ad0c1f2aa7c3e9b5d4f21", StageID: bench.DemoStageID,
			Person: intake.Person{Email: "camille.martin.1@example.com", Firstname: "Camille", Lastname: "Martin",
				Phone: "+33 6 12 34 56 78", Subtitle: "Développeuse backend Go"},
			Tags: []string{"go", "backend"}, CreatedAt: now, UpdatedAt: now,
		},
		Job: &intake.Job{ID: 7, Reference: bench.DemoJob},
		Org: &intake.Org{ID: 1, Reference: bench.DemoOrg},
	}
	r := httptest.NewRequest("POST", "http://127.0.0.1:8080/api/v1/external/candidates", nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encodeJSON(h.candidate(r, c, view{})); err != nil {
			b.Fatal(err)
		}
	}
}
