package dashboard

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"intake"
	"intake/internal/mailer"
	"intake/internal/mailer/mailtest"
)

// TestBrowserCard works a candidate's card in Chromium as a recruiter:
// the résumé previewed inline from a signed URL under a restrictive CSP, a
// Markdown comment rendered with its script inert, a message sent through a
// real SMTP server, tags added and removed, the timeline showing it all,
// the skip link first in the tab order; then drags the card to another
// column of the board. Both pages pass axe-core and are captured at
// 1280×800.
func TestBrowserCard(t *testing.T) {
	ctx := browser(t)
	axe := axeSource(t)
	smtp := mailtest.Start(t, "", "")
	m, err := mailer.Parse(smtp.URL())
	if err != nil {
		t.Fatal(err)
	}
	f := newFixtureConfig(t, Options{}, func(c *intake.ServiceConfig) {
		c.Activity.Mailer = m
		c.Activity.MailFrom = "jobs@acme.test"
	})
	john := f.flatchrCandidate(t)
	card := cardPath(org, job, john.Reference)

	step := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
			t.Fatalf("%s: %v\nat %s:\n%s", what, err, loc, body)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}
	shoot := func(name string) {
		t.Helper()
		step("viewport", chromedp.EmulateViewport(1280, 800))
		screenshot(t, ctx, name)
	}
	state := func() *intake.Candidate {
		t.Helper()
		c, err := f.env.Service.Application(t.Context(), f.principal(t, rwToken), john.Reference)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	browserSignIn(t, ctx, f, intake.RoleRecruiter)
	step("open the card", chromedp.Navigate(f.srv.URL+card), chromedp.WaitVisible(chromedp.CSS(`.profile`)))

	// The skip link is the first stop of the keyboard.
	step("tab", chromedp.KeyEvent("\t"))
	if got := eval(`document.activeElement.className + ' ' + document.activeElement.getAttribute('href')`); got != "skip #main" {
		t.Errorf("the first Tab focuses %q, want the skip link", got)
	}

	// The résumé is framed from its signed preview URL, served inline as
	// a PDF that only this origin may frame.
	src := eval(`document.querySelector('.preview iframe').getAttribute('src')`)
	if !regexp.MustCompile(`^/files/[^/]+/CV%20John\.pdf\?disp=inline&exp=\d+&sig=[0-9a-f]{64}&size=\d+&type=application%2Fpdf$`).MatchString(src) {
		t.Errorf("preview frame src %q", src)
	}
	if got := eval(`document.querySelector('.preview iframe').title`); got != "Résumé: CV John.pdf" {
		t.Errorf("preview frame title %q", got)
	}
	headers := eval(`fetch(document.querySelector('.preview iframe').src).then(r => [r.status, r.headers.get('content-type'),
		r.headers.get('content-disposition'), r.headers.get('content-security-policy'), r.headers.get('x-content-type-options')].join('|'))`)
	if want := "200|application/pdf|inline; filename=\"CV John.pdf\"|default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'|nosniff"; headers != want {
		t.Errorf("preview answer:\n got %s\nwant %s", headers, want)
	}
	if got := eval(`fetch(document.querySelector('.preview a').href).then(r => r.headers.get('content-disposition'))`); !strings.HasPrefix(got, "attachment") {
		t.Errorf("the download link answers Content-Disposition %q", got)
	}

	step("comment in Markdown",
		chromedp.SendKeys(chromedp.ID("comment-text"), "**Strong** candidate <script>window.pwned=1</script> <img src=x onerror=\"window.pwned=2\"> [x](javascript:window.pwned=3)"),
		chromedp.Click(chromedp.CSS(`#comment button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.event-comment`)),
	)
	if got := text(".notice"); got != "Comment added." {
		t.Errorf("notice %q", got)
	}
	if got := text(".event-comment .rendered strong"); got != "Strong" {
		t.Errorf("the comment's Markdown is not rendered: <strong> is %q", got)
	}
	if got := eval(`String(window.pwned) + ' ' + document.querySelectorAll('main script, main img[onerror], a[href^="javascript"]').length`); got != "undefined 0" {
		t.Errorf("the comment's script is not inert: pwned, elements = %s", got)
	}
	if got := text(".event-comment .rendered"); !strings.Contains(got, "<script>window.pwned=1</script>") {
		t.Errorf("the comment's markup is not shown as text: %q", got)
	}

	step("send a message",
		chromedp.SendKeys(chromedp.ID("message-subject"), "Interview on Monday"),
		chromedp.SendKeys(chromedp.ID("message-body"), "Dear John,\nsee you at 10."),
		chromedp.Click(chromedp.CSS(`#message button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.event-message`)),
	)
	if got := text(".notice"); got != "Message sent." {
		t.Errorf("notice %q", got)
	}
	mails := smtp.Messages()
	if len(mails) != 1 || len(mails[0].To) != 1 || mails[0].To[0] != john.Person.Email || mails[0].From != "jobs@acme.test" ||
		!strings.Contains(string(mails[0].Data), "Subject: Interview on Monday") {
		t.Fatalf("the SMTP server received %+v", mails)
	}
	if got := text(".event-message .event-text"); got != "Email “Interview on Monday” · sent" {
		t.Errorf("the timeline shows the message as %q", got)
	}

	step("add tags",
		chromedp.SendKeys(chromedp.ID("tag-add"), "python, on-site"),
		chromedp.Click(chromedp.CSS(`#tags form.inline button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`button[aria-label="Remove tag python"]`)),
	)
	if got := strings.Join(state().Tags, ","); got != "python,on-site" {
		t.Errorf("after adding, tags %q", got)
	}
	step("remove a tag",
		chromedp.Click(chromedp.CSS(`button[aria-label="Remove tag python"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`button[aria-label="Remove tag python"]`)),
	)
	if got := strings.Join(state().Tags, ","); got != "on-site" {
		t.Errorf("after removing, tags %q", got)
	}
	if got := strings.Join(strings.Fields(text("#tags .tag-list")), " "); got != "on-site ×" {
		t.Errorf("the card's tags read %q", got)
	}

	tl := text("#timeline")
	for _, want := range []string{"Applied to Technicien métrologue H/F through Flatchr", "Résumé attached with the application",
		"Comment", "Rita Recruiter", "Email “Interview on Monday” · sent", "From recruiter@acme.test · To john.doe@example.com"} {
		if !strings.Contains(tl, want) {
			t.Errorf("the timeline lacks %q:\n%s", want, tl)
		}
	}
	if strings.Index(tl, "Interview on Monday") > strings.Index(tl, "Applied to") {
		t.Errorf("the timeline is not newest first:\n%s", tl)
	}
	axeCheck(t, ctx, axe, "card", "")
	shoot("dashboard-card-timeline.png")

	// Drag the card from Refusé to Entretien technique: board.js posts the
	// card's move form and moves it without a page load.
	step("open the board", chromedp.Navigate(f.srv.URL+boardPath(org, job)),
		chromedp.WaitReady(chromedp.CSS(`.board.dnd li.card[draggable="true"]`)))
	eval(`window.sameDocument = 'yes'; ''`)
	if got := text(`.column[data-stage="14600"] .count`) + " " + text(`.column[data-stage="14601"] .count`); got != "1 0" {
		t.Fatalf("counts before the drag: %q", got)
	}
	eval(`(() => {
		const card = document.querySelector('li.card[data-name="john doe"]');
		const to = document.querySelector('.column[data-stage="14601"]');
		const dt = new DataTransfer();
		card.dispatchEvent(new DragEvent('dragstart', {bubbles: true, cancelable: true, dataTransfer: dt}));
		to.dispatchEvent(new DragEvent('dragenter', {bubbles: true, cancelable: true, dataTransfer: dt}));
		to.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: dt}));
		to.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: dt}));
		card.dispatchEvent(new DragEvent('dragend', {bubbles: true, cancelable: true, dataTransfer: dt}));
		return '';
	})()`)
	step("wait for the move", chromedp.WaitReady(chromedp.CSS(`.column[data-stage="14601"] li.card[data-name="john doe"]:not(.moving)`)))
	if got := state().StageID; got != 14601 {
		t.Errorf("after the drop the store has stage %d, want 14601", got)
	}
	if got := text(`.column[data-stage="14600"] .empty`); got != "No candidates" {
		t.Errorf("the emptied column reads %q", got)
	}
	if got := text(`.column[data-stage="14600"] .count`) + " " + text(`.column[data-stage="14601"] .count`); got != "0 1" {
		t.Errorf("counts after the drag: %q", got)
	}
	if got := eval(`window.sameDocument + ' ' + document.getElementById('board-status').textContent`); got != "yes john doe moved to Entretien technique." {
		t.Errorf("after the drop: %q (the page reloaded, or nothing was announced)", got)
	}
	axeCheck(t, ctx, axe, "board", "")
	shoot("dashboard-board-dnd.png")

	// Without drag and drop, the card's own form does the same.
	step("move back with the form",
		chromedp.SetValue(chromedp.ID("move-"+john.Reference), "14600"),
		chromedp.Click(chromedp.CSS(`li.card[data-name="john doe"] form.move button`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice`)),
	)
	if got := state().StageID; got != 14600 {
		t.Errorf("after the form the store has stage %d, want 14600", got)
	}
}
