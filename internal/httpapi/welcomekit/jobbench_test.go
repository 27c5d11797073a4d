package welcomekit

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"intake"
)

// BenchmarkListJobs measures GET /jobs?stages=true&per_page=100 over a
// hundred jobs with content, in process on SQLite: the store's page and
// its stages, and the encoding of about 100 KiB of JSON. JobEncode is the
// encoding alone.
func BenchmarkListJobs(b *testing.B) {
	f := newJobFixture(b)
	for i := range 98 {
		f.createJob(b, strings.Replace(fullJob, `"PROVIDER_REFERENCE"`, fmt.Sprintf(`"EXT-%d"`, i), 1))
	}
	h := NewHandler(f.env.Service, Options{})
	path := jobsPath + "?organization_reference=" + seedOrg + "&stages=true&per_page=100"
	b.Run("Handler", func(b *testing.B) {
		var size int
		for b.Loop() {
			r := httptest.NewRequest(http.MethodGet, path, nil)
			r.Header.Set("Authorization", "Bearer "+jobsToken)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusOK || w.Header().Get("X-Total") != "100" {
				b.Fatalf("status %d, X-Total %s", w.Code, w.Header().Get("X-Total"))
			}
			size = w.Body.Len()
		}
		b.ReportMetric(float64(size), "bytes/answer")
	})
	b.Run("JobEncode", func(b *testing.B) {
		p := principal(b, f, jobsToken)
		jobs, _, err := f.env.Service.ListJobs(b.Context(), p, seedOrg, jobFilterAll())
		if err != nil {
			b.Fatal(err)
		}
		hh := h.(*handler)
		for b.Loop() {
			out := make([]jobJSON, len(jobs))
			for i, j := range jobs {
				out[i] = hh.job(j, p.Org, jobView{Stages: true}, jobExtras{})
			}
			if _, err := encodeJSON(out); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func jobFilterAll() intake.JobFilter { return intake.JobFilter{Limit: 100} }
