package careers

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser starts a headless Chromium with a 1280×800 window for one test.
// Without Chromium the test is skipped, except under CI=true.
func browser(t *testing.T) context.Context {
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
		chromedp.WindowSize(1280, 800),
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
		// The applicant reads French: Accept-Language picks the pages'.
		chromedp.Flag("lang", "fr-FR"),
		chromedp.Flag("accept-lang", "fr-FR,fr"),
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	t.Cleanup(cancelBrowser)
	// Start the browser now, on this context: started by a step's shorter
	// context, it would die with the step.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// axeSource returns axe-core's script, from $AXE_CORE_JS (.ci/run installs
// the npm package and sets it). Without it the accessibility checks are
// skipped, except under CI=true.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("AXE_CORE_JS")
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("AXE_CORE_JS is not set: CI must install axe-core (npm install axe-core) and point it at axe.min.js")
		}
		t.Log("AXE_CORE_JS not set (npm install axe-core, then AXE_CORE_JS=…/node_modules/axe-core/axe.min.js): accessibility checks skipped")
		return ""
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	return string(src)
}

// violation is an axe-core finding.
type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// TestBrowser walks the career site as an applicant: the list, a filter, a
// job, the form filled with a real PDF and the questions answered, the
// thank-you page; then each refusal the browser must show (a missing
// required answer, an .exe renamed .pdf, a 20 MB file, the honeypot). Every
// page passes axe-core without serious or critical violations, and is
// captured at 1280×800 into $CAREERS_SCREENSHOTS (else a temp dir).
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	axe := axeSource(t)
	s := newSite(t, testWorld, nil)
	shots := os.Getenv("CAREERS_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	dir := t.TempDir()
	pdfPath := filepath.Join(dir, "cv.pdf")
	exePath := filepath.Join(t.TempDir(), "cv.pdf")
	bigPath := filepath.Join(t.TempDir(), "cv.pdf")
	for path, data := range map[string][]byte{pdfPath: pdf, exePath: exe, bigPath: bytes.Repeat([]byte("%PDF-1.4\n"), 20<<20/9)} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	step := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			html, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
			t.Fatalf("%s: %v\nat %s:\n%s", what, err, loc, html)
		}
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}
	script := func(js string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js+";true")); err != nil {
			t.Fatalf("%s: %v", js, err)
		}
	}
	// check runs axe-core on the page and takes its screenshot.
	check := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
		if axe == "" {
			return
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
			t.Fatalf("%s: inject axe-core: %v", name, err)
		}
		found, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](`axe.run(document, {resultTypes: ['violations']}).then(r =>
			r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
				.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})))`,
			chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: axe-core: %v", name, err)
		}
		for _, v := range found {
			t.Errorf("%s: axe-core %s violation %s (%s) at %v", name, v.Impact, v.ID, v.Help, v.Nodes)
		}
	}
	// fill types a complete application into the open job page.
	fill := func(resume string) {
		t.Helper()
		step("fill the form",
			chromedp.SendKeys(chromedp.ID("f-firstname"), "Éloïse"),
			chromedp.SendKeys(chromedp.ID("f-lastname"), "N'Diaye"),
			chromedp.SendKeys(chromedp.ID("f-email"), "eloise@example.com"),
			chromedp.SendKeys(chromedp.ID("f-phone"), "+33 6 12 34 56 78"),
			chromedp.SetUploadFiles(chromedp.ID("f-resume"), []string{resume}),
			chromedp.SendKeys(chromedp.ID("f-comment"), "Bonjour, je candidate."),
			chromedp.SetValue(chromedp.ID("f-q0"), "Bac +3"),
			chromedp.SendKeys(chromedp.ID("f-q1"), "Parce que."),
			chromedp.Click(chromedp.ID("f-consent")),
		)
	}
	submit := func() {
		t.Helper()
		// The form's token refuses posts faster than a person types; the
		// site's clock moves instead of the test sleeping.
		s.env.Clock.Advance(10 * time.Second)
		step("submit", chromedp.Click(chromedp.CSS(`#apply-form button[type=submit]`)))
	}
	stored := func() int { return len(s.candidates(t, "WTTJ_KmqkD1Y")) }

	step("open the list", chromedp.Navigate(s.server.URL+"/careers/acme/"), chromedp.WaitVisible(chromedp.CSS(".jobs")))
	if got := text("#count"); got != "2 offres" {
		t.Errorf("count %q", got)
	}
	check("list")

	step("filter", chromedp.SetValue(chromedp.ID("f-contract"), "FULL_TIME"), chromedp.Click(chromedp.CSS(".filters button")),
		// Only the answer marks the choice in the markup.
		chromedp.WaitReady(chromedp.CSS(`#f-contract option[value=FULL_TIME][selected]`)))
	if got := text(".jobs"); !strings.Contains(got, "Technicien métrologue H/F") || strings.Contains(got, "Account Executive") {
		t.Errorf("filtered list: %q", got)
	}
	check("list-filtered")

	step("open the job", chromedp.Click(chromedp.CSS(".jobs a")), chromedp.WaitVisible(chromedp.ID("apply-form")))
	jobURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if got := text("h1"); got != "Technicien métrologue H/F" {
		t.Errorf("job page h1 %q", got)
	}
	check("job")

	// Refusals first, so that "nothing stored" means none at all.
	t.Run("missing required answer", func(t *testing.T) {
		step("reload", chromedp.Navigate(jobURL), chromedp.WaitVisible(chromedp.ID("apply-form")))
		fill(pdfPath)
		// The browser enforces required itself: switch its check off to
		// see the server's.
		step("unanswer", chromedp.SetValue(chromedp.ID("f-q0"), ""))
		script(`document.getElementById('apply-form').noValidate = true`)
		submit()
		step("error page", chromedp.WaitVisible(chromedp.ID("f-q0-error")))
		if got := text("#f-q0-error"); got != "Erreur : Cette question demande une réponse." {
			t.Errorf("q0 error %q", got)
		}
		if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("f-email"))); v != "eloise@example.com" {
			t.Errorf("email not kept: %q", v)
		}
		check("error-required-answer")
	})
	t.Run("exe renamed pdf", func(t *testing.T) {
		step("reload", chromedp.Navigate(jobURL), chromedp.WaitVisible(chromedp.ID("apply-form")))
		fill(exePath)
		submit()
		step("error page", chromedp.WaitVisible(chromedp.ID("f-resume-error")))
		if got := text("#f-resume-error"); !strings.HasPrefix(got, "Erreur : Ce type de fichier n'est pas accepté") {
			t.Errorf("resume error %q", got)
		}
		check("error-file-type")
	})
	t.Run("20 MB file", func(t *testing.T) {
		step("reload", chromedp.Navigate(jobURL), chromedp.WaitVisible(chromedp.ID("apply-form")))
		fill(bigPath)
		submit()
		step("error page", chromedp.WaitVisible(chromedp.ID("form-alert")))
		if got := text("#form-alert"); got != "Le fichier envoyé est trop volumineux : 10 Mo au plus." {
			t.Errorf("alert %q", got)
		}
		check("error-too-large")
	})
	t.Run("honeypot", func(t *testing.T) {
		step("reload", chromedp.Navigate(jobURL), chromedp.WaitVisible(chromedp.ID("apply-form")))
		fill(pdfPath)
		script(`document.getElementById('f-trap').value = 'http://spam.example'`)
		submit()
		step("error page", chromedp.WaitVisible(chromedp.ID("form-alert")))
		if got := text("#form-alert"); got != "Votre candidature n'a pas pu être envoyée." {
			t.Errorf("alert %q", got)
		}
	})
	if n := stored(); n != 0 {
		t.Fatalf("%d candidates stored by refused posts", n)
	}

	step("reload", chromedp.Navigate(jobURL), chromedp.WaitVisible(chromedp.ID("apply-form")))
	fill(pdfPath)
	submit()
	step("thank-you page", chromedp.WaitVisible(chromedp.ID("message")))
	if got := text("h1"); got != "Merci !" {
		t.Errorf("thank-you h1 %q", got)
	}
	check("thanks")

	step("open a missing page", chromedp.Navigate(s.server.URL+"/careers/acme/nope/"), chromedp.WaitVisible(chromedp.CSS("h1")))
	check("not-found")

	// The candidate, through the WelcomeKit API: its résumé's bytes are the
	// PDF's, and its consent is recorded with the time of the post.
	list := s.candidates(t, "WTTJ_KmqkD1Y")
	if len(list) != 1 {
		t.Fatalf("%d candidates stored", len(list))
	}
	c := list[0]
	if c.PrivacyConsentAt == nil || c.PrivacyConsentAt.Sub(s.env.Clock.Now()).Abs() > time.Millisecond {
		t.Errorf("consent at %v, want %v", c.PrivacyConsentAt, s.env.Clock.Now())
	}
	var wk struct {
		Reference string `json:"reference"`
		ResumeURL string `json:"resume_url"`
		Profile   struct {
			Email string `json:"email"`
		} `json:"profile"`
	}
	getJSON(t, s.server.URL+"/api/v1/external/candidates/"+c.Reference, "careers-reader", &wk)
	if wk.Profile.Email != "eloise@example.com" || wk.Reference != c.Reference || wk.ResumeURL == "" {
		t.Fatalf("WelcomeKit candidate %+v", wk)
	}
	if got := download(t, wk.ResumeURL); !bytes.Equal(got, pdf) {
		t.Errorf("WelcomeKit résumé is %d bytes, not the PDF sent", len(got))
	}
	rc, err := s.env.Service.OpenBlob(t.Context(), c.Resume.BlobKey)
	if err != nil {
		t.Fatal(err)
	}
	blob, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(blob, pdf) {
		t.Errorf("the stored résumé is not the PDF sent")
	}
	t.Logf("screenshots in %s", shots)
}

func getJSON(t *testing.T, url, token string, v any) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatal(err)
	}
}

func download(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	return body
}
