package intake_test

import (
	"encoding/json"
	"testing"

	"intake"
	"intake/internal/testenv"
)

const eventWorld = `
organizations:
  - name: Acme
    reference: Pg4eV6k
    api_keys:
      - {name: rw, token: wk-api-key, scopes: [candidates_rw]}
    jobs: [{reference: WTTJ_KmqkD1Y, title: Dev}]
`

// TestServiceEvents checks that each change of an application records its
// events with the change: a create, a stage change, an archive, and an
// update that changes neither (no event).
func TestServiceEvents(t *testing.T) {
	env := testenv.New(t, eventWorld)
	ctx := t.Context()
	p := authenticate(t, env.Service, "wk-api-key")
	job, err := env.Store.JobByReference(ctx, p.Org.ID, "WTTJ_KmqkD1Y")
	if err != nil {
		t.Fatal(err)
	}
	res, err := env.Service.CreateApplication(ctx, p, &intake.NewApplication{Application: intake.Application{Source: intake.SourceWelcomeKit, Person: intake.Person{Firstname: "Jane", Lastname: "Doe", Email: "jane@example.com"}}, Job: job})
	if err != nil {
		t.Fatalf("CreateApplication: %v", err)
	}
	ref := res.Candidate.Reference
	second := job.Stages[1].ID
	yes := true
	title := "Staff"
	for _, upd := range []*intake.ApplicationUpdate{{StageID: &second}, {Archived: &yes}, {Subtitle: &title}, {Archived: &yes}} {
		if _, err := env.Service.UpdateApplication(ctx, p, ref, upd); err != nil {
			t.Fatalf("UpdateApplication: %v", err)
		}
	}
	got, err := env.Store.Events(ctx, intake.EventFilter{OrgID: p.Org.ID, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Name           intake.EventName
		Stage, From    int64
		Archived       bool
		Actor, JobID   int64
		OrgName, Title string
	}
	var rows []row
	for _, e := range got {
		var d intake.ApplicantData
		if err := json.Unmarshal(e.Payload, &d); err != nil {
			t.Fatalf("payload %s: %v", e.Payload, err)
		}
		if d.Candidate.Reference != ref || d.Candidate.ID != res.Candidate.ID {
			t.Errorf("%s payload is of %s/%d, want %s/%d", e.Name, d.Candidate.Reference, d.Candidate.ID, ref, res.Candidate.ID)
		}
		rows = append(rows, row{e.Name, d.Candidate.StageID, d.FromStageID, d.Candidate.Archived, d.ActorKeyID, e.JobID, d.Candidate.Org.Name, d.Candidate.Job.Title})
	}
	first := job.Stages[0].ID
	want := []row{
		{intake.EventNewApplicant, first, 0, false, p.Key.ID, job.ID, "Acme", "Dev"},
		{intake.EventDragApplicant, second, first, false, p.Key.ID, job.ID, "Acme", "Dev"},
		{intake.EventArchiveApplicant, second, 0, true, p.Key.ID, job.ID, "Acme", "Dev"},
	}
	if len(rows) != len(want) {
		t.Fatalf("events = %+v, want %+v", rows, want)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("event %d = %+v, want %+v", i, rows[i], want[i])
		}
	}
}

// TestServiceActivityEvents checks that a comment and a message record,
// with the row, what the webhook renderer needs: the row with its id, the
// application with its job and organization, and the user who wrote it
// (none for an API key).
func TestServiceActivityEvents(t *testing.T) {
	env := userEnv(t)
	ctx := t.Context()
	key := authenticate(t, env.Service, "wk-api-key")
	token, owner, err := env.Service.Login(ctx, "owner@example.com", "owner password", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	user, err := env.Service.Authenticate(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	job, err := env.Store.JobByReference(ctx, key.Org.ID, "WTTJ_KmqkD1Y")
	if err != nil {
		t.Fatal(err)
	}
	res, err := env.Service.CreateApplication(ctx, key, &intake.NewApplication{Job: job, Application: intake.Application{Source: intake.SourceFlatchr,
		Person: intake.Person{Firstname: "Jane", Lastname: "Doe", Email: "jane@example.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	ref := intake.CandidateRef{ApplicantKey: res.Candidate.ApplicantKey}
	byKey, err := env.Service.AddComment(ctx, key, ref, &intake.NewComment{Text: "Solid", Source: intake.SourceFlatchr})
	if err != nil {
		t.Fatal(err)
	}
	byUser, err := env.Service.AddComment(ctx, user, ref, &intake.NewComment{Text: "Agreed", ReplyTo: byKey.ID, Source: intake.SourceFlatchr})
	if err != nil {
		t.Fatal(err)
	}
	_, msg, err := env.Service.SendMessage(ctx, user, ref, &intake.NewMessage{Subject: "Entretien", Body: "<p>Bonjour</p>", HTML: true, Source: intake.SourceFlatchr})
	if err != nil {
		t.Fatal(err)
	}
	events, err := env.Store.Events(ctx, intake.EventFilter{OrgID: key.Org.ID, Names: []intake.EventName{intake.EventNewComment, intake.EventNewMessage}, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Name           intake.EventName
		ID, Actor      int64
		App            int64
		OrgName, Title string
	}
	var rows []row
	for _, e := range events {
		var (
			cand  *intake.Candidate
			id    int64
			actor *intake.EventUser
		)
		switch e.Name {
		case intake.EventNewComment:
			var d intake.CommentData
			if err := json.Unmarshal(e.Payload, &d); err != nil || d.Comment == nil {
				t.Fatalf("payload %s: %v", e.Payload, err)
			}
			cand, id, actor = d.Candidate, d.Comment.ID, d.Actor
		default:
			var d intake.MessageData
			if err := json.Unmarshal(e.Payload, &d); err != nil || d.Message == nil {
				t.Fatalf("payload %s: %v", e.Payload, err)
			}
			cand, id, actor = d.Candidate, d.Message.ID, d.Actor
		}
		if cand == nil || cand.Application == nil || cand.Job == nil || cand.Org == nil {
			t.Fatalf("%s payload lacks the application, its job or org: %s", e.Name, e.Payload)
		}
		r := row{e.Name, id, 0, cand.ID, cand.Org.Name, cand.Job.Title}
		if actor != nil {
			r.Actor = actor.ID
			if actor.Email != "owner@example.com" || actor.Firstname != "Olga" {
				t.Errorf("%s actor = %+v", e.Name, actor)
			}
		}
		rows = append(rows, r)
	}
	app := res.Candidate.ID
	want := []row{
		{intake.EventNewComment, byKey.ID, 0, app, "Acme", "Dev"},
		{intake.EventNewComment, byUser.ID, owner.ID, app, "Acme", "Dev"},
		{intake.EventNewMessage, msg.ID, owner.ID, app, "Acme", "Dev"},
	}
	if len(rows) != len(want) {
		t.Fatalf("events = %+v, want %+v", rows, want)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("event %d = %+v, want %+v", i, rows[i], want[i])
		}
	}
}
