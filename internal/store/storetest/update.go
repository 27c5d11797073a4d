package storetest

import (
	"errors"
	"testing"

	"intake"
)

func updateTests() []test {
	return []test{
		{"FieldsPersisted", testUpdateFields},
		{"FnErrorAborts", testUpdateFnError},
		{"StageChangeRecordsMove", testUpdateMoves},
		{"EmailOfAnotherPerson", testUpdateEmailConflict},
		{"PersonShared", testUpdatePersonShared},
		{"DocumentsReplaced", testUpdateDocuments},
		{"NotFound", testUpdateNotFound},
	}
}

func testUpdateFields(t *testing.T, s intake.Store) {
	f := seed(t, s)
	app := newApp(f.A, f.KeyA, f.A1, "jane@example.com", 1)
	create(t, s, app, nil)
	var want *intake.Application
	got, err := s.UpdateApplication(t.Context(), f.A.ID, app.Reference, func(a *intake.Application) error {
		equal(t, "application given to fn", app, a)
		a.StageID = f.A1.Stages[3].ID
		a.Person.Email = "jane.new@example.com"
		a.Person.Firstname, a.Person.Lastname, a.Person.Civility = "Janet", "Smith", "Mr"
		a.Person.Phone, a.Person.Subtitle = "+1 555", "Staff gopher"
		a.Person.Media = map[string]string{"website": "https://jane.dev"}
		a.Tags = []string{"senior"}
		a.Origin, a.Referrer, a.CoverLetter, a.Comment = "api", "indeed", "New letter", "New comment"
		a.Archived = true
		a.Answers = []intake.Answer{{QuestionID: "q-remote", Question: "Remote?", Value: "no"}}
		a.Newsletter = &intake.Consent{Given: false, At: at(20)}
		a.ResumeLink, a.RemoteResumeURL, a.RemotePortfolioURL, a.RemoteImageURL = "", "https://x.example/cv", "", ""
		a.UpdatedAt = at(20)
		want = clone(a)
		return nil
	})
	noErr(t, "UpdateApplication", err)
	equal(t, "UpdateApplication's result", want, got)
	equal(t, "Application after update", want, getApp(t, s, f.A.ID, app.Reference))
}

func testUpdateFnError(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	app := newApp(f.A, f.KeyA, f.A1, "jane@example.com", 1)
	create(t, s, app, nil)
	boom := errors.New("boom")
	_, err := s.UpdateApplication(ctx, f.A.ID, app.Reference, func(a *intake.Application) error {
		a.StageID = f.A1.Stages[2].ID
		a.Person.Firstname = "Changed"
		a.Resume = nil
		a.UpdatedAt = at(20)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("UpdateApplication: %v, want fn's error", err)
	}
	equal(t, "Application after a failed update", app, getApp(t, s, f.A.ID, app.Reference))
	moves, err := s.Moves(ctx, f.A.ID, app.ID)
	noErr(t, "Moves", err)
	equal(t, "Moves after a failed update", []intake.Move(nil), moves)
}

func testUpdateMoves(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	app := bareApp(f.A, f.A1, "jane@example.com", 1)
	create(t, s, app, nil)
	st := f.A1.Stages
	steps := []struct {
		stage int64
		at    int
	}{{st[2].ID, 10}, {st[2].ID, 11}, {st[0].ID, 12}}
	for _, step := range steps {
		_, err := s.UpdateApplication(ctx, f.A.ID, app.Reference, func(a *intake.Application) error {
			a.StageID, a.UpdatedAt = step.stage, at(step.at)
			return nil
		})
		noErr(t, "UpdateApplication", err)
	}
	moves, err := s.Moves(ctx, f.A.ID, app.ID)
	noErr(t, "Moves", err)
	job := f.A1.ID
	want := []intake.Move{
		{ApplicationID: app.ID, FromStageID: st[0].ID, ToStageID: st[2].ID, FromJobID: job, ToJobID: job, Kind: intake.MoveStage, CreatedAt: at(10)},
		{ApplicationID: app.ID, FromStageID: st[2].ID, ToStageID: st[0].ID, FromJobID: job, ToJobID: job, Kind: intake.MoveStage, CreatedAt: at(12)},
	}
	for i := range want {
		if i < len(moves) {
			want[i].ID = moves[i].ID
		}
	}
	equal(t, "Moves, oldest first, one per stage change", want, moves)
	moves, err = s.Moves(ctx, f.B.ID, app.ID)
	noErr(t, "Moves(other org)", err)
	equal(t, "Moves(other org)", []intake.Move(nil), moves)
}

func testUpdateEmailConflict(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	ann := bareApp(f.A, f.A1, "ann@example.com", 1)
	bob := bareApp(f.A, f.A1, "bob@example.com", 2)
	annB := bareApp(f.B, f.B1, "ann.b@example.com", 3)
	for _, a := range []*intake.Application{ann, bob, annB} {
		create(t, s, a, nil)
	}
	_, err := s.UpdateApplication(ctx, f.A.ID, bob.Reference, func(a *intake.Application) error {
		a.Person.Email, a.Person.Firstname, a.UpdatedAt = "ANN@example.com", "Bobby", at(10)
		return nil
	})
	wantCode(t, "UpdateApplication(email of another person)", err, intake.EConflict)
	equal(t, "Application after the refused update", bob, getApp(t, s, f.A.ID, bob.Reference))

	for _, email := range []string{"BOB@example.com", "ann.b@example.com"} {
		_, err = s.UpdateApplication(ctx, f.A.ID, bob.Reference, func(a *intake.Application) error {
			a.Person.Email = email
			return nil
		})
		noErr(t, "UpdateApplication(email "+email+")", err)
		if got := getApp(t, s, f.A.ID, bob.Reference).Person.Email; got != email {
			t.Errorf("email %q, want %q", got, email)
		}
	}
}

// testUpdatePersonShared checks that person fields belong to the person:
// changing them through one application shows in the others.
func testUpdatePersonShared(t *testing.T, s intake.Store) {
	f := seed(t, s)
	a1 := bareApp(f.A, f.A1, "jane@example.com", 1)
	a2 := bareApp(f.A, f.A2, "jane@example.com", 2)
	create(t, s, a1, nil)
	create(t, s, a2, nil)
	_, err := s.UpdateApplication(t.Context(), f.A.ID, a1.Reference, func(a *intake.Application) error {
		a.Person.Firstname, a.Person.Email = "Janet", "janet@example.com"
		return nil
	})
	noErr(t, "UpdateApplication", err)
	p := getApp(t, s, f.A.ID, a2.Reference).Person
	if p.Firstname != "Janet" || p.Email != "janet@example.com" || p.ID != a1.Person.ID {
		t.Errorf("other application's person %+v, want the updated person %d", p, a1.Person.ID)
	}
}

func testUpdateDocuments(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	app := newApp(f.A, f.KeyA, f.A1, "jane@example.com", 1)
	app.Portfolio = nil
	create(t, s, app, nil)
	oldResume, oldAvatar := app.Resume.BlobKey, app.Avatar.BlobKey
	var want *intake.Application
	_, err := s.UpdateApplication(ctx, f.A.ID, app.Reference, func(a *intake.Application) error {
		a.Resume = newDoc(intake.DocResume, 10)
		a.Portfolio = newDoc(intake.DocPortfolio, 10)
		a.Avatar = nil
		a.UpdatedAt = at(10)
		want = clone(a)
		return nil
	})
	noErr(t, "UpdateApplication", err)
	equal(t, "Application with replaced documents", want, getApp(t, s, f.A.ID, app.Reference))
	keys := []string{oldResume, oldAvatar, want.Resume.BlobKey, want.Portfolio.BlobKey}
	got, err := s.ReferencedBlobs(ctx, keys)
	noErr(t, "ReferencedBlobs", err)
	equal(t, "ReferencedBlobs after replacing documents", map[string]bool{
		want.Resume.BlobKey: true, want.Portfolio.BlobKey: true,
	}, trueOnly(got))
}

func testUpdateNotFound(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	app := bareApp(f.A, f.A1, "jane@example.com", 1)
	create(t, s, app, nil)
	called := false
	fn := func(a *intake.Application) error {
		called = true
		return nil
	}
	_, err := s.UpdateApplication(ctx, f.B.ID, app.Reference, fn)
	wantCode(t, "UpdateApplication(other org)", err, intake.ENotFound)
	_, err = s.UpdateApplication(ctx, f.A.ID, "wttj-000000000000000000000000", fn)
	wantCode(t, "UpdateApplication(unknown)", err, intake.ENotFound)
	if called {
		t.Error("fn called for an application that is not there")
	}
}

// trueOnly keeps the referenced keys: a store may report the others as
// false or leave them out.
func trueOnly(m map[string]bool) map[string]bool {
	out := map[string]bool{}
	for k, v := range m {
		if v {
			out[k] = true
		}
	}
	return out
}
