package careers

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// benchWorld is an organization with n published jobs, each with the
// content a real posting has.
func benchWorld(n int) string {
	var b strings.Builder
	b.WriteString("organizations:\n  - name: Acme\n    reference: Pg4eV6k\n    slug: acme\n    description: \"<p>We build measuring tools.</p>\"\n    jobs:\n")
	for i := range n {
		fmt.Fprintf(&b, `      - reference: JOB_%05d
        title: "Technicien métrologue %d H/F"
        status: published
        description: "<p>%s</p>"
        profile: "<ul><li>Two years of experience.</li><li>Patience.</li></ul>"
        contract_type: FULL_TIME
        remote: partial
        salary: {min: 32000, max: 38000, currency: EUR, period: yearly}
        office: {address: 1 rue de la Paix, zip_code: "13100", city: Aix-en-Provence, country_code: FR}
        questions:
          - {id: q-level-%d, text: "Niveau d'études ?", type: select, required: true, options: "Bac;Bac +3;Bac +5"}
`, i, i, strings.Repeat("Calibrate and maintain the instruments of the lab. ", 40), i)
	}
	return b.String()
}

// BenchmarkJobPage serves one job's page of an organization with 1,000
// published jobs (issue 16: ≤ 5 ms server time, < 50 KB), in process.
func BenchmarkJobPage(b *testing.B) {
	s := newSite(b, benchWorld(1000), nil)
	h := NewHandler(s.env.Service, Options{PublicURL: "https://jobs.example", Signer: s.signer})
	_, list := s.get(b, "/careers/acme/", "")
	m := jobLinkRE.FindAllStringSubmatch(list, -1)
	if len(m) != 1000 {
		b.Fatalf("%d jobs listed", len(m))
	}
	path := m[500][1]
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.8")
	size := 0
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
		size = w.Body.Len()
	}
	b.ReportMetric(float64(size), "bytes/page")
	if size >= 50<<10 {
		b.Errorf("job page is %d bytes, want < 50 KB", size)
	}
}

// BenchmarkJobList serves the list of 1,000 published jobs.
func BenchmarkJobList(b *testing.B) {
	s := newSite(b, benchWorld(1000), nil)
	h := NewHandler(s.env.Service, Options{PublicURL: "https://jobs.example", Signer: s.signer})
	req := httptest.NewRequest(http.MethodGet, "/careers/acme/", nil)
	size := 0
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
		size = w.Body.Len()
	}
	b.ReportMetric(float64(size), "bytes/page")
}
