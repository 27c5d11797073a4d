package dashboard

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"intake"
)

// resultLinks returns the card links of a search page's results, in order.
func resultLinks(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<th scope="row"><a href="([^"]+)">`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func searchURL(orgRef, q string) string {
	return searchPath(orgRef) + "?" + url.Values{"q": {q}}.Encode()
}

func TestSearch(t *testing.T) {
	f := newFixture(t)
	jane := f.welcomeKitCandidate(t) // "Jane Doe <b>bold</b>", tags senior and remote
	john := f.flatchrCandidate(t)    // "john doe", john.doe@example.com
	dev := f.create(t, rwToken, "WTTJ_gld0A7L", intake.NewApplication{Application: intake.Application{
		Source: intake.SourceWelcomeKit,
		Person: intake.Person{Email: "zed@example.org", Firstname: "Zed", Lastname: "Janeway"},
	}})
	mine := f.create(t, mineToken, job, intake.NewApplication{Application: intake.Application{
		Source: intake.SourceWelcomeKit,
		Person: intake.Person{Email: "mia@example.org", Firstname: "Mia", Lastname: "Own"},
	}})
	globex := f.create(t, otherToken, otherJob, intake.NewApplication{Application: intake.Application{
		Source: intake.SourceWelcomeKit,
		Person: intake.Person{Email: "jane.doe@example.com", Firstname: "Jane", Lastname: "Globex"},
	}})
	card := func(c *intake.Candidate) string { return cardPath(c.Org.Reference, c.Job.Reference, c.Reference) }

	viewer := f.signedInAs(t, intake.RoleViewer)
	for _, tc := range []struct {
		name, q string
		want    []*intake.Candidate
	}{
		{"first name", "jane", []*intake.Candidate{jane, dev}},
		{"last name, by the name matched", "doe", []*intake.Candidate{jane, john}},
		{"last name then first", "doe j", []*intake.Candidate{john}},
		{"email prefix", "john.doe@", []*intake.Candidate{john}},
		{"tag", "SENIOR", []*intake.Candidate{jane}},
		{"job title, anywhere in it", "métrologue", []*intake.Candidate{mine, john, jane}},
		{"job title, any case", "DÉVELOPPEUR", []*intake.Candidate{dev}},
		{"no match", "nobody-at-all", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := viewer.get(t, searchURL(org, tc.q))
			wantPage(t, res, body, http.StatusOK)
			var want []string
			for _, c := range tc.want {
				want = append(want, card(c))
			}
			if got := resultLinks(body); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("results %v, want %v", got, want)
			}
			if strings.Contains(body, card(globex)) || strings.Contains(body, "Globex") {
				t.Error("another organization's candidate was found")
			}
			if tc.want == nil && !strings.Contains(body, "No candidate matches") {
				t.Errorf("no-match page lacks its message:\n%s", body)
			}
		})
	}

	t.Run("the search box keeps the text", func(t *testing.T) {
		_, body := viewer.get(t, searchURL(org, "  senior  "))
		if !strings.Contains(body, `name="q" value="senior"`) {
			t.Error("the top bar's box does not show the text searched for")
		}
		_, body = viewer.get(t, homePath(org))
		if !strings.Contains(body, `<form class="search" role="search" method="get" action="/dashboard/o/Pg4eV6k/search">`) {
			t.Errorf("the home page lacks the search form:\n%s", body)
		}
	})
	t.Run("names are inert", func(t *testing.T) {
		_, body := viewer.get(t, searchURL(org, "jane"))
		if strings.Contains(body, "<b>bold</b>") || !strings.Contains(body, "Jane Doe &lt;b&gt;bold&lt;/b&gt;") {
			t.Errorf("the hostile name is not escaped:\n%s", body)
		}
		_, body = viewer.get(t, searchURL(org, `<script>alert(1)</script>`))
		if strings.Contains(body, "<script>") {
			t.Errorf("the text searched for is not escaped:\n%s", body)
		}
	})
	t.Run("archived candidates are found, marked", func(t *testing.T) {
		yes := true
		if _, err := f.env.Service.UpdateApplication(t.Context(), f.principal(t, rwToken), john.Reference, &intake.ApplicationUpdate{Archived: &yes}); err != nil {
			t.Fatal(err)
		}
		_, body := viewer.get(t, searchURL(org, "john"))
		if got := resultLinks(body); len(got) != 1 || got[0] != card(john) || !strings.Contains(body, `<span class="badge">Archived</span>`) {
			t.Errorf("archived john: %v\n%s", got, body)
		}
	})
	t.Run("another organization's user finds their own only", func(t *testing.T) {
		other := f.signedInEmail(t, otherOrgEmail)
		res, body := other.get(t, searchURL(otherOrg, "jane"))
		wantPage(t, res, body, http.StatusOK)
		if got := resultLinks(body); len(got) != 1 || got[0] != card(globex) {
			t.Errorf("Globex found %v", got)
		}
	})
	for _, tc := range []struct {
		name   string
		c      *client
		path   string
		status int
	}{
		{"another organization's search", viewer, searchURL(otherOrg, "jane"), http.StatusNotFound},
		{"a page past the limit", viewer, searchURL(org, "jane") + "&page=21", http.StatusBadRequest},
		{"a page that is no number", viewer, searchURL(org, "jane") + "&page=x", http.StatusBadRequest},
		{"a text too long", viewer, searchURL(org, strings.Repeat("a", intake.MaxFindText+1)), http.StatusBadRequest},
		{"an empty search", viewer, searchURL(org, " "), http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := tc.c.get(t, tc.path)
			wantPage(t, res, body, tc.status)
		})
	}
	res, _ := f.client(t).get(t, searchURL(org, "jane"))
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusFound {
		t.Errorf("signed out: status %d, want a redirect to sign in", res.StatusCode)
	}
}

// TestSearchPages pages through more results than one page holds.
func TestSearchPages(t *testing.T) {
	f := newFixture(t)
	for i := range searchPageSize + 5 {
		f.create(t, rwToken, job, intake.NewApplication{Application: intake.Application{
			Source: intake.SourceWelcomeKit,
			Person: intake.Person{Email: "p" + string(rune('a'+i/26)) + string(rune('a'+i%26)) + "@many.test", Firstname: "Many", Lastname: "People"},
		}})
	}
	c := f.signedInAs(t, intake.RoleViewer)
	_, body := c.get(t, searchURL(org, "many"))
	next := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(body)
	if n := len(resultLinks(body)); n != searchPageSize || next == nil {
		t.Fatalf("page 1: %d results, next %v", n, next)
	}
	_, body2 := c.get(t, strings.ReplaceAll(next[1], "&amp;", "&"))
	if n := len(resultLinks(body2)); n != 5 || strings.Contains(body2, `rel="next"`) || !strings.Contains(body2, `rel="prev"`) {
		t.Fatalf("page 2: %d results\n%s", n, body2)
	}
	for _, l := range resultLinks(body2) {
		if strings.Contains(body, l) {
			t.Errorf("%s is on both pages", l)
		}
	}
}
