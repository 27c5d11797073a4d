package dashboard

import (
	"context"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"intake"
	"intake/internal/web/careerform"
	"intake/internal/web/careers"
)

// jobsAxe returns a check that runs axe-core on the open page, or on the
// part of it that within selects, and fails the test on any serious or
// critical violation. Without $AXE_CORE_JS the
// check only logs that it is skipped, except under CI=true, where it
// fails.
func jobsAxe(t *testing.T, ctx context.Context) func(page, within string) {
	t.Helper()
	src := axeSource(t)
	return func(page, within string) {
		t.Helper()
		axeCheck(t, ctx, src, page, within)
	}
}

// TestBrowserJobs creates a job in a real browser, gets its errors shown,
// edits it, publishes it and finds it on the career site, reorders its
// stages and adds a screening question; every page passes axe-core and is
// captured at 1280×800.
func TestBrowserJobs(t *testing.T) {
	ctx := browser(t)
	f := newFixture(t)
	site := careers.NewHandler(f.env.Service, careers.Options{
		Signer: careerform.NewSigner([]byte("0123456789abcdef0123456789abcdef")), Now: f.env.Clock.Now})
	careersSrv := httptest.NewServer(site)
	t.Cleanup(careersSrv.Close)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	axe := jobsAxe(t, ctx)

	step := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
			t.Fatalf("%s: %v\n%s", what, err, body)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	location := func() string {
		t.Helper()
		u, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	// submit clicks a button that posts a form and waits for the page
	// that answers, showing wait: the old page is marked stale first, so
	// its own notice cannot pass for the new one's.
	submit := func(button, wait string) chromedp.Action[chromedp.Void] {
		mark := chromedp.Evaluate[bool](`document.body.dataset.stale = '1'; true`)
		return chromedp.Steps(
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := mark(ctx, tg)
				return err
			}),
			chromedp.Click(chromedp.CSS(button)),
			chromedp.WaitVisible(chromedp.CSS(`body:not([data-stale]) `+wait)),
		)
	}
	page := func(name string) {
		t.Helper()
		axe(name, "")
		screenshot(t, ctx, "dashboard-"+name+".png")
	}

	browserSignIn(t, ctx, f, intake.RoleAdmin)
	page("home-admin")
	step("open the new job form",
		chromedp.Click(chromedp.CSS(`a.button.primary[href$="/jobs/new"]`)),
		chromedp.WaitVisible(chromedp.ID("f-name")),
	)
	page("job-new")

	step("submit it empty",
		submit(`.jobform button[type=submit]`, `.alert`),
	)
	if got := text("#e-name"); got != "is required" {
		t.Errorf("the title's error is %q", got)
	}
	page("job-new-errors")

	step("fill the form and create",
		chromedp.SendKeys(chromedp.ID("f-name"), "Responsable qualité"),
		chromedp.SetValue(chromedp.ID("f-contract_type"), "FULL_TIME"),
		chromedp.SendKeys(chromedp.ID("f-language"), "fr"),
		chromedp.SendKeys(chromedp.ID("f-profession_reference"), "quality"),
		chromedp.SendKeys(chromedp.ID("f-office_city"), "Lyon"),
		chromedp.SendKeys(chromedp.ID("f-salary_min"), "45000"),
		chromedp.SendKeys(chromedp.ID("f-description"), "<p>Piloter la qualité.</p>"),
		chromedp.SendKeys(chromedp.ID("f-profile"), "Cinq ans d'expérience."),
		chromedp.SendKeys(chromedp.ID("f-company_description"), "Acme fabrique tout."),
		submit(`.jobform button[type=submit]`, `.notice`),
	)
	m := regexp.MustCompile(`/dashboard/o/Pg4eV6k/jobs/(WTTJ_[0-9A-Za-z]{7})/edit\?done=created$`).FindStringSubmatch(location())
	if m == nil {
		t.Fatalf("after the create the browser is at %s", location())
	}
	ref := m[1]
	if got := text(".badge"); !strings.EqualFold(got, "draft") {
		t.Errorf("the new job is %q", got)
	}
	page("job-edit")

	step("edit the title",
		chromedp.SetValue(chromedp.ID("f-name"), "Responsable qualité H/F"),
		submit(`.jobform button[type=submit]`, `.notice`),
	)
	if got := text(".notice"); got != "Changes saved." {
		t.Errorf("after saving: %q", got)
	}
	step("publish",
		submit(`form[action$="/status"] button.primary`, `.badge.status-published`),
	)
	if got := text(".notice"); got != "Job published: the career site lists it." {
		t.Errorf("after publishing: %q", got)
	}
	j := f.storedJob(t, ref)
	if j.Title != "Responsable qualité H/F" || j.Status() != intake.JobPublished || j.Content.Office.City != "Lyon" {
		t.Errorf("stored: %q %s %+v", j.Title, j.Status(), j.Content.Office)
	}
	link, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`.page-head a[href^="/careers/"]`), "href"))
	careerLink := link.Value
	if err != nil || careerLink != careerPath(f.principal(t, adminToken).Org, j) {
		t.Errorf("career link %q, %v", careerLink, err)
	}
	step("find it on the career site",
		chromedp.Navigate(careersSrv.URL+"/careers/acme/"),
		chromedp.WaitVisible(chromedp.CSS(`body`)),
	)
	if list := text("main"); !strings.Contains(list, "Responsable qualité H/F") {
		t.Errorf("the career site does not list the published job:\n%s", list)
	}
	step("open its career page", chromedp.Navigate(careersSrv.URL+careerLink), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if h1 := text("h1"); h1 != "Responsable qualité H/F" {
		t.Errorf("the career page's title is %q", h1)
	}

	step("open the board from the job's tabs",
		chromedp.Navigate(f.srv.URL+editJobPath(org, ref)),
		chromedp.WaitVisible(chromedp.CSS(`.tabs`)),
		submit(`.tabs a[href$="/`+ref+`"]`, `.board`),
	)
	// The board is another engineer's page: only the job tabs it gains
	// here are checked.
	axe("job-board", ".tabs")
	step("open the stages from the board",
		submit(`.tabs a[href$="/stages"]`, `ol.rows`),
	)
	page("job-stages")
	stageOrder := func() string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('ol.rows input[name=name]')].map(i => i.value).join(', ')`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := stageOrder(); got != "New, To meet, Interviewed, Offer, Hired, Refused" {
		t.Fatalf("stages at first: %s", got)
	}
	step("move Refused up",
		submit(`button[aria-label="Move Refused up"]`, `.notice`),
	)
	step("move New down",
		submit(`button[aria-label="Move New down"]`, `.notice`),
	)
	if got, want := stageOrder(), "To meet, New, Interviewed, Offer, Refused, Hired"; got != want {
		t.Errorf("stages after the moves: %s, want %s", got, want)
	}
	before := j.Stages
	j = f.storedJob(t, ref)
	byName := map[string]int64{}
	for _, st := range before {
		byName[st.Name] = st.ID
	}
	for i, st := range j.Stages {
		if st.ID != byName[st.Name] || st.Position != i {
			t.Errorf("stage %q: id %d at %d, was id %d", st.Name, st.ID, st.Position, byName[st.Name])
		}
	}
	step("add a stage",
		chromedp.SendKeys(chromedp.ID("new-stage"), "Test technique"),
		submit(`.add-form button[type=submit]`, `.notice`),
	)
	if got := stageOrder(); !strings.HasSuffix(got, ", Test technique") {
		t.Errorf("stages after the add: %s", got)
	}
	page("job-stages-changed")

	step("open the questions",
		submit(`.tabs a[href$="/questions"]`, `.add-form`),
	)
	page("job-questions-empty")
	step("add a question",
		chromedp.SendKeys(chromedp.ID("q-new-text"), "Permis B ?"),
		chromedp.SetValue(chromedp.ID("q-new-type"), "radio"),
		chromedp.SendKeys(chromedp.ID("q-new-options"), "Oui;Non"),
		chromedp.Click(chromedp.ID("q-new-required")),
		submit(`.add-form button[type=submit]`, `.notice`),
	)
	if qs := f.storedJob(t, ref).Questions; len(qs) != 1 || qs[0].Text != "Permis B ?" || !qs[0].Required || len(qs[0].Options) != 2 {
		t.Errorf("stored questions %+v", qs)
	}
	page("job-questions")

	browserSignOutIn(t, ctx, f, intake.RoleViewer)
	step("open the job read-only",
		chromedp.Navigate(f.srv.URL+editJobPath(org, ref)),
		chromedp.WaitVisible(chromedp.CSS(`fieldset[disabled]`)),
	)
	page("job-readonly")
}

// browserSignOutIn signs the browser out, then in as role.
func browserSignOutIn(t *testing.T, ctx context.Context, f *fixture, role intake.Role) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+homePath(org)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/dashboard/logout"] button`)),
		chromedp.Click(chromedp.CSS(`form[action="/dashboard/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form.stack`)),
	); err != nil {
		t.Fatalf("sign out: %v", err)
	}
	browserSignIn(t, ctx, f, role)
}
