package careers

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// documentedProperties reads the JobPosting table of docs/CAREERS.md:
// property name → need (required, recommended, optional).
func documentedProperties(t *testing.T) map[string]string {
	t.Helper()
	doc, err := os.ReadFile("../../../docs/CAREERS.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([@A-Za-z]+)` \\| (required|recommended|optional) \\|")
	out := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		out[m[1]] = m[2]
	}
	if len(out) < 10 {
		t.Fatalf("docs/CAREERS.md lists %d JobPosting properties; the table was not found", len(out))
	}
	return out
}

var ldRE = regexp.MustCompile(`<script type="application/ld\+json">(.*?)</script>`)

// TestJobPostingJSONLD parses the JSON-LD of every published job's page and
// checks it against the documented property list: every required property
// present and not empty, nothing undocumented, and the location rule (an
// office, or full remote with the applicant's country).
func TestJobPostingJSONLD(t *testing.T) {
	props := documentedProperties(t)
	s := newSite(t, testWorld, nil)
	_, list := s.get(t, "/careers/acme/", "")
	links := jobLinkRE.FindAllStringSubmatch(list, -1)
	if len(links) != 2 {
		t.Fatalf("%d jobs listed", len(links))
	}
	for _, l := range links {
		_, page := s.get(t, l[1], "")
		m := ldRE.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("%s: no JSON-LD", l[1])
		}
		var ld map[string]any
		if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
			t.Fatalf("%s: JSON-LD does not parse: %v", l[1], err)
		}
		for name, need := range props {
			v, ok := ld[name]
			if need == "required" && (!ok || v == "" || v == nil) {
				t.Errorf("%s: required %s missing", l[1], name)
			}
		}
		for name := range ld {
			if _, ok := props[name]; !ok {
				t.Errorf("%s: property %s is not documented", l[1], name)
			}
		}
		_, office := ld["jobLocation"]
		remote := ld["jobLocationType"] == "TELECOMMUTE" && ld["applicantLocationRequirements"] != nil
		if !office && !remote {
			t.Errorf("%s: neither jobLocation nor remote requirements", l[1])
		}
		if ld["@type"] != "JobPosting" || ld["url"] != "https://jobs.example"+l[1] || ld["directApply"] != true {
			t.Errorf("%s: %v", l[1], ld)
		}
		if l[2] == "Technicien métrologue H/F" {
			want := `{"@type":"MonetaryAmount","currency":"EUR","value":{"@type":"QuantitativeValue","maxValue":38000,"minValue":32000,"unitText":"YEAR"}}` // map keys re-encoded sorted
			got, _ := json.Marshal(ld["baseSalary"])
			if string(got) != want {
				t.Errorf("baseSalary %s, want %s", got, want)
			}
			if ld["employmentType"] != "FULL_TIME" {
				t.Errorf("employmentType %v", ld["employmentType"])
			}
		}
	}
}

// TestSitemapAndFeed checks that both parse as XML in their namespaces and
// list exactly the published jobs' pages.
func TestSitemapAndFeed(t *testing.T) {
	s := newSite(t, testWorld, nil)
	_, list := s.get(t, "/careers/acme/", "")
	var want []string
	for _, m := range jobLinkRE.FindAllStringSubmatch(list, -1) {
		want = append(want, "https://jobs.example"+m[1])
	}
	slices.Sort(want)

	resp, body := s.get(t, "/careers/acme/sitemap.xml", "")
	if ct := resp.Header.Get("Content-Type"); ct != "application/xml; charset=utf-8" {
		t.Errorf("sitemap Content-Type %q", ct)
	}
	var sm struct {
		XMLName xml.Name
		URLs    []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(body), &sm); err != nil {
		t.Fatalf("sitemap: %v", err)
	}
	if sm.XMLName.Space != "http://www.sitemaps.org/schemas/sitemap/0.9" || sm.XMLName.Local != "urlset" {
		t.Errorf("sitemap root %v", sm.XMLName)
	}
	var locs []string
	for _, u := range sm.URLs {
		if u.LastMod == "" {
			t.Errorf("%s without lastmod", u.Loc)
		}
		if u.Loc != "https://jobs.example/careers/acme/" {
			locs = append(locs, u.Loc)
		}
	}
	slices.Sort(locs)
	if strings.Join(locs, " ") != strings.Join(want, " ") || len(sm.URLs) != len(want)+1 {
		t.Errorf("sitemap lists %q, want the list page and %q", locs, want)
	}

	resp, body = s.get(t, "/careers/acme/feed.atom", "")
	if ct := resp.Header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("feed Content-Type %q", ct)
	}
	var feed struct {
		XMLName xml.Name
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(body), &feed); err != nil {
		t.Fatalf("feed: %v", err)
	}
	if feed.XMLName.Space != "http://www.w3.org/2005/Atom" || feed.XMLName.Local != "feed" {
		t.Errorf("feed root %v", feed.XMLName)
	}
	// RFC 4287 §4.1.1: a feed has id, title, updated and an author (here
	// at feed level); each entry id, title, updated.
	if feed.ID == "" || feed.Title == "" || feed.Updated == "" || feed.Author.Name != "Acme" {
		t.Errorf("feed head %+v", feed)
	}
	var hrefs []string
	for _, e := range feed.Entries {
		if e.ID == "" || e.Title == "" || e.Updated == "" {
			t.Errorf("entry %+v", e)
		}
		hrefs = append(hrefs, e.Link.Href)
	}
	slices.Sort(hrefs)
	if strings.Join(hrefs, " ") != strings.Join(want, " ") {
		t.Errorf("feed lists %q, want %q", hrefs, want)
	}
	if resp, _ := s.get(t, "/careers/nope/feed.atom", ""); resp.StatusCode != 404 {
		t.Errorf("unknown org feed: %d", resp.StatusCode)
	}
}
