package careers

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var jobLinkRE = regexp.MustCompile(`<li class="card job"><a href="([^"]+)">([^<]+)</a>`)

// listed returns the titles of the jobs a list page shows.
func listed(page string) []string {
	var out []string
	for _, m := range jobLinkRE.FindAllStringSubmatch(page, -1) {
		out = append(out, m[2])
	}
	return out
}

func TestListJobs(t *testing.T) {
	s := newSite(t, testWorld, nil)
	tests := []struct {
		name, query, lang string
		want              []string
		inPage            []string
	}{
		{name: "all published", want: []string{"Account Executive SaaS H/F", "Technicien métrologue H/F"},
			inPage: []string{`<html lang="fr">`, "2 offres", "CDI", "Stage", "Aix-en-Provence", "Télétravail partiel",
				`<link rel="canonical" href="https://jobs.example/careers/acme/">`, `We build <strong>measuring</strong> tools.`,
				`<option value="FULL_TIME">CDI</option>`, `<option value="Paris">Paris</option>`, `--accent:#ffcc00;--on-accent:#111111`}},
		{name: "by contract", query: "?contract=INTERNSHIP", want: []string{"Account Executive SaaS H/F"},
			inPage: []string{"1 offre", `<option value="INTERNSHIP" selected>Stage</option>`}},
		{name: "by city", query: "?city=Aix-en-Provence", want: []string{"Technicien métrologue H/F"}},
		{name: "by remote", query: "?remote=fulltime", want: []string{"Account Executive SaaS H/F"}},
		{name: "no match", query: "?remote=fulltime&city=Aix-en-Provence", inPage: []string{"Aucune offre ne correspond."}},
		{name: "english", lang: "en-GB,en;q=0.9,fr;q=0.5", want: []string{"Account Executive SaaS H/F", "Technicien métrologue H/F"},
			inPage: []string{`<html lang="en">`, "2 jobs", "Permanent", "Internship", "Partly remote"}},
		{name: "neither language: org default", lang: "de-DE", want: []string{"Account Executive SaaS H/F", "Technicien métrologue H/F"},
			inPage: []string{`<html lang="fr">`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, page := s.get(t, "/careers/acme/"+tt.query, tt.lang)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got := listed(page); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("jobs %q, want %q", got, tt.want)
			}
			for _, want := range tt.inPage {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if strings.Contains(page, "<script>alert") || strings.Contains(page, "Brouillon") || strings.Contains(page, "Archivée") {
				t.Error("page shows an unsafe script, a draft or an archived job")
			}
		})
	}
	t.Run("org default english", func(t *testing.T) {
		_, page := s.get(t, "/careers/globex/", "")
		if !strings.Contains(page, `<html lang="en">`) || !strings.Contains(page, "1 job") {
			t.Errorf("globex page:\n%s", page)
		}
	})
}

func TestJobPage(t *testing.T) {
	s := newSite(t, testWorld, nil)
	path := s.jobPath(t)
	resp, page := s.get(t, path, "fr")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{
		"<h1>Technicien métrologue H/F</h1>",
		"<p>Calibrate <em>instruments</em>.</p>",
		"<p>Two years of experience.</p><p>Patience.</p>",
		"Salaire\u00a0: 32 000 – 38 000 EUR / an",
		"Lieu\u00a0: 1 rue de la Paix, 13100 Aix-en-Provence (FR)",
		"Début\u00a0: 2027-01-04",
		`<link rel="canonical" href="https://jobs.example` + path + `">`,
		`<meta property="og:type" content="article">`,
		`<meta property="og:url" content="https://jobs.example` + path + `">`,
		`<form method="post" action="/vacancy/candidate/custom#apply" enctype="multipart/form-data"`,
		`<select id="f-q0" name="answers[0][value]" required>`,
		`<textarea id="f-q1" name="answers[1][value]">`,
		`<a href="https://acme.example/privacy">la politique de confidentialité</a>`,
		`name="website_url" tabindex="-1"`,
		`accept=".pdf,.doc,.docx,.odt,.rtf,.txt,`,
		"10 Mo au plus",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "onerror") || strings.Contains(page, "<img src=x") {
		t.Error("unsafe HTML of the description reached the page")
	}
	if len(page) >= 50<<10 {
		t.Errorf("page is %d bytes, want < 50 KB", len(page))
	}
	_, en := s.get(t, path, "en")
	if !strings.Contains(en, "Salary: 32,000 – 38,000 EUR / year") && !strings.Contains(en, "Salary : 32,000 – 38,000 EUR / year") {
		t.Errorf("english salary missing")
	}
}

func TestNotFound(t *testing.T) {
	s := newSite(t, testWorld, nil)
	for _, path := range []string{
		"/careers/nope/",
		"/careers/acme/nope/",
		"/careers/acme/3029/", // draft
		"/careers/acme/3030/", // archived
		"/careers/globex/3027/",
		"/careers/acme/a/b/c",
	} {
		resp, page := s.get(t, path, "fr")
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(page, "n&#39;existe pas") {
			t.Errorf("%s: %d\n%s", path, resp.StatusCode, page)
		}
	}
	resp, _ := s.get(t, "/careers/acme", "")
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/careers/acme/" {
		t.Errorf("/careers/acme: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestTheme(t *testing.T) {
	tests := []struct{ in, accent, on string }{
		{"", defaultAccent, "#ffffff"},
		{"#ffcc00", "#ffcc00", "#111111"},
		{"#FFF", "#ffffff", "#111111"},
		{"#000080", "#000080", "#ffffff"},
		{"red; background:url(x)", defaultAccent, "#ffffff"},
	}
	for _, tt := range tests {
		a, on := theme(tt.in)
		if a != tt.accent || on != tt.on {
			t.Errorf("theme(%q) = %s, %s; want %s, %s", tt.in, a, on, tt.accent, tt.on)
		}
	}
}
