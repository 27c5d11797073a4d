package dashboard

import (
	"net/http"
	"strings"
	"testing"

	"intake"
)

// TestCardActivity shows a candidate's comments, emails and timeline, from
// either dialect, with every text escaped.
func TestCardActivity(t *testing.T) {
	f := newFixture(t)
	wk := f.welcomeKitCandidate(t)
	p := f.principal(t, rwToken)
	ctx := t.Context()
	ref := intake.CandidateRef{Reference: wk.Reference}
	if _, err := f.env.Service.AddComment(ctx, p, ref, &intake.NewComment{Text: "Strong <b>profile</b>", Source: intake.SourceWelcomeKit}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.env.Service.AddComment(ctx, p, intake.CandidateRef{ApplicantKey: wk.ApplicantKey},
		&intake.NewComment{Text: "Agreed", Private: true, Source: intake.SourceFlatchr}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.env.Service.SendMessage(ctx, p, ref, &intake.NewMessage{FromEmail: "hr@acme.test",
		Subject: "Interview <soon>", Body: "See you", Send: true, Source: intake.SourceWelcomeKit}); err != nil {
		t.Fatal(err)
	}
	stage := wk.Job.Stages[1].ID
	archived := true
	if _, err := f.env.Service.UpdateApplication(ctx, p, wk.Reference, &intake.ApplicationUpdate{StageID: &stage}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.env.Service.UpdateApplication(ctx, p, wk.Reference, &intake.ApplicationUpdate{Archived: &archived}); err != nil {
		t.Fatal(err)
	}

	c := f.signedInAs(t, intake.RoleRecruiter)
	res, body := c.get(t, cardPath(org, job, wk.Reference))
	wantPage(t, res, body, http.StatusOK)
	for _, want := range []string{
		`<div class="rendered"><p>Strong &lt;b&gt;profile&lt;/b&gt;</p>`,
		`<span class="event-text">Private comment</span>`,
		`<p>Agreed</p>`,
		"Email “Interview &lt;soon&gt;” · stored, not sent (no SMTP server is configured (--smtp-url))",
		"From hr@acme.test · To " + wk.Person.Email,
		"Moved from " + wk.Job.Stages[0].Name + " to " + wk.Job.Stages[1].Name,
		`<span class="event-text">Archived</span>`,
		`<span class="event-text">Applied to ` + wk.Job.Title + ` through WelcomeKit</span>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the card lacks %q", want)
		}
	}
	if strings.Contains(body, "<b>profile") {
		t.Error("the card inserts a comment's markup")
	}
}
