package flatchr

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"intake"
)

// TestWebhookWireFields keeps the wire forms the renderer decodes in step
// with the domain's event data: a field added there and missing here would
// be dropped from the bodies.
func TestWebhookWireFields(t *testing.T) {
	pairs := []struct{ domain, wire any }{
		{intake.ApplicantData{}, applicantWire{}},
		{intake.MessageData{}, messageWire{}},
		{intake.CommentData{}, commentWire{}},
		{intake.VacancyData{}, vacancyWire{}},
		{intake.Candidate{}, candidateWire{}},
	}
	for _, p := range pairs {
		d, w := reflect.TypeOf(p.domain), reflect.TypeOf(p.wire)
		if d.NumField() != w.NumField() {
			t.Errorf("%s has %d fields, %s %d", d, d.NumField(), w, w.NumField())
			continue
		}
		for i := range d.NumField() {
			df, wf := d.Field(i), w.Field(i)
			if df.Name != wf.Name || df.Tag != wf.Tag || df.Anonymous != wf.Anonymous {
				t.Errorf("%s field %d is %s %q, %s has %s %q", d, i, df.Name, df.Tag, w, wf.Name, wf.Tag)
			}
			if wf.Type != df.Type && wf.Type != reflect.TypeFor[json.RawMessage]() && wf.Type != reflect.TypeFor[*candidateWire]() {
				t.Errorf("%s.%s is %s, %s's %s", d, df.Name, df.Type, w, wf.Type)
			}
		}
	}
}

// plainBody renders e as WebhookBody did before the snapshot cache: the
// payload decoded whole, afresh. The cached rendering must send the same
// bytes.
func plainBody(e *intake.Event) ([]byte, error) {
	var data any
	switch e.Name {
	case intake.EventNewApplicant, intake.EventDragApplicant, intake.EventArchiveApplicant:
		var d intake.ApplicantData
		if err := json.Unmarshal(e.Payload, &d); err != nil {
			return nil, err
		}
		data = applicantEventData(e.Name, &d)
	case intake.EventNewVacancy, intake.EventUpdateVacancy, intake.EventArchiveVacancy:
		var d intake.VacancyData
		if err := json.Unmarshal(e.Payload, &d); err != nil {
			return nil, err
		}
		data = vacancyEventData(e.Name, &d)
	case intake.EventNewMessage:
		var d intake.MessageData
		if err := json.Unmarshal(e.Payload, &d); err != nil {
			return nil, err
		}
		data = messageEventData(&d)
	case intake.EventNewComment:
		var d intake.CommentData
		if err := json.Unmarshal(e.Payload, &d); err != nil {
			return nil, err
		}
		data = commentEventData(&d)
	}
	return json.Marshal(webhookJSON{Data: data, Event: string(e.Name), CompanyID: e.OrgID})
}

func snapshotEvents(t testing.TB) []*intake.Event {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	org := &intake.Org{ID: 7, Name: "Acme", CompanyKey: "G6KzqPnNLyp31m0l", Slug: "acme", CreatedAt: at, UpdatedAt: at}
	var out []*intake.Event
	add := func(name intake.EventName, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, &intake.Event{ID: int64(len(out) + 1), OrgID: 7, Name: name, Payload: b})
	}
	for j := range 3 {
		job := &intake.Job{ID: 3027 + int64(j), OrgID: 7, Title: fmt.Sprintf("Dev <Go> %d", j), VacancyKey: "VYJA39jqrrnlnqwe",
			Content:   intake.JobContent{Description: "<p>Une équipe</p>", Mission: "Tout"},
			Questions: []intake.Question{{ID: "q1", Text: "Permis ?", Type: "boolean", Required: true}},
			CreatedAt: at, UpdatedAt: at.Add(time.Duration(j) * time.Hour),
			Stages: []intake.Stage{{ID: 42, Name: "Nouveau", Reference: "initial", Visible: true}, {ID: 46, Name: "Recruté", Reference: "hired", Position: 1}}}
		for i := range 3 {
			app := &intake.Application{ID: 17 + int64(i), Reference: "wttj-0123", ApplicantKey: "AbCdEfGhIjKlMnOp", OrgID: 7, JobID: job.ID,
				StageID: 46, Tags: []string{"a"}, Person: intake.Person{ID: 9 + int64(i), Email: "jane@example.com", Firstname: "Jane",
					Lastname: "Doe", Media: map[string]string{"linkedin": "https://example.com/j"}}, CreatedAt: at, UpdatedAt: at}
			if i == 1 {
				app.Resume = &intake.Document{FileName: "cv.pdf", ContentType: "application/pdf", Size: 200000}
			}
			cand := &intake.Candidate{Application: app, Job: job, Org: org}
			add(intake.EventNewApplicant, &intake.ApplicantData{Candidate: cand, ActorKeyID: 3})
			add(intake.EventDragApplicant, &intake.ApplicantData{Candidate: cand, FromStageID: 42,
				Actor: &intake.EventUser{ID: 3, Email: "rh@acme.example", Firstname: "Rose"}})
			add(intake.EventNewMessage, &intake.MessageData{Candidate: cand, Message: &intake.Message{ID: 31, Subject: "S", Body: "a\nb"}})
			add(intake.EventNewComment, &intake.CommentData{Candidate: cand, Comment: &intake.Comment{ID: 12, HTML: "<p>x</p>", ReplyTo: 11}})
		}
		add(intake.EventUpdateVacancy, &intake.VacancyData{Job: job, Org: org, ActorKeyID: 2})
	}
	return out
}

// TestWebhookBodySnapshotCache renders events sharing jobs and an
// organization, twice over, and compares each body with a fresh
// decoding's.
func TestWebhookBodySnapshotCache(t *testing.T) {
	events := snapshotEvents(t)
	for round := range 2 {
		for _, e := range events {
			got, err := WebhookBody(e)
			if err != nil {
				t.Fatal(err)
			}
			want, err := plainBody(e)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Fatalf("round %d, event %d (%s):\n got %s\nwant %s", round, e.ID, e.Name, got, want)
			}
		}
	}
}

// BenchmarkWebhookBody renders new_applicant events of one job, as a burst
// of creates makes them.
func BenchmarkWebhookBody(b *testing.B) {
	e := snapshotEvents(b)[0]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := WebhookBody(e); err != nil {
			b.Fatal(err)
		}
	}
}
