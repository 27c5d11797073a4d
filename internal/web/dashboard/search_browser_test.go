package dashboard

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"intake"
	"intake/internal/testenv"
)

// checkPage runs axe-core on the open page (no serious or critical
// violation allowed) and saves its screenshot at 1280×800.
func checkPage(t *testing.T, ctx context.Context, axe, name string) {
	t.Helper()
	axeCheck(t, ctx, axe, name, "")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, name+".png")
}

// TestBrowserSearch searches from the top bar by name, email, tag and job
// title, and opens a card from the results.
func TestBrowserSearch(t *testing.T) {
	ctx := browser(t)
	axe := axeSource(t)
	f := newFixture(t)
	jane := f.welcomeKitCandidate(t)
	john := f.flatchrCandidate(t)
	dev := f.create(t, rwToken, "WTTJ_gld0A7L", intake.NewApplication{Application: intake.Application{
		Source: intake.SourceWelcomeKit, Tags: []string{"golang"},
		Person: intake.Person{Email: "zed@example.org", Firstname: "Zed", Lastname: "Ortiz"},
	}})
	f.create(t, otherToken, otherJob, intake.NewApplication{Application: intake.Application{
		Source: intake.SourceWelcomeKit,
		Person: intake.Person{Email: "jane@globex.test", Firstname: "Jane", Lastname: "Globex"},
	}})
	browserSignIn(t, ctx, f, intake.RoleViewer)

	search := func(text string) []string {
		t.Helper()
		if err := chromedp.Do(ctx,
			// The mark tells the results page from the page searched from.
			chromedp.Evaluate[chromedp.Void](`document.getElementById('topbar-q').value = ''; document.body.dataset.old = '1'`),
			chromedp.SendKeys(chromedp.ID("topbar-q"), text),
			chromedp.Submit(chromedp.ID("topbar-q")),
			chromedp.WaitVisible(chromedp.CSS(`body:not([data-old]) .page-head h1`)),
		); err != nil {
			t.Fatalf("search %q: %v", text, err)
		}
		names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('table.results tbody th a')].map(a => a.textContent)`))
		if err != nil {
			t.Fatal(err)
		}
		return names
	}
	for _, tc := range []struct{ name, text, want string }{
		{"name", "jane", "Jane Doe <b>bold</b>"},
		{"email", "john.doe@example", "john doe"},
		{"tag", "golang", "Zed Ortiz"},
		{"job", "développeur", "Zed Ortiz"},
		{"last name", "DOE", "Jane Doe <b>bold</b>,john doe"},
		{"nobody", "globex", ""},
	} {
		if got := strings.Join(search(tc.text), ","); got != tc.want {
			t.Errorf("search by %s %q found %q, want %q", tc.name, tc.text, got, tc.want)
		}
	}
	search("doe")
	checkPage(t, ctx, axe, "dashboard-search")
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`table.results tbody tr:first-child th a`)),
		chromedp.WaitVisible(chromedp.CSS(`.stage-now`)),
	); err != nil {
		t.Fatal(err)
	}
	if u, _ := chromedp.Run(ctx, chromedp.Location()); u != f.srv.URL+cardPath(org, job, jane.Reference) {
		t.Errorf("the first result led to %s", u)
	}
	_, _ = john, dev
}

// TestBrowserCharts opens a job's charts from its board and the
// organization's from the home page, and reads the numbers drawn.
func TestBrowserCharts(t *testing.T) {
	ctx := browser(t)
	axe := axeSource(t)
	f := newFixture(t)
	chartWorld(t, f)
	browserSignIn(t, ctx, f, intake.RoleViewer)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+boardPath(org, job)),
		chromedp.Click(chromedp.CSS(`a[href$="/stats"]`)),
		chromedp.WaitVisible(chromedp.CSS(`svg.funnel`)),
	); err != nil {
		t.Fatal(err)
	}
	type bar struct {
		Stage string  `json:"stage"`
		Value string  `json:"value"`
		Label string  `json:"label"`
		Width float64 `json:"width"`
	}
	bars, err := chromedp.Run(ctx, chromedp.Evaluate[[]bar](`[...document.querySelectorAll('svg.funnel .funnel-row')].map(g => ({
		stage: g.dataset.stage, value: g.querySelector('rect').dataset.value,
		label: g.querySelector('.value').textContent, width: g.querySelector('rect').getBBox().width}))`))
	if err != nil {
		t.Fatal(err)
	}
	want := []bar{
		{"Nouveau", "3", "3", funnelBarSpace},
		{"Refusé", "1", "1", round1(funnelBarSpace / 3.0)},
		{"Entretien technique", "1", "1", round1(funnelBarSpace / 3.0)},
	}
	if len(bars) != len(want) {
		t.Fatalf("funnel %+v", bars)
	}
	for i := range want {
		if bars[i] != want[i] {
			t.Errorf("funnel bar %d: %+v, want %+v", i, bars[i], want[i])
		}
	}
	cells, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('table.numbers')[0].querySelectorAll('tbody tr')].map(r => r.innerText.replace(/\s+/g, ' ').trim())`))
	if err != nil || strings.Join(cells, "|") != "Nouveau 3 0|Refusé 1 1|Entretien technique 1 0" {
		t.Errorf("funnel table %q, %v", cells, err)
	}
	type column struct {
		Period string    `json:"period"`
		Total  string    `json:"total"`
		Values []string  `json:"values"`
		Height []float64 `json:"heights"`
	}
	cols, err := chromedp.Run(ctx, chromedp.Evaluate[[]column](`[...document.querySelectorAll('svg.columns g.period')].map(g => ({
		period: g.dataset.period, total: g.dataset.total,
		values: [...g.querySelectorAll('rect')].map(r => r.dataset.series + '=' + r.dataset.value),
		heights: [...g.querySelectorAll('rect')].map(r => r.getBBox().height)}))`))
	if err != nil || len(cols) != statsWeeks {
		t.Fatalf("week columns %+v, %v", cols, err)
	}
	unit := float64(plotBottom-plotTop) / 4 // the axis tops at the peak, 4
	last, before := cols[statsWeeks-1], cols[statsWeeks-2]
	if last.Period != shortDay(weekStart(testenv.Start.Add(7*24*time.Hour))) || last.Total != "4" ||
		strings.Join(last.Values, ",") != "WelcomeKit=1,Flatchr=3" || !near(last.Height, []float64{unit, 3 * unit}) {
		t.Errorf("this week: %+v", last)
	}
	if before.Total != "2" || strings.Join(before.Values, ",") != "WelcomeKit=2" || !near(before.Height, []float64{2 * unit}) {
		t.Errorf("last week: %+v", before)
	}
	checkPage(t, ctx, axe, "dashboard-job-charts")

	if err := chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+homePath(org)),
		chromedp.Click(chromedp.CSS(`a[href$="/stats"]`)),
		chromedp.WaitVisible(chromedp.CSS(`svg.columns`)),
	); err != nil {
		t.Fatal(err)
	}
	days, err := chromedp.Run(ctx, chromedp.Evaluate[[]column](`[...document.querySelectorAll('svg.columns g.period')].map(g => ({
		period: g.dataset.period, total: g.dataset.total, values: [], heights: []}))`))
	if err != nil || len(days) != 30 || days[29].Total != "5" || days[22].Total != "2" {
		t.Errorf("30 days: %+v, %v", days, err)
	}
	checkPage(t, ctx, axe, "dashboard-org-charts")
}

// near compares chart sizes to the tenth the page rounds them to.
func near(got, want []float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if d := got[i] - want[i]; d > 0.11 || d < -0.11 {
			return false
		}
	}
	return true
}
