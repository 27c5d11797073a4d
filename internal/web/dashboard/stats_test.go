package dashboard

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"intake"
	"intake/internal/testenv"
)

// chartWorld creates candidates of the first job with known stages, sources
// and dates, and leaves the clock 7 days after testenv.Start:
//
//	week of Start:    2 WelcomeKit (Nouveau, Entretien technique)
//	week of Start+7d: 1 WelcomeKit (Nouveau), 3 Flatchr (Nouveau, Refusé ×2, one archived)
//
// plus one candidate of the other job and one of another organization,
// which no chart of the first job may count.
func chartWorld(t *testing.T, f *fixture) {
	t.Helper()
	n := 0
	add := func(token, jobRef string, source intake.Source, stage int64) *intake.Candidate {
		n++
		return f.create(t, token, jobRef, intake.NewApplication{
			Application: intake.Application{Source: source, Person: intake.Person{Email: "c" + strconv.Itoa(n) + "@chart.test", Firstname: "C", Lastname: "N" + strconv.Itoa(n)}},
			StageID:     &stage,
		})
	}
	wk, fl := intake.SourceWelcomeKit, intake.SourceFlatchr
	add(rwToken, job, wk, 42)
	add(rwToken, job, wk, 14601)
	f.env.Clock.Advance(7 * 24 * time.Hour)
	add(rwToken, job, wk, 42)
	add(rwToken, job, fl, 42)
	add(rwToken, job, fl, 14600)
	archived := add(rwToken, job, fl, 14600)
	yes := true
	if _, err := f.env.Service.UpdateApplication(t.Context(), f.principal(t, rwToken), archived.Reference, &intake.ApplicationUpdate{Archived: &yes}); err != nil {
		t.Fatal(err)
	}
	add(rwToken, "WTTJ_gld0A7L", wk, 50)
	add(otherToken, otherJob, wk, 60)
}

var (
	funnelRowRE = regexp.MustCompile(`<g class="funnel-row" data-stage="([^"]*)">\s*<text[^>]*>[^<]*</text>\s*<rect class="bar" x="190" y="\d+" width="([\d.]+)" height="22" data-value="(\d+)"></rect>\s*<text class="value"[^>]*>(\d+)</text>`)
	segmentRE   = regexp.MustCompile(`<rect class="(src-[a-z]+)" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" data-series="([^"]+)" data-value="(\d+)"></rect>`)
	periodRE    = regexp.MustCompile(`(?s)<g class="period" data-period="([^"]+)" data-total="(\d+)">(.*?)</g>`)
	rowRE       = regexp.MustCompile(`<tr><th scope="row">([^<]+)</th>((?:<td>\d+</td>)+)</tr>`)
	cellRE      = regexp.MustCompile(`<td>(\d+)</td>`)
)

// tableRows reads a chart table's rows: the row header and its numbers.
func tableRows(table string) map[string]string {
	out := map[string]string{}
	for _, m := range rowRE.FindAllStringSubmatch(table, -1) {
		var cells []string
		for _, c := range cellRE.FindAllStringSubmatch(m[2], -1) {
			cells = append(cells, c[1])
		}
		out[m[1]] = strings.Join(cells, " ")
	}
	return out
}

func TestJobStats(t *testing.T) {
	f := newFixture(t)
	chartWorld(t, f)
	c := f.signedInAs(t, intake.RoleViewer)
	_, board := c.get(t, boardPath(org, job))
	if !strings.Contains(board, `<a href="/dashboard/o/Pg4eV6k/jobs/WTTJ_KmqkD1Y/stats">Charts</a>`) {
		t.Error("the board does not link to its charts")
	}
	res, body := c.get(t, jobStatsPath(org, job))
	wantPage(t, res, body, http.StatusOK)
	for _, want := range []string{`role="img" aria-labelledby="funnel-title funnel-desc"`, `<title id="funnel-title">`,
		`<caption>Candidates per stage</caption>`, `<th scope="col">Stage</th>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}

	// Funnel: active candidates per stage, bars scaled to the largest.
	type bar struct {
		width        float64
		value, label string
	}
	bars := map[string]bar{}
	for _, m := range funnelRowRE.FindAllStringSubmatch(body, -1) {
		w, _ := strconv.ParseFloat(m[2], 64)
		bars[m[1]] = bar{w, m[3], m[4]}
	}
	wantBars := map[string]bar{
		"Nouveau":             {funnelBarSpace, "3", "3"},
		"Refusé":              {round1(funnelBarSpace / 3.0), "1", "1"},
		"Entretien technique": {round1(funnelBarSpace / 3.0), "1", "1"},
	}
	if len(bars) != 3 {
		t.Fatalf("funnel bars %v\n%s", bars, body)
	}
	for stage, want := range wantBars {
		if bars[stage] != want {
			t.Errorf("funnel %s: %+v, want %+v", stage, bars[stage], want)
		}
	}
	funnelTable := body[strings.Index(body, "<caption>Candidates per stage</caption>"):]
	funnelTable = funnelTable[:strings.Index(funnelTable, "</table>")]
	if got, want := tableRows(funnelTable), map[string]string{"Nouveau": "3 0", "Refusé": "1 1", "Entretien technique": "1 0"}; !equalMaps(got, want) {
		t.Errorf("funnel table %v, want %v", got, want)
	}

	// Applications per week by source: twelve weeks, the last two filled.
	periods := periodRE.FindAllStringSubmatch(body, -1)
	if len(periods) != statsWeeks {
		t.Fatalf("%d weeks drawn, want %d", len(periods), statsWeeks)
	}
	now := testenv.Start.Add(7 * 24 * time.Hour)
	thisWeek, lastWeek := shortDay(weekStart(now)), shortDay(weekStart(testenv.Start))
	type segment struct {
		class  string
		height float64
		value  int
	}
	segs := map[string][]segment{}
	for _, p := range periods {
		for _, m := range segmentRE.FindAllStringSubmatch(p[3], -1) {
			h, _ := strconv.ParseFloat(m[2], 64)
			v, _ := strconv.Atoi(m[4])
			segs[p[1]+"/"+m[3]] = append(segs[p[1]+"/"+m[3]], segment{m[1], h, v})
		}
		switch p[1] {
		case thisWeek:
			if p[2] != "4" {
				t.Errorf("this week totals %s, want 4", p[2])
			}
		case lastWeek:
			if p[2] != "2" {
				t.Errorf("last week totals %s, want 2", p[2])
			}
		default:
			if p[2] != "0" || strings.Contains(p[3], "<rect") {
				t.Errorf("week of %s: total %s, bars %q", p[1], p[2], p[3])
			}
		}
	}
	// The axis tops at 4 (the peak, a nice number): a unit is 206/4 high.
	unit := float64(plotBottom-plotTop) / 4
	wantSegs := map[string][]segment{
		thisWeek + "/WelcomeKit": {{"src-welcomekit", round1(unit), 1}},
		thisWeek + "/Flatchr":    {{"src-flatchr", round1(3 * unit), 3}},
		lastWeek + "/WelcomeKit": {{"src-welcomekit", round1(2 * unit), 2}},
	}
	if !equalSegs(segs, wantSegs) {
		t.Errorf("week bars %v, want %v", segs, wantSegs)
	}
	weekTable := body[strings.LastIndex(body, "<table"):]
	rows := tableRows(weekTable)
	if len(rows) != statsWeeks || rows[thisWeek] != "1 3 4" || rows[lastWeek] != "2 0 2" {
		t.Errorf("week table %v", rows)
	}
	if !strings.Contains(weekTable, `<th scope="col">Week of</th><th scope="col">WelcomeKit</th><th scope="col">Flatchr</th><th scope="col">Total</th>`) {
		t.Errorf("week table header:\n%s", weekTable)
	}

	for _, tc := range []struct {
		name   string
		c      *client
		path   string
		status int
	}{
		{"another organization's job", c, jobStatsPath(org, otherJob), http.StatusNotFound},
		{"another organization", c, jobStatsPath(otherOrg, otherJob), http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := tc.c.get(t, tc.path)
			wantPage(t, res, body, tc.status)
		})
	}
}

func TestOrgStats(t *testing.T) {
	f := newFixture(t)
	chartWorld(t, f)
	c := f.signedInAs(t, intake.RoleViewer)
	_, home := c.get(t, homePath(org))
	if !strings.Contains(home, `<a href="/dashboard/o/Pg4eV6k/stats">Applications per day</a>`) {
		t.Error("the home page does not link to the charts")
	}
	for _, span := range []int{30, 90} {
		res, body := c.get(t, orgStatsPath(org)+"?days="+strconv.Itoa(span))
		wantPage(t, res, body, http.StatusOK)
		periods := periodRE.FindAllStringSubmatch(body, -1)
		if len(periods) != span {
			t.Fatalf("%d days drawn, want %d", len(periods), span)
		}
		rows := tableRows(body[strings.LastIndex(body, "<table"):])
		today, start := shortDay(testenv.Start.Add(7*24*time.Hour)), shortDay(testenv.Start)
		// The organization counts both its jobs, not Globex's.
		if rows[today] != "2 3 5" || rows[start] != "2 0 2" {
			t.Errorf("%d days: today %q, start %q", span, rows[today], rows[start])
		}
		if last := periods[len(periods)-1]; last[1] != today || last[2] != "5" {
			t.Errorf("%d days: the last column is %s with %s", span, last[1], last[2])
		}
		if !strings.Contains(body, `aria-current="page">Last `+strconv.Itoa(span)+` days</a>`) {
			t.Errorf("%d days: the range is not marked current", span)
		}
	}
	for _, tc := range []struct {
		name, path string
		status     int
	}{
		{"a span not offered", orgStatsPath(org) + "?days=7", http.StatusBadRequest},
		{"another organization", orgStatsPath(otherOrg), http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := c.get(t, tc.path)
			wantPage(t, res, body, tc.status)
		})
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func equalSegs[S comparable](a, b map[string][]S) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if len(b[k]) != len(v) {
			return false
		}
		for i := range v {
			if b[k][i] != v[i] {
				return false
			}
		}
	}
	return true
}

// The axis top is the first nice number at or above the peak, and its
// guides are evenly spaced whole numbers.
func TestNiceCeil(t *testing.T) {
	for peak, want := range map[int]int{0: 1, 1: 1, 2: 2, 3: 4, 4: 4, 5: 6, 7: 8, 9: 10, 11: 20, 41: 60, 801: 1000} {
		if got := niceCeil(peak); got != want {
			t.Errorf("niceCeil(%d) = %d, want %d", peak, got, want)
		}
	}
}
