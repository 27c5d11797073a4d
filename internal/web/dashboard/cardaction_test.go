package dashboard

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"intake"
)

// cardState is what the card's forms change, read through the Service.
type cardState struct {
	Comments int
	Messages int
	Tags     []string
}

func (f *fixture) cardState(t testing.TB, reference string) cardState {
	t.Helper()
	p := f.principal(t, rwToken)
	ref := intake.CandidateRef{Reference: reference}
	comments, err := f.env.Service.Comments(t.Context(), p, ref)
	if err != nil {
		t.Fatal(err)
	}
	_, msgs, _, err := f.env.Service.Messages(t.Context(), p, ref, intake.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.env.Service.Application(t.Context(), p, reference)
	if err != nil {
		t.Fatal(err)
	}
	return cardState{Comments: len(comments), Messages: len(msgs), Tags: c.Tags}
}

// TestCardForms posts each of the card's forms: what a recruiter may do,
// what is refused and how (a refused input shows the card again with the
// form as typed; a missing CSRF token, a viewer, another organization get
// an error page), and that nothing refused changes the candidate.
func TestCardForms(t *testing.T) {
	f := newFixture(t)
	cand := f.welcomeKitCandidate(t)
	theirs := f.create(t, otherToken, otherJob, intake.NewApplication{Application: intake.Application{Source: intake.SourceWelcomeKit,
		Person: intake.Person{Email: "secret@globex.example", Firstname: "Secret", Lastname: "Agent"}}})
	recruiter := f.signedInAs(t, intake.RoleRecruiter)
	csrf := recruiter.csrf(t)
	viewer := f.signedInAs(t, intake.RoleViewer)
	viewerCSRF := viewer.csrf(t)
	card := cardPath(org, job, cand.Reference)
	before := f.cardState(t, cand.Reference)

	refused := []struct {
		name    string
		c       *client
		path    string
		form    url.Values
		status  int
		message string
		// typed is what the re-rendered form must still hold.
		typed string
	}{
		{"comment without CSRF token", recruiter, card + "/comments", url.Values{"text": {"hello"}}, http.StatusForbidden,
			"This form has expired or did not come from this dashboard. Reload the page and try again.", ""},
		{"message with a forged CSRF token", recruiter, card + "/messages", url.Values{"csrf": {csrf[:len(csrf)-2] + "AA"}, "subject": {"Hi"}, "body": {"Hello"}},
			http.StatusForbidden, "This form has expired or did not come from this dashboard. Reload the page and try again.", ""},
		{"tags with the viewer's token on the recruiter's session", recruiter, card + "/tags", url.Values{"csrf": {viewerCSRF}, "add": {"x"}},
			http.StatusForbidden, "This form has expired or did not come from this dashboard. Reload the page and try again.", ""},
		{"viewer comments", viewer, card + "/comments", url.Values{"csrf": {viewerCSRF}, "text": {"hello"}}, http.StatusForbidden, writeDeniedText, ""},
		{"viewer sends a message", viewer, card + "/messages", url.Values{"csrf": {viewerCSRF}, "subject": {"Hi"}, "body": {"Hello"}}, http.StatusForbidden, writeDeniedText, ""},
		{"viewer tags", viewer, card + "/tags", url.Values{"csrf": {viewerCSRF}, "add": {"x"}}, http.StatusForbidden, writeDeniedText, ""},
		{"blank comment", recruiter, card + "/comments", url.Values{"csrf": {csrf}, "text": {"  "}}, http.StatusUnprocessableEntity,
			"Comment can&#39;t be blank.", `<textarea id="comment-text" name="text" rows="4" required aria-invalid="true" aria-describedby="comment-error">  </textarea>`},
		{"message without subject", recruiter, card + "/messages", url.Values{"csrf": {csrf}, "subject": {""}, "body": {"Body <kept>"}}, http.StatusUnprocessableEntity,
			"Subject can&#39;t be blank.", `<textarea id="message-body" name="body" rows="5" required>Body &lt;kept&gt;</textarea>`},
		{"message without body", recruiter, card + "/messages", url.Values{"csrf": {csrf}, "subject": {"Kept"}, "body": {""}}, http.StatusUnprocessableEntity,
			"Message can&#39;t be blank.", `value="Kept"`},
		{"tag too long", recruiter, card + "/tags", url.Values{"csrf": {csrf}, "add": {strings.Repeat("t", 300)}}, http.StatusUnprocessableEntity,
			"Tags has a tag that is too long.", `value="` + strings.Repeat("t", 300) + `"`},
		{"tags form without a tag", recruiter, card + "/tags", url.Values{"csrf": {csrf}}, http.StatusUnprocessableEntity, "Tags needs a tag to add.", ""},
		{"comment on another organization's candidate", recruiter, cardPath(otherOrg, otherJob, theirs.Reference) + "/comments",
			url.Values{"csrf": {csrf}, "text": {"hello"}}, http.StatusNotFound, errPageNotFound.Message, ""},
		{"message to another organization's candidate under our job", recruiter, cardPath(org, job, theirs.Reference) + "/messages",
			url.Values{"csrf": {csrf}, "subject": {"Hi"}, "body": {"Hello"}}, http.StatusNotFound, errPageNotFound.Message, ""},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			res, body := tt.c.post(t, tt.path, tt.form)
			wantPage(t, res, body, tt.status)
			msg := strings.ReplaceAll(tt.message, "'", "&#39;")
			if tt.status == http.StatusUnprocessableEntity {
				if !strings.Contains(body, `role="alert">`+msg+`</p>`) || !strings.Contains(body, tt.typed) {
					t.Errorf("the card shown again lacks %q or the typed %q:\n%s", msg, tt.typed, body)
				}
			} else if !strings.Contains(body, "<p>"+msg+"</p>") {
				t.Errorf("no %q in\n%s", msg, body)
			}
			if got := f.cardState(t, cand.Reference); !equalState(got, before) {
				t.Errorf("the refused form changed the candidate: %+v, was %+v", got, before)
			}
		})
	}
	if got, err := f.env.Service.Comments(t.Context(), f.principal(t, otherToken), intake.CandidateRef{Reference: theirs.Reference}); err != nil || len(got) != 0 {
		t.Errorf("the other organization's candidate got %d comments, %v", len(got), err)
	}

	t.Run("viewer's card has no forms", func(t *testing.T) {
		res, body := viewer.get(t, card)
		wantPage(t, res, body, http.StatusOK)
		for _, action := range []string{"/comments", "/messages", "/tags", "/stage"} {
			if strings.Contains(body, `action="`+card+action+`"`) {
				t.Errorf("the viewer's card has the %s form", action)
			}
		}
	})

	t.Run("comment", func(t *testing.T) {
		res, _ := recruiter.post(t, card+"/comments", url.Values{"csrf": {csrf}, "text": {"**Strong** <script>alert(1)</script>"}, "private": {"on"}})
		wantRedirect(t, res, http.StatusSeeOther, card+"?done=comment#comment")
		comments, err := f.env.Service.Comments(t.Context(), f.principal(t, rwToken), intake.CandidateRef{Reference: cand.Reference})
		if err != nil || len(comments) != 1 || comments[0].Raw != "**Strong** <script>alert(1)</script>" || !comments[0].Private ||
			comments[0].Source != intake.SourceDashboard || comments[0].Author != "Rita Recruiter" {
			t.Fatalf("stored comments %+v, %v", comments, err)
		}
		_, body := recruiter.get(t, card+"?done=comment")
		for _, want := range []string{
			`<p class="notice" role="status">Comment added.</p>`,
			`<span class="event-text">Private comment</span> <span class="muted">Rita Recruiter · `,
			`<div class="rendered"><p><strong>Strong</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the card lacks %q:\n%s", want, body)
			}
		}
	})

	t.Run("message without SMTP is stored, not sent", func(t *testing.T) {
		res, _ := recruiter.post(t, card+"/messages", url.Values{"csrf": {csrf}, "subject": {"Interview"}, "body": {"Come on Monday"}})
		wantRedirect(t, res, http.StatusSeeOther, card+"?done=message#message")
		_, msgs, _, err := f.env.Service.Messages(t.Context(), f.principal(t, rwToken), intake.CandidateRef{Reference: cand.Reference}, intake.Page{Limit: 10})
		if err != nil || len(msgs) != 1 || msgs[0].Sending.Status != intake.SendNotSent || !slices.Equal(msgs[0].To, []string{cand.Person.Email}) ||
			msgs[0].FromEmail != "recruiter@acme.test" {
			t.Fatalf("stored messages %+v, %v", msgs, err)
		}
		_, body := recruiter.get(t, card+"?done=message")
		if !strings.Contains(body, "Message saved.") || !strings.Contains(body, "Email “Interview” · stored, not sent (no SMTP server is configured (--smtp-url))") {
			t.Errorf("the card does not show the stored message:\n%s", body)
		}
	})

	t.Run("tags", func(t *testing.T) {
		res, _ := recruiter.post(t, card+"/tags", url.Values{"csrf": {csrf}, "add": {"python, senior ,go"}})
		wantRedirect(t, res, http.StatusSeeOther, card+"?done=tags#tags")
		if got := f.cardState(t, cand.Reference).Tags; !slices.Equal(got, []string{"senior", "remote", "python", "go"}) {
			t.Errorf("after adding: tags %q", got)
		}
		res, _ = recruiter.post(t, card+"/tags", url.Values{"csrf": {csrf}, "remove": {"senior"}})
		wantRedirect(t, res, http.StatusSeeOther, card+"?done=tags#tags")
		// Removing again is no change, not an error.
		res, _ = recruiter.post(t, card+"/tags", url.Values{"csrf": {csrf}, "remove": {"senior"}})
		wantRedirect(t, res, http.StatusSeeOther, card+"?done=tags#tags")
		if got := f.cardState(t, cand.Reference).Tags; !slices.Equal(got, []string{"remote", "python", "go"}) {
			t.Errorf("after removing: tags %q", got)
		}
		_, body := recruiter.get(t, card)
		if !strings.Contains(body, `aria-label="Remove tag python"`) || strings.Contains(body, `<span class="tag">senior</span>`) {
			t.Errorf("the card's tags:\n%s", body)
		}
	})
}

// TestCardFormsByRole: owners and admins act on the card as recruiters do.
func TestCardFormsByRole(t *testing.T) {
	f := newFixture(t)
	cand := f.welcomeKitCandidate(t)
	card := cardPath(org, job, cand.Reference)
	for i, role := range []intake.Role{intake.RoleOwner, intake.RoleAdmin} {
		c := f.signedInAs(t, role)
		csrf := c.csrf(t)
		res, _ := c.post(t, card+"/comments", url.Values{"csrf": {csrf}, "text": {"by " + string(role)}})
		wantRedirect(t, res, http.StatusSeeOther, card+"?done=comment#comment")
		res, _ = c.post(t, card+"/tags", url.Values{"csrf": {csrf}, "add": {string(role)}})
		wantRedirect(t, res, http.StatusSeeOther, card+"?done=tags#tags")
		if got := f.cardState(t, cand.Reference); got.Comments != i+1 || !slices.Contains(got.Tags, string(role)) {
			t.Errorf("%s's comment or tag is missing: %+v", role, got)
		}
	}
}

func equalState(a, b cardState) bool {
	return a.Comments == b.Comments && a.Messages == b.Messages && slices.Equal(a.Tags, b.Tags)
}

// TestBoardMoveForm moves a candidate with the form on its board card,
// which comes back to the board; a viewer's board has no such form.
func TestBoardMoveForm(t *testing.T) {
	f := newFixture(t)
	cand := f.welcomeKitCandidate(t)
	board := boardPath(org, job)
	recruiter := f.signedInAs(t, intake.RoleRecruiter)
	_, body := recruiter.get(t, board)
	m := regexp.MustCompile(`<form method="post" action="([^"]+)" class="move">\s*<input type="hidden" name="csrf" value="([^"]+)">\s*<input type="hidden" name="return" value="board">`).FindStringSubmatch(body)
	if m == nil || m[1] != cardPath(org, job, cand.Reference)+"/stage" {
		t.Fatalf("no move form for the card on the board:\n%s", body)
	}
	if !regexp.MustCompile(`<script src="/dashboard/static/board-[0-9a-f]{12}\.js" defer></script>`).MatchString(body) {
		t.Error("the board does not load board.js")
	}
	res, _ := recruiter.post(t, m[1], url.Values{"csrf": {m[2]}, "stage": {"14601"}, "return": {"board"}})
	wantRedirect(t, res, http.StatusSeeOther, board+"?done=moved")
	if got, err := f.env.Service.Application(t.Context(), f.principal(t, rwToken), cand.Reference); err != nil || got.StageID != 14601 {
		t.Fatalf("after the move: stage %d, %v", got.StageID, err)
	}
	_, body = recruiter.get(t, cardPath(org, job, cand.Reference))
	if want := `<span class="event-text">Moved from Nouveau to Entretien technique</span> <span class="muted">Rita Recruiter · `; !strings.Contains(body, want) {
		t.Errorf("the card's timeline lacks the move by its actor %q", want)
	}
	_, body = recruiter.get(t, board+"?done=moved")
	if !strings.Contains(body, `<p class="notice" role="status">Candidate moved.</p>`) {
		t.Error("the board does not confirm the move")
	}
	// Any other return value leads to the card, never elsewhere.
	res, _ = recruiter.post(t, m[1], url.Values{"csrf": {m[2]}, "stage": {"42"}, "return": {"https://evil.example/"}})
	wantRedirect(t, res, http.StatusSeeOther, cardPath(org, job, cand.Reference)+"?done=stage")

	viewer := f.signedInAs(t, intake.RoleViewer)
	_, body = viewer.get(t, board)
	if strings.Contains(body, `class="move"`) || strings.Contains(body, "/dashboard/static/board-") || strings.Contains(body, "data-dnd") {
		t.Errorf("the viewer's board has move forms or the script:\n%s", body)
	}
}

// TestStaticScript serves board.js under its content-named path, as a
// script the page's CSP allows ('self').
func TestStaticScript(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	res, js := c.get(t, f.newHandlerPages(t).jsPath)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/javascript; charset=utf-8" ||
		res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || !strings.Contains(js, `"use strict";`) {
		t.Errorf("board.js: %d %v", res.StatusCode, res.Header)
	}
	res, body := c.get(t, "/dashboard/static/board.js")
	wantPage(t, res, body, http.StatusNotFound)
}

func (f *fixture) newHandlerPages(t testing.TB) *pages {
	t.Helper()
	p, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCardWebhookDeliveries lists the webhook deliveries about the
// candidate in its timeline, with the event, the receiver's host only (its
// path may hold a token) and the outcome.
func TestCardWebhookDeliveries(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	sub := &intake.Subscription{URL: "https://hooks.example.com/secret-token-123", Events: []intake.EventName{intake.EventNewApplicant, intake.EventNewComment}}
	if err := f.env.Service.CreateSubscription(ctx, org, sub); err != nil {
		t.Fatal(err)
	}
	cand := f.welcomeKitCandidate(t)
	other := f.create(t, rwToken, job, intake.NewApplication{Application: intake.Application{Source: intake.SourceWelcomeKit, Person: intake.Person{Email: "other@example.com", Firstname: "Other", Lastname: "One"}}})
	now := f.env.Clock.Now()
	if _, err := f.env.Store.DispatchEvents(ctx, now, 100); err != nil {
		t.Fatal(err)
	}
	ds, err := f.env.Store.ClaimDeliveries(ctx, "test", now, time.Minute, 10, 10)
	if err != nil || len(ds) != 2 {
		t.Fatalf("claimed %d deliveries, %v", len(ds), err)
	}
	for _, d := range ds {
		d.Status, d.Attempts, d.LastStatus, d.UpdatedAt = intake.DeliveryDelivered, 1, 204, now
		if d.Event.Payload != nil && strings.Contains(string(d.Event.Payload), other.Reference) {
			d.Status, d.LastStatus, d.LastError = intake.DeliveryFailed, 500, "HTTP 500"
		}
	}
	if err := f.env.Store.FinishDeliveries(ctx, "test", sub.ID, ds, nil); err != nil {
		t.Fatal(err)
	}
	f.env.Clock.Advance(time.Minute)
	now = f.env.Clock.Now()
	if _, err := f.env.Service.AddComment(ctx, f.principal(t, rwToken), intake.CandidateRef{Reference: cand.Reference},
		&intake.NewComment{Text: "ok", Source: intake.SourceWelcomeKit}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.env.Store.DispatchEvents(ctx, now, 100); err != nil {
		t.Fatal(err)
	}

	c := f.signedInAs(t, intake.RoleViewer)
	_, body := c.get(t, cardPath(org, job, cand.Reference))
	for _, want := range []string{
		`<span class="event-text">Webhook new_comment to hooks.example.com</span> <span class="muted">Webhook · `,
		`<p class="muted event-detail">pending</p>`,
		`<span class="event-text">Webhook new_applicant to hooks.example.com</span>`,
		`<p class="muted event-detail">delivered, HTTP 204</p>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the card lacks %q", want)
		}
	}
	if strings.Contains(body, "secret-token-123") || strings.Contains(body, "failed") {
		t.Errorf("the card shows the receiver's path or another candidate's delivery:\n%s", body)
	}
	if strings.Index(body, "Webhook new_comment") > strings.Index(body, "Webhook new_applicant") {
		t.Error("the timeline is not newest first")
	}
}

// TestCardPreview shows an image résumé as an image and a PDF in a frame,
// both from signed preview URLs; a text résumé has no preview, only its
// download link.
func TestCardPreview(t *testing.T) {
	f := newFixture(t)
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
	withResume := func(name, data string) *intake.Candidate {
		t.Helper()
		blob, err := f.env.Service.StageUpload(t.Context(), strings.NewReader(data), intake.DocResume)
		if err != nil {
			t.Fatal(err)
		}
		return f.create(t, rwToken, job, intake.NewApplication{
			Application: intake.Application{Source: intake.SourceFlatchr, Person: intake.Person{Firstname: "A", Lastname: name, Email: name + "@example.com"}},
			Resume:      &intake.FileInput{Staged: blob, FileName: name},
		})
	}
	c := f.signedInAs(t, intake.RoleViewer)
	tests := []struct {
		name, data string
		want       *regexp.Regexp
	}{
		{"photo.png", png, regexp.MustCompile(`<img src="/files/[^/"]+/photo\.png\?disp=inline&amp;exp=\d+&amp;sig=[0-9a-f]{64}&amp;size=\d+&amp;type=image%2Fpng" alt="Résumé: photo.png">`)},
		{"cv.pdf", "%PDF-1.4\n%%EOF\n", regexp.MustCompile(`<iframe src="/files/[^/"]+/cv\.pdf\?disp=inline&amp;[^"]+" title="Résumé: cv.pdf"></iframe>`)},
		{"cv.txt", "Plain text résumé", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cand := withResume(tt.name, tt.data)
			res, body := c.get(t, cardPath(org, job, cand.Reference))
			wantPage(t, res, body, http.StatusOK)
			if tt.want == nil {
				if strings.Contains(body, `class="box preview"`) || strings.Contains(body, "disp=inline") {
					t.Errorf("a %s résumé is previewed:\n%s", tt.name, body)
				}
				return
			}
			if !tt.want.MatchString(body) {
				t.Errorf("no preview matching %s in\n%s", tt.want, body)
			}
		})
	}
}
