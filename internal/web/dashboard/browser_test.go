package dashboard

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"intake"
)

// browser starts a headless Chromium for one test. Without Chromium the test
// is skipped, except under CI=true where it must run.
func browser(t *testing.T) context.Context {
	t.Helper()
	return browserWithin(t, 90*time.Second)
}

// browserWithin is browser for a test that needs more than browser's
// 90 s, such as a crawl whose length grows with the pages.
func browserWithin(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium not found: CI must install it (apt-get install -y chromium)")
		}
		t.Skip("chromium not found; install it (apt-get install -y chromium) to run the browser tests")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// The machine has no internet: without these Chromium keeps dialling
		// its update, sync and QUIC endpoints.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	ctx, cancel := context.WithTimeout(t.Context(), limit)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	t.Cleanup(cancelBrowser)
	return ctx
}

// screenshot saves a full-page PNG (quality 100 is what makes it PNG) into $DASHBOARD_SCREENSHOTS, else into
// the test's temp dir, and logs where.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	dir := os.Getenv("DASHBOARD_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}

// TestBrowser walks the dashboard in a real browser: sign in by typing an
// email and password, open the job board, open a card through the modal_path the API
// returned, move the candidate with the form.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	f := newFixture(t)
	jane := f.welcomeKitCandidate(t)
	f.flatchrCandidate(t)
	ref, modal := createViaAPI(t, f, `{"email":"test@example.com","firstname":"Foo","lastname":"Bar","organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","job_stage_id":42,"tag_list":"senior,remote","subtitle":"Technicienne qualité"}`)

	step := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
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

	step("open /", chromedp.Navigate(f.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("email")))
	if got, want := location(), f.srv.URL+loginPath+"?next=%2Fdashboard%2F"; got != want {
		t.Errorf("/ led to %s, want %s", got, want)
	}
	// The stylesheet must load under the page's Content-Security-Policy.
	color, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('.topbar')).backgroundColor`))
	if err != nil || color != "rgb(29, 36, 51)" {
		t.Errorf("the stylesheet did not apply: top bar is %q, %v", color, err)
	}

	browserSignIn(t, ctx, f, intake.RoleRecruiter)
	step("open the board",
		chromedp.Click(chromedp.CSS(`a.job-title`)),
		chromedp.WaitVisible(chromedp.CSS(`.board`)),
	)
	board := text(".board")
	for _, want := range []string{"Foo Bar", "Jane Doe <b>bold</b>", "john doe", "Flatchr", "WelcomeKit"} {
		if !strings.Contains(board, want) {
			t.Errorf("the board lacks %q:\n%s", want, board)
		}
	}
	screenshot(t, ctx, "dashboard-board.png")

	step("open the card", chromedp.Navigate(f.srv.URL+modal), chromedp.WaitVisible(chromedp.CSS(`.stage-now`)))
	if got := text(".stage-now"); got != "Nouveau" {
		t.Fatalf("the card shows stage %q", got)
	}
	step("move the stage",
		chromedp.SetValue(chromedp.ID("stage"), "14601"),
		chromedp.Click(chromedp.CSS(`form[action$="/stage"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice`)),
	)
	if notice, stage, at := text(".notice"), text(".stage-now"), location(); notice != "Stage changed." || stage != "Entretien technique" || at != f.srv.URL+modal+"?done=stage" {
		t.Errorf("after the move: notice %q, stage %q, at %s", notice, stage, at)
	}
	got, err := f.env.Service.Application(t.Context(), f.principal(t, rwToken), ref)
	if err != nil || got.StageID != 14601 {
		t.Errorf("the service sees stage %d, %v", got.StageID, err)
	}
	if tl := text("#timeline"); !strings.Contains(tl, "Moved from Nouveau to Entretien technique") {
		t.Errorf("the card's timeline lacks the move:\n%s", tl)
	}
	screenshot(t, ctx, "dashboard-card.png")

	// Hostile profile fields and comments must stay text: no script
	// element, no javascript: link.
	if _, err := f.env.Service.AddComment(t.Context(), f.principal(t, rwToken), intake.CandidateRef{Reference: jane.Reference},
		&intake.NewComment{Text: "<script>alert(1)</script> [x](javascript:alert(1))", Source: intake.SourceWelcomeKit}); err != nil {
		t.Fatal(err)
	}
	step("open a hostile card", chromedp.Navigate(f.srv.URL+cardPath(org, job, jane.Reference)), chromedp.WaitVisible(chromedp.CSS(`.profile`)))
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('script, a[href^="javascript"]').length`))
	if err != nil || n != 0 {
		t.Errorf("the card has %d scripts or javascript: links, %v", n, err)
	}
	if c := text("#timeline"); !strings.Contains(c, "<script>alert(1)</script>") {
		t.Errorf("the comment is not shown as text:\n%s", c)
	}
	screenshot(t, ctx, "dashboard-card-welcomekit.png")
}

// browserSignIn signs the browser in as the first organization's user of
// role, typing the email and password, and waits for the organization's
// page. Browser tests sign in only through it, so that they keep working
// when the sign-in form changes.
func browserSignIn(t *testing.T, ctx context.Context, f *fixture, role intake.Role) {
	t.Helper()
	email, ok := roleEmail[role]
	if !ok {
		t.Fatalf("no test user of role %q", role)
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+loginPath),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.CSS(`form.stack button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.jobs`)),
	); err != nil {
		t.Fatalf("sign in as %s: %v", role, err)
	}
}
