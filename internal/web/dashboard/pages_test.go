package dashboard

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"intake"
)

// replacements names the random parts of a candidate for golden files.
func replacements(name string, c *intake.Candidate) []string {
	r := []string{c.Reference, name + "-REF", c.ApplicantKey, name + "-KEY"}
	if c.Resume != nil {
		r = append(r, c.Resume.BlobKey, name+"-BLOB")
	}
	return r
}

func TestHome(t *testing.T) {
	f := newFixture(t)
	wk := f.welcomeKitCandidate(t)
	fl := f.flatchrCandidate(t)
	archived := f.create(t, rwToken, job, intake.NewApplication{Application: intake.Application{Source: intake.SourceWelcomeKit, Archived: true, Person: intake.Person{Email: "old@example.com", Firstname: "Old", Lastname: "Timer"}}})

	res, body := f.signedInAs(t, intake.RoleRecruiter).get(t, homePath(org))
	wantPage(t, res, body, http.StatusOK)
	golden(t, "home.html", body, append(append(replacements("wk", wk), replacements("fl", fl)...), replacements("old", archived)...)...)
}

func TestBoard(t *testing.T) {
	f := newFixture(t)
	wk := f.welcomeKitCandidate(t)
	fl := f.flatchrCandidate(t)
	c := f.signedInAs(t, intake.RoleRecruiter)
	res, body := c.get(t, boardPath(org, job))
	wantPage(t, res, body, http.StatusOK)
	golden(t, "board.html", body, append(replacements("wk", wk), replacements("fl", fl)...)...)
}

// names lists the candidate names a board shows, column by column.
func names(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<h2><span>([^<]*)</span>|<span class="name">([^<]*)</span>`).FindAllStringSubmatch(body, -1) {
		if m[1] != "" {
			out = append(out, "#"+m[1])
		} else {
			out = append(out, m[2])
		}
	}
	return out
}

func TestBoardFilters(t *testing.T) {
	f := newFixture(t)
	f.welcomeKitCandidate(t)
	f.flatchrCandidate(t)
	f.create(t, rwToken, job, intake.NewApplication{Application: intake.Application{Source: intake.SourceFlatchr, Archived: true, Person: intake.Person{Email: "old@example.com", Firstname: "Old", Lastname: "Timer"}}})
	c := f.signedInAs(t, intake.RoleRecruiter)

	tests := []struct {
		name  string
		query string
		want  string
	}{
		{"default shows active", "", "#Nouveau Jane Doe <b>bold</b> #Refusé john doe #Entretien technique"},
		{"stage", "?stage=14600", "#Refusé john doe"},
		{"archived", "?archived=archived", "#Nouveau Old Timer #Refusé #Entretien technique"},
		{"all", "?archived=all", "#Nouveau Jane Doe <b>bold</b> Old Timer #Refusé john doe #Entretien technique"},
		{"email any case", "?email=JOHN.DOE@example.com", "#Nouveau #Refusé john doe #Entretien technique"},
		{"email and stage", "?email=john.doe%40example.com&stage=42", "#Nouveau"},
		{"page past the end", "?page=3", "#Nouveau #Refusé #Entretien technique"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := c.get(t, boardPath(org, job)+tt.query)
			wantPage(t, res, body, http.StatusOK)
			got := strings.Join(names(body), " ")
			got = strings.NewReplacer("&lt;", "<", "&gt;", ">").Replace(got)
			if got != tt.want {
				t.Errorf("board shows %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBoardPagination(t *testing.T) {
	f := newFixture(t)
	for i := range boardPageSize + 1 {
		f.create(t, rwToken, job, intake.NewApplication{Application: intake.Application{Source: intake.SourceWelcomeKit, Person: intake.Person{Email: fmt.Sprintf("c%02d@example.com", i), Firstname: "C", Lastname: fmt.Sprintf("%02d", i)}}})
	}
	c := f.signedInAs(t, intake.RoleRecruiter)
	board := boardPath(org, job)

	_, body := c.get(t, board)
	if n := strings.Count(body, `class="card"`); n != boardPageSize {
		t.Errorf("page 1 shows %d cards", n)
	}
	for _, want := range []string{`<span class="count">21</span>`, "Page 1 of 2", `href="` + board + `?page=2" rel="next"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page 1 lacks %q", want)
		}
	}
	_, body = c.get(t, board+"?page=2")
	if got := names(body); strings.Join(got, " ") != "#Nouveau C 20 #Refusé #Entretien technique" {
		t.Errorf("page 2 shows %q", got)
	}
	for _, want := range []string{"Page 2 of 2", `href="` + board + `" rel="prev"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page 2 lacks %q", want)
		}
	}
	if strings.Contains(body, `rel="next"`) {
		t.Error("the last page links to a next one")
	}
	_, body = c.get(t, board+"?stage=42&archived=all&page=2")
	if !strings.Contains(body, `href="`+board+`?archived=all&amp;stage=42" rel="prev"`) {
		t.Errorf("the pager drops the filters:\n%s", body)
	}
}

func TestBoardBadInput(t *testing.T) {
	f := newFixture(t)
	c := f.signedInAs(t, intake.RoleRecruiter)
	tests := []struct {
		name, query, message string
	}{
		{"stage not a number", "?stage=abc", "The stage filter does not name a stage of this job."},
		{"stage of another job", "?stage=50", "The stage filter does not name a stage of this job."},
		{"archived unknown", "?archived=maybe", "The archived filter must be active, archived or all."},
		{"page zero", "?page=0", "The page number must be a whole number from 1 to 100000."},
		{"page huge", "?page=99999999999999999999", "The page number must be a whole number from 1 to 100000."},
		{"email too long", "?email=" + strings.Repeat("a", 300), "The email searched for is too long."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := c.get(t, boardPath(org, job)+tt.query)
			wantPage(t, res, body, http.StatusBadRequest)
			if !strings.Contains(body, "<p>"+tt.message+"</p>") {
				t.Errorf("no %q in\n%s", tt.message, body)
			}
		})
	}
}

func TestCard(t *testing.T) {
	f := newFixture(t)
	wk := f.welcomeKitCandidate(t)
	fl := f.flatchrCandidate(t)
	c := f.signedInAs(t, intake.RoleRecruiter)

	res, body := c.get(t, cardPath(org, job, wk.Reference))
	wantPage(t, res, body, http.StatusOK)
	golden(t, "card_welcomekit.html", body, replacements("wk", wk)...)
	for _, bad := range []string{"<script>", "<b>", `href="javascript:`, `href="janedoe"`} {
		if strings.Contains(body, bad) {
			t.Errorf("the card holds %q", bad)
		}
	}

	res, body = c.get(t, cardPath(org, job, fl.Reference))
	wantPage(t, res, body, http.StatusOK)
	golden(t, "card_flatchr.html", body, replacements("fl", fl)...)

	// The resume link on the card downloads the uploaded file.
	m := regexp.MustCompile(`href="(/files/[^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no download link")
	}
	link := strings.ReplaceAll(m[1], "&amp;", "&")
	dl, err := http.Get(f.srv.URL + link)
	if err != nil {
		t.Fatal(err)
	}
	defer dl.Body.Close()
	got, _ := io.ReadAll(dl.Body)
	if dl.StatusCode != http.StatusOK || string(got) != "%PDF-1.4\n% John\n%%EOF\n" {
		t.Errorf("download: %d %q", dl.StatusCode, got)
	}
}

// TestModalPath opens the modal_path the WelcomeKit API returns for a new
// candidate: it must be the candidate's card.
func TestModalPath(t *testing.T) {
	f := newFixture(t)
	ref, modal := createViaAPI(t, f, `{"email":"test@example.com","firstname":"Foo","lastname":"Bar","organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","job_stage_id":42}`)
	if want := cardPath(org, job, ref); modal != want {
		t.Fatalf("modal_path %q, want %q", modal, want)
	}

	c := f.client(t)
	res, _ := c.get(t, modal)
	login := loginPath + "?next=" + url.QueryEscape(modal)
	wantRedirect(t, res, http.StatusSeeOther, login)
	_, page := c.get(t, login)
	if !strings.Contains(page, `name="next" value="`+modal+`"`) {
		t.Fatalf("the sign-in form forgets where to go:\n%s", page)
	}
	res, _ = c.submit(t, loginPath, url.Values{"email": {roleEmail[intake.RoleRecruiter]}, "password": {testPassword}, "next": {modal}})
	wantRedirect(t, res, http.StatusSeeOther, modal)
	res, page = c.get(t, modal)
	wantPage(t, res, page, http.StatusOK)
	for _, want := range []string{"<title>Foo Bar · intake</title>", ref, "<dt>Source</dt><dd>WelcomeKit</dd>", `<p class="stage-now">Nouveau</p>`} {
		if !strings.Contains(page, want) {
			t.Errorf("card lacks %q", want)
		}
	}
}

func TestStaticCSS(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	_, page := c.get(t, loginPath)
	m := regexp.MustCompile(`<link rel="stylesheet" href="(/dashboard/static/style-[0-9a-f]{12}\.css)">`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no stylesheet link:\n%s", page)
	}
	res, css := c.get(t, m[1])
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/css; charset=utf-8" ||
		res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || !strings.HasPrefix(css, ":root {") {
		t.Errorf("stylesheet: %d %v", res.StatusCode, res.Header)
	}
	res, body := c.get(t, "/dashboard/static/style.css")
	wantPage(t, res, body, http.StatusNotFound)
}

func TestNotRouted(t *testing.T) {
	f := newFixture(t)
	c := f.signedInAs(t, intake.RoleRecruiter)
	res, body := c.get(t, "/dashboard/nope")
	wantPage(t, res, body, http.StatusNotFound)
	res, body = c.get(t, cardPath(org, job, "wttj-x")+"/stage")
	wantPage(t, res, body, http.StatusMethodNotAllowed)
	if res.Header.Get("Allow") != "POST" {
		t.Errorf("Allow %q", res.Header.Get("Allow"))
	}
	golden(t, "not_found.html", func() string { _, b := c.get(t, "/dashboard/nope"); return b }())
}
