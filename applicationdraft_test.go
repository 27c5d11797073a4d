package intake_test

import (
	"errors"
	"strings"
	"testing"

	"intake"
	"intake/internal/testenv"
)

const draftWorld = `
organizations:
  - name: Acme
    reference: Pg4eV6k
    api_keys:
      - {name: rw, token: rw-key-acme, scopes: [candidates_rw]}
      - {name: r, token: r-key-acme, scopes: [candidates_r]}
    jobs: [{reference: WTTJ_KmqkD1Y, title: Dev}]
  - name: Globex
    reference: Gx7bQ2a
    api_keys:
      - {name: rw, token: globex-key, scopes: [candidates_rw]}
    jobs: [{reference: WTTJ_Gl0b3xA, title: Ops}]
`

// draftEnv is a Service with one writable principal and its job.
type draftEnv struct {
	env *testenv.Env
	p   *intake.Principal
	job *intake.Job
}

func newDraftEnv(t *testing.T) *draftEnv {
	t.Helper()
	env := testenv.New(t, draftWorld)
	p := authenticate(t, env.Service, "rw-key-acme")
	job, err := env.Store.JobByReference(t.Context(), p.Org.ID, "WTTJ_KmqkD1Y")
	if err != nil {
		t.Fatal(err)
	}
	return &draftEnv{env: env, p: p, job: job}
}

func (e *draftEnv) newApplication(email string) *intake.NewApplication {
	return &intake.NewApplication{
		Application: intake.Application{Source: intake.SourceWelcomeKit,
			Person: intake.Person{Firstname: "Jane", Lastname: "Doe", Email: email}},
		Job: e.job,
	}
}

// stageResume stages a résumé as an adapter does while decoding.
func (e *draftEnv) stageResume(t *testing.T) *intake.FileInput {
	t.Helper()
	b, err := e.env.Service.StageUpload(t.Context(), strings.NewReader("%PDF-1.4\n%%EOF\n"), intake.DocResume)
	if err != nil {
		t.Fatal(err)
	}
	return &intake.FileInput{Staged: b, FileName: "cv.pdf"}
}

func (e *draftEnv) stored(t *testing.T) int {
	t.Helper()
	_, n, err := e.env.Store.Applications(t.Context(), intake.ApplicationFilter{OrgID: e.p.Org.ID})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *draftEnv) blobExists(t *testing.T, key string) bool {
	t.Helper()
	rc, err := e.env.Service.OpenBlob(t.Context(), key)
	if err == nil {
		rc.Close()
		return true
	}
	if intake.ErrorCodeOf(err) != intake.ENotFound {
		t.Fatal(err)
	}
	return false
}

func TestValidateApplication(t *testing.T) {
	e := newDraftEnv(t)
	globex := authenticate(t, e.env.Service, "globex-key")
	reader := authenticate(t, e.env.Service, "r-key-acme")
	tests := []struct {
		name   string
		p      *intake.Principal
		change func(*intake.NewApplication)
		code   intake.ErrorCode
		fields []string
	}{
		{name: "valid", p: e.p},
		{name: "every bad field at once", p: e.p, change: func(in *intake.NewApplication) {
			in.Application.Person.Email = "not-an-email"
			in.Application.Person.Civility = "Dr"
			in.Resume = &intake.FileInput{URL: "ftp://cv.example/cv.pdf"}
		}, code: intake.EInvalid, fields: []string{"civility", "email", "remote_resume_url"}},
		{name: "read-only key", p: reader, code: intake.EForbidden},
		{name: "another organization's job", p: globex, code: intake.ENotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := e.newApplication("jane@example.com")
			if tt.change != nil {
				tt.change(in)
			}
			err := e.env.Service.ValidateApplication(tt.p, in)
			if got := intake.ErrorCodeOf(err); got != tt.code {
				t.Fatalf("error %v, want code %q", err, tt.code)
			}
			for _, f := range tt.fields {
				if _, ok := intake.ErrorFields(err)[f]; !ok {
					t.Errorf("fields %v lack %s", intake.ErrorFields(err), f)
				}
			}
			if len(intake.ErrorFields(err)) != len(tt.fields) {
				t.Errorf("fields %v, want exactly %v", intake.ErrorFields(err), tt.fields)
			}
		})
	}
	if n := e.stored(t); n != 0 {
		t.Errorf("validation stored %d applications", n)
	}
}

// TestDraftDiscard: a discarded draft (Flatchr /test) stores nothing and
// deletes the files it staged; discarding twice is harmless.
func TestDraftDiscard(t *testing.T) {
	e := newDraftEnv(t)
	in := e.newApplication("jane@example.com")
	in.Resume = e.stageResume(t)
	d, err := e.env.Service.PrepareApplication(t.Context(), e.p, in)
	if err != nil {
		t.Fatal(err)
	}
	if d.Replay != nil || d.Candidate == nil || d.Candidate.Resume == nil || d.Candidate.Reference == "" {
		t.Fatalf("draft = %+v, want a candidate with its resume", d)
	}
	key := d.Candidate.Resume.BlobKey
	e.env.Service.DiscardApplication(t.Context(), d)
	e.env.Service.DiscardApplication(t.Context(), d)
	if e.blobExists(t, key) {
		t.Error("the discarded draft's resume is still stored")
	}
	if n := e.stored(t); n != 0 {
		t.Errorf("%d applications stored, want 0", n)
	}
	if _, err := e.env.Service.CommitApplication(t.Context(), d, nil); intake.ErrorCodeOf(err) != intake.EInternal {
		t.Errorf("commit after discard: %v, want an internal error", err)
	}
}

// TestDraftCommit: a committed draft is stored as prepared, keeps its
// files, cannot be committed again, and a deferred discard leaves it be.
func TestDraftCommit(t *testing.T) {
	e := newDraftEnv(t)
	in := e.newApplication("jane@example.com")
	in.Resume = e.stageResume(t)
	d, err := e.env.Service.PrepareApplication(t.Context(), e.p, in)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.env.Service.CommitApplication(t.Context(), d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Candidate != d.Candidate || res.Merged || res.Replay != nil {
		t.Errorf("result = %+v, want the draft's candidate", res)
	}
	e.env.Service.DiscardApplication(t.Context(), d)
	got, err := e.env.Service.Application(t.Context(), e.p, d.Candidate.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if got.Resume == nil || !e.blobExists(t, got.Resume.BlobKey) {
		t.Errorf("stored resume %+v lost", got.Resume)
	}
	if _, err := e.env.Service.CommitApplication(t.Context(), d, nil); intake.ErrorCodeOf(err) != intake.EInternal {
		t.Errorf("second commit: %v, want an internal error", err)
	}
	if n := e.stored(t); n != 1 {
		t.Errorf("%d applications stored, want 1", n)
	}
}

// TestDraftIdempotency: the answer committed with a key is what a retry
// replays; a key must be committed with its answer; a key reused with
// another request is a conflict.
func TestDraftIdempotency(t *testing.T) {
	e := newDraftEnv(t)
	ctx := t.Context()
	keyed := func(email, hash string) *intake.NewApplication {
		in := e.newApplication(email)
		in.Idempotency = &intake.IdempotencyRequest{Key: "key-1", RequestHash: hash}
		return in
	}

	in := keyed("jane@example.com", "h1")
	in.Resume = e.stageResume(t)
	d, err := e.env.Service.PrepareApplication(ctx, e.p, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.env.Service.CommitApplication(ctx, d, nil); intake.ErrorCodeOf(err) != intake.EInternal {
		t.Fatalf("keyed commit without an answer: %v, want an internal error", err)
	}
	if e.blobExists(t, d.Candidate.Resume.BlobKey) || e.stored(t) != 0 {
		t.Fatal("a refused commit left its application or resume")
	}
	if _, err := e.env.Service.CreateApplication(ctx, e.p, keyed("jane@example.com", "h1")); intake.ErrorCodeOf(err) != intake.EInternal {
		t.Fatalf("CreateApplication with a key: %v, want an internal error", err)
	}

	d, err = e.env.Service.PrepareApplication(ctx, e.p, keyed("jane@example.com", "h1"))
	if err != nil {
		t.Fatal(err)
	}
	answer := &intake.Response{Status: 201, Body: []byte(`{"reference":"` + d.Candidate.Reference + `"}`)}
	if _, err := e.env.Service.CommitApplication(ctx, d, answer); err != nil {
		t.Fatal(err)
	}

	retry, err := e.env.Service.PrepareApplication(ctx, e.p, keyed("jane@example.com", "h1"))
	if err != nil {
		t.Fatal(err)
	}
	if retry.Replay == nil || retry.Replay.Status != 201 || string(retry.Replay.Body) != string(answer.Body) || retry.Candidate != nil {
		t.Errorf("retry draft = %+v, want the replay of %s", retry, answer.Body)
	}
	e.env.Service.DiscardApplication(ctx, retry)

	_, err = e.env.Service.PrepareApplication(ctx, e.p, keyed("john@example.com", "h2"))
	if intake.ErrorCodeOf(err) != intake.EConflict {
		t.Errorf("key reused with another request: %v, want a conflict", err)
	}
	if n := e.stored(t); n != 1 {
		t.Errorf("%d applications stored, want 1", n)
	}
}

// TestNewApplicationServiceFields: what the Service owns is set by the
// Service, whatever an adapter left in NewApplication.Application.
func TestNewApplicationServiceFields(t *testing.T) {
	e := newDraftEnv(t)
	in := e.newApplication("jane@example.com")
	a := &in.Application
	a.ID, a.Reference, a.ApplicantKey, a.OrgID, a.JobID, a.StageID = 99, "wttj-forged", "forged", 77, 66, 55
	a.CreatedByKey, a.RemoteResumeURL = 44, "https://forged.example/cv.pdf"
	a.Resume = &intake.Document{Kind: intake.DocResume, BlobKey: "forged"}
	a.Newsletter = &intake.Consent{Given: true}
	a.Person.ID, a.Person.OrgID = 33, 22
	a.Tags, a.Origin = []string{" go ", "go", ""}, "career site"
	res, err := e.env.Service.CreateApplication(t.Context(), e.p, in)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Candidate
	first, _ := e.job.FirstStage()
	switch {
	case c.Reference == "wttj-forged" || c.ApplicantKey == "forged" || c.ID == 99:
		t.Errorf("identity taken from the adapter: %+v", c.Application)
	case c.OrgID != e.p.Org.ID || c.JobID != e.job.ID || c.StageID != first.ID || c.CreatedByKey != e.p.Key.ID:
		t.Errorf("ownership taken from the adapter: org %d job %d stage %d key %d", c.OrgID, c.JobID, c.StageID, c.CreatedByKey)
	case c.Resume != nil || c.RemoteResumeURL != "" || c.Newsletter != nil:
		t.Errorf("files or consent taken from the adapter: %+v %q %+v", c.Resume, c.RemoteResumeURL, c.Newsletter)
	case c.Person.OrgID != e.p.Org.ID || c.Person.ID == 33:
		t.Errorf("person ids taken from the adapter: %+v", c.Person)
	case c.Origin != "career site" || len(c.Tags) != 1 || c.Tags[0] != "go":
		t.Errorf("client fields not kept as normalized: origin %q tags %q", c.Origin, c.Tags)
	}
}

// TestCreateDuplicate: a store's typed refusal of a second application of
// one person to one job becomes the policy's answer.
func TestCreateDuplicate(t *testing.T) {
	e := newDraftEnv(t)
	first, err := e.env.Service.CreateApplication(t.Context(), e.p, e.newApplication("jane@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.env.Service.CreateApplication(t.Context(), e.p, e.newApplication("JANE@example.com"))
	if got := intake.ErrorFields(err)["email"]; intake.ErrorCodeOf(err) != intake.EInvalid || got != "has already been taken for this job" {
		t.Errorf("reject policy: %v, want the email taken", err)
	}
	if _, ok := errors.AsType[*intake.ApplicationExists](err); ok {
		t.Error("the store's refusal leaked to the client")
	}
	merge := e.newApplication("jane@example.com")
	merge.OnDuplicate = intake.DuplicateMerge
	res, err := e.env.Service.CreateApplication(t.Context(), e.p, merge)
	if err != nil || !res.Merged || res.Candidate.Reference != first.Candidate.Reference {
		t.Errorf("merge policy: %+v, %v; want the first application, merged", res, err)
	}
}
