package dashboard

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"intake"
)

func TestMoveStage(t *testing.T) {
	f := newFixture(t)
	cand := f.welcomeKitCandidate(t)
	other := f.create(t, rwToken, "WTTJ_gld0A7L", intake.NewApplication{Application: intake.Application{Source: intake.SourceFlatchr, Person: intake.Person{Email: "dev@example.com", Firstname: "Dev", Lastname: "Eloper"}}})
	c := f.signedInAs(t, intake.RoleRecruiter)
	csrf := c.csrf(t)
	card := cardPath(org, job, cand.Reference)

	tests := []struct {
		name    string
		path    string
		form    url.Values
		status  int
		message string
	}{
		{"no CSRF token", card + "/stage", url.Values{"stage": {"14601"}}, http.StatusForbidden,
			"This form has expired or did not come from this dashboard. Reload the page and try again."},
		{"forged CSRF token", card + "/stage", url.Values{"stage": {"14601"}, "csrf": {csrf[:len(csrf)-2] + "AA"}}, http.StatusForbidden,
			"This form has expired or did not come from this dashboard. Reload the page and try again."},
		{"no stage", card + "/stage", url.Values{"csrf": {csrf}}, http.StatusBadRequest, "Choose the stage to move the candidate to."},
		{"stage of another job", card + "/stage", url.Values{"csrf": {csrf}, "stage": {"50"}}, http.StatusBadRequest, "That stage is not one of this job&#39;s stages."},
		{"archived not a boolean", card + "/archive", url.Values{"csrf": {csrf}, "archived": {"perhaps"}}, http.StatusBadRequest, "Say whether to archive or restore the candidate."},
		{"unknown candidate", cardPath(org, job, "wttj-000000000000000000000000") + "/stage", url.Values{"csrf": {csrf}, "stage": {"42"}}, http.StatusNotFound, errPageNotFound.Message},
		{"candidate of another job", cardPath(org, job, other.Reference) + "/stage", url.Values{"csrf": {csrf}, "stage": {"42"}}, http.StatusNotFound, errPageNotFound.Message},
		{"too large", card + "/stage", url.Values{"csrf": {csrf}, "stage": {"42"}, "pad": {strings.Repeat("x", maxFormBytes)}}, http.StatusRequestEntityTooLarge, "The form is too large."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := c.post(t, tt.path, tt.form)
			wantPage(t, res, body, tt.status)
			if !strings.Contains(body, "<p>"+strings.ReplaceAll(tt.message, "'", "&#39;")+"</p>") {
				t.Errorf("no %q in\n%s", tt.message, body)
			}
			got, err := f.env.Service.Application(t.Context(), f.principal(t, rwToken), cand.Reference)
			if err != nil || got.StageID != 42 || got.Archived {
				t.Errorf("the refused form changed the candidate: stage %d archived %v, %v", got.StageID, got.Archived, err)
			}
		})
	}

	t.Run("ok", func(t *testing.T) {
		res, _ := c.post(t, card+"/stage", url.Values{"csrf": {csrf}, "stage": {"14601"}})
		wantRedirect(t, res, http.StatusSeeOther, card+"?done=stage")
		got, err := f.env.Service.Application(t.Context(), f.principal(t, rwToken), cand.Reference)
		if err != nil || got.StageID != 14601 {
			t.Fatalf("after the move: stage %d, %v", got.StageID, err)
		}
		res, body := c.get(t, card+"?done=stage")
		wantPage(t, res, body, http.StatusOK)
		for _, want := range []string{`<p class="notice" role="status">Stage changed.</p>`, `<p class="stage-now">Entretien technique</p>`, `<option value="14601" selected>`} {
			if !strings.Contains(body, want) {
				t.Errorf("card lacks %q", want)
			}
		}
	})

	t.Run("archive and restore", func(t *testing.T) {
		for _, archived := range []bool{true, true, false} {
			v := map[bool]string{true: "true", false: "false"}[archived]
			notice := map[bool]string{true: "archived", false: "restored"}[archived]
			res, _ := c.post(t, card+"/archive", url.Values{"csrf": {csrf}, "archived": {v}})
			wantRedirect(t, res, http.StatusSeeOther, card+"?done="+notice)
			got, err := f.env.Service.Application(t.Context(), f.principal(t, rwToken), cand.Reference)
			if err != nil || got.Archived != archived {
				t.Fatalf("archived = %v, want %v (%v)", got.Archived, archived, err)
			}
		}
	})

	t.Run("a notice cannot be made up", func(t *testing.T) {
		_, body := c.get(t, card+"?done=%3Cb%3Ehi")
		if strings.Contains(body, `class="notice"`) {
			t.Errorf("unknown notice shown:\n%s", body)
		}
	})

	t.Run("CSRF token of another session", func(t *testing.T) {
		c2 := f.signedInAs(t, intake.RoleViewer)
		res, body := c.post(t, card+"/stage", url.Values{"csrf": {c2.csrf(t)}, "stage": {"42"}})
		wantPage(t, res, body, http.StatusForbidden)
	})
}

func TestScopes(t *testing.T) {
	f := newFixture(t)
	cand := f.welcomeKitCandidate(t)
	card := cardPath(org, job, cand.Reference)

	t.Run("viewer sees the card without forms and cannot move", func(t *testing.T) {
		c := f.signedInAs(t, intake.RoleViewer)
		res, body := c.get(t, card)
		wantPage(t, res, body, http.StatusOK)
		if !strings.Contains(body, `<p class="muted">`+writeDeniedText+`</p>`) || strings.Contains(body, `action="`+card+`/stage"`) {
			t.Errorf("reader's card:\n%s", body)
		}
		if !strings.Contains(body, "Victor Viewer · viewer") {
			t.Error("the header does not say the user is a viewer")
		}
		res, body = c.post(t, card+"/stage", url.Values{"csrf": {c.csrf(t)}, "stage": {"14601"}})
		wantPage(t, res, body, http.StatusForbidden)
		if !strings.Contains(body, "<p>"+writeDeniedText+"</p>") {
			t.Errorf("reader's move:\n%s", body)
		}
		got, _ := f.env.Service.Application(t.Context(), f.principal(t, rwToken), cand.Reference)
		if got.StageID != 42 {
			t.Errorf("a reader moved the candidate to %d", got.StageID)
		}
	})
}

// TestOtherOrganization checks that another organization's pages answer
// exactly as pages that do not exist.
func TestOtherOrganization(t *testing.T) {
	f := newFixture(t)
	theirs := f.create(t, otherToken, otherJob, intake.NewApplication{Application: intake.Application{Source: intake.SourceWelcomeKit, Person: intake.Person{Email: "secret@globex.example", Firstname: "Secret", Lastname: "Agent"}}})
	ours := f.welcomeKitCandidate(t)
	c := f.signedInAs(t, intake.RoleRecruiter)
	csrf := c.csrf(t)

	_, want := c.get(t, "/dashboard/o/NoSuchOrg")
	paths := []string{
		homePath(otherOrg),
		boardPath(otherOrg, otherJob),
		cardPath(otherOrg, otherJob, theirs.Reference),
		cardPath(otherOrg, job, ours.Reference),
		boardPath(org, otherJob),
		cardPath(org, job, theirs.Reference),
		cardPath(org, otherJob, theirs.Reference),
		"/dashboard/o/NoSuchOrg/jobs/" + otherJob,
	}
	for _, path := range paths {
		res, body := c.get(t, path)
		wantPage(t, res, body, http.StatusNotFound)
		if body != want {
			t.Errorf("%s differs from a missing organization's page:\n%s", path, body)
		}
		if strings.Contains(body, "Globex") || strings.Contains(body, "Secret") {
			t.Errorf("%s leaks the other organization", path)
		}
	}
	res, body := c.post(t, cardPath(otherOrg, otherJob, theirs.Reference)+"/stage", url.Values{"csrf": {csrf}, "stage": {"60"}})
	wantPage(t, res, body, http.StatusNotFound)
	res, body = c.post(t, cardPath(org, job, theirs.Reference)+"/archive", url.Values{"csrf": {csrf}, "archived": {"true"}})
	wantPage(t, res, body, http.StatusNotFound)
	got, err := f.env.Service.Application(t.Context(), f.principal(t, otherToken), theirs.Reference)
	if err != nil || got.Archived || got.StageID != 60 {
		t.Errorf("the other organization's candidate changed: %+v %v", got, err)
	}
}
