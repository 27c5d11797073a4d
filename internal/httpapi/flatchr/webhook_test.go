package flatchr

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"intake"
)

func TestWebhookBody(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	org := &intake.Org{ID: 7, Name: "Acme", CompanyKey: "G6KzqPnNLyp31m0l", Slug: "acme"}
	job := &intake.Job{ID: 3027, OrgID: 7, Title: "Dev <Go>", VacancyKey: "VYJA39jqrrnlnqwe", CreatedAt: at, UpdatedAt: at,
		Stages: []intake.Stage{{ID: 42, Name: "Nouveau", Reference: "initial", Visible: true}, {ID: 46, Name: "Recruté", Reference: "hired", Position: 1}}}
	app := &intake.Application{ID: 17, Reference: "wttj-0123", ApplicantKey: "AbCdEfGhIjKlMnOp", OrgID: 7, JobID: 3027, StageID: 46,
		Person: intake.Person{ID: 9, Email: "jane@example.com", Firstname: "Jane", Lastname: "Doe"}, CreatedAt: at, UpdatedAt: at}
	payload := func(v any) json.RawMessage {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cand := &intake.Candidate{Application: app, Job: job, Org: org}
	msg := &intake.Message{ID: 31, OrgID: 7, ApplicationID: 17, Author: "rw", AuthorKeyID: 5, Subject: "Entretien",
		Body: "<p>Bonjour Jane</p>", HTML: true, Sending: intake.Sending{Status: intake.SendPending}, CreatedAt: at}
	com := &intake.Comment{ID: 12, OrgID: 7, ApplicationID: 17, Author: "rw", AuthorKeyID: 5, Raw: "**Top**",
		HTML: "<p><strong>Top</strong></p>\n", Private: true, ReplyTo: 11, CreatedAt: at}
	activity := []string{"user", "applicant", "candidate", "vacancy", "column", "user_id", "applicant_id", "candidate_id",
		"column_id", "vacancy_id", "company"}
	tests := []struct {
		name  string
		event *intake.Event
		check map[string]any // paths into data: want
		keys  []string       // every key of data
	}{
		{"new_applicant", &intake.Event{ID: 1, OrgID: 7, Name: intake.EventNewApplicant, Payload: payload(&intake.ApplicantData{Candidate: cand})},
			map[string]any{"applicant_id": 17.0, "candidate_id": 9.0, "column": 46.0, "vacancy_id": "VYJA39jqrrnlnqwe",
				"message": "Un nouveau candidat a postulé sur votre offre <b>Dev &lt;Go&gt;</b>"},
			[]string{"applicant", "candidate", "vacancy", "column", "cv", "user", "message", "applicant_id", "candidate_id",
				"column_id", "vacancy_id", "company"}},
		{"drag_applicant", &intake.Event{ID: 2, OrgID: 7, Name: intake.EventDragApplicant, Payload: payload(&intake.ApplicantData{Candidate: cand, FromStageID: 42})},
			map[string]any{"applicant_id": 17.0},
			[]string{"applicant", "candidate", "vacancy", "column", "cv", "user", "applicant_id", "candidate_id",
				"column_id", "vacancy_id", "previous_column", "company"}},
		{"new_vacancy", &intake.Event{ID: 3, OrgID: 7, Name: intake.EventNewVacancy, Payload: payload(&intake.VacancyData{Job: job, Org: org})},
			map[string]any{"vacancy_id": "VYJA39jqrrnlnqwe"},
			[]string{"user", "vacancy", "message", "user_id", "vacancy_id", "company"}},
		{"archive_vacancy", &intake.Event{ID: 4, OrgID: 7, Name: intake.EventArchiveVacancy, Payload: payload(&intake.VacancyData{Job: job, Org: org})},
			map[string]any{"vacancy_id": "VYJA39jqrrnlnqwe"},
			[]string{"user", "vacancy", "user_id", "vacancy_id", "company"}},
		{"new_message", &intake.Event{ID: 7, OrgID: 7, Name: intake.EventNewMessage, Payload: payload(&intake.MessageData{Candidate: cand, Message: msg})},
			map[string]any{"company_id": "G6KzqPnNLyp31m0l", "text": "<p>Bonjour Jane</p>", "subject": "Entretien", "message_id": 31.0,
				"applicant_id": 17.0, "candidate_id": 9.0, "vacancy_id": "VYJA39jqrrnlnqwe", "user_id": nil,
				"column_id": intake.DeriveEncodedID("column", "46")},
			append([]string{"company_id", "text", "subject", "message_id"}, activity...)},
		{"new_comment", &intake.Event{ID: 8, OrgID: 7, Name: intake.EventNewComment, Payload: payload(&intake.CommentData{Candidate: cand, Comment: com})},
			map[string]any{"applicant_id": 17.0, "candidate_id": 9.0, "vacancy_id": "VYJA39jqrrnlnqwe", "user_id": nil,
				"column_id": intake.DeriveEncodedID("column", "46")},
			append([]string{"comment"}, activity...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := WebhookBody(tt.event)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := WebhookBody(tt.event)
			if string(again) != string(b) {
				t.Errorf("two renderings differ: retries would not send the same bytes")
			}
			var body struct {
				Data      map[string]any `json:"data"`
				Event     string         `json:"event"`
				CompanyID int64          `json:"company_id"`
			}
			if err := json.Unmarshal(b, &body); err != nil {
				t.Fatal(err)
			}
			if body.Event != tt.name || body.CompanyID != 7 {
				t.Errorf("event %q company %d, want %q 7", body.Event, body.CompanyID, tt.name)
			}
			for k, want := range tt.check {
				if got, ok := body.Data[k]; !ok || got != want {
					t.Errorf("data.%s = %v (present %v), want %v", k, got, ok, want)
				}
			}
			keys := slices.Sorted(maps.Keys(body.Data))
			if want := slices.Sorted(slices.Values(tt.keys)); !slices.Equal(keys, want) {
				t.Errorf("data keys = %v, want %v", keys, want)
			}
			if company, _ := body.Data["company"].(map[string]any); company["name"] != "Acme" {
				t.Errorf("data.company = %v", body.Data["company"])
			}
			if v, _ := body.Data["vacancy"].(map[string]any); v["title"] != "Dev <Go>" {
				t.Errorf("data.vacancy.title = %v", v["title"])
			}
		})
	}
	drag, _ := WebhookBody(tests[1].event)
	var d struct {
		Data struct {
			Column   webhookColumnJSON  `json:"column"`
			Previous *webhookColumnJSON `json:"previous_column"`
		} `json:"data"`
	}
	if err := json.Unmarshal(drag, &d); err != nil {
		t.Fatal(err)
	}
	if d.Data.Column.ID != 46 || !d.Data.Column.Hired || d.Data.Previous == nil || d.Data.Previous.ID != 42 {
		t.Errorf("drag columns = %+v from %+v, want 46 (hired) from 42", d.Data.Column, d.Data.Previous)
	}
	byUser, err := WebhookBody(&intake.Event{ID: 6, OrgID: 7, Name: intake.EventDragApplicant, Payload: payload(&intake.ApplicantData{
		Candidate: cand, FromStageID: 42, Actor: &intake.EventUser{ID: 3, Email: "rh@acme.example", Firstname: "Rose", Lastname: "Hugo"}})})
	if err != nil {
		t.Fatal(err)
	}
	var u struct {
		Data struct {
			User   webhookUserJSON `json:"user"`
			UserID string          `json:"user_id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(byUser, &u); err != nil {
		t.Fatal(err)
	}
	if u.Data.User.Email != "rh@acme.example" || u.Data.UserID != intake.DeriveEncodedID("user", "3") {
		t.Errorf("a user's move renders user %+v, user_id %q", u.Data.User, u.Data.UserID)
	}
	if _, err := WebhookBody(&intake.Event{ID: 5, Name: intake.EventNewApplicant, Payload: []byte(`{}`)}); err == nil {
		t.Error("an applicant event without its candidate rendered")
	}
}

// TestWebhookBodyActivity checks the blocks of new_message and new_comment
// that depend on who wrote them and how.
func TestWebhookBodyActivity(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	org := &intake.Org{ID: 7, Name: "Acme", CompanyKey: "G6KzqPnNLyp31m0l", Slug: "acme"}
	job := &intake.Job{ID: 3027, OrgID: 7, Title: "Dev", VacancyKey: "VYJA39jqrrnlnqwe", CreatedAt: at, UpdatedAt: at,
		Stages: []intake.Stage{{ID: 42, Name: "Nouveau", Reference: "initial", Visible: true}, {ID: 46, Name: "Recruté", Reference: "hired", Position: 1}}}
	app := &intake.Application{ID: 17, Reference: "wttj-0123", ApplicantKey: "AbCdEfGhIjKlMnOp", OrgID: 7, JobID: 3027, StageID: 46,
		Person: intake.Person{ID: 9, Email: "jane@example.com", Firstname: "Jane", Lastname: "Doe"}, CreatedAt: at, UpdatedAt: at}
	cand := &intake.Candidate{Application: app, Job: job, Org: org}
	rose := &intake.EventUser{ID: 3, Email: "rh@acme.example", Firstname: "Rose", Lastname: "Hugo"}
	roseID := intake.DeriveEncodedID("user", "3")
	reply := int64(11)
	type comment struct {
		ID        int64       `json:"id"`
		Text      string      `json:"text"`
		Private   bool        `json:"private"`
		ReplyTo   *int64      `json:"reply_to"`
		CreatedAt string      `json:"created_at"`
		Author    *authorJSON `json:"author"`
	}
	type data struct {
		User      webhookUserJSON `json:"user"`
		UserID    *string         `json:"user_id"`
		Applicant struct {
			Reference string `json:"reference"`
			ColumnID  int64  `json:"column_id"`
		} `json:"applicant"`
		Candidate struct {
			Email string `json:"email"`
		} `json:"candidate"`
		Column  webhookColumnJSON `json:"column"`
		Text    string            `json:"text"`
		Comment *comment          `json:"comment"`
	}
	column := webhookColumnJSON{ID: 46, Title: "Recruté", CompanyID: "G6KzqPnNLyp31m0l", Position: 1,
		CreatedAt: timestamp(at), UpdatedAt: timestamp(at), Hired: true}
	base := func(d data) data {
		d.Applicant.Reference, d.Applicant.ColumnID = "wttj-0123", 46
		d.Candidate.Email = "jane@example.com"
		d.Column = column
		return d
	}
	tests := []struct {
		name  string
		event intake.EventName
		d     any
		want  data
	}{
		{"text message by a user", intake.EventNewMessage, &intake.MessageData{Candidate: cand, Actor: rose, Message: &intake.Message{ID: 1, Author: "Rose Hugo", AuthorKeyID: -3,
			Subject: "Entretien", Body: "Bonjour <Jane>,\nà demain", CreatedAt: at}},
			base(data{User: webhookUserJSON{ID: 3, Email: "rh@acme.example", Firstname: "Rose", Lastname: "Hugo"}, UserID: &roseID,
				Text: "Bonjour &lt;Jane&gt;,<br>\nà demain"})},
		{"private reply by a key", intake.EventNewComment, &intake.CommentData{Candidate: cand, Comment: &intake.Comment{ID: 12, Author: "rw", AuthorKeyID: 5,
			HTML: "<p>Top</p>\n", Private: true, ReplyTo: 11, CreatedAt: at}},
			base(data{Comment: &comment{ID: 12, Text: "<p>Top</p>\n", Private: true, ReplyTo: &reply, CreatedAt: timestamp(at),
				Author: &authorJSON{ID: 5, Firstname: "rw"}}})},
		{"comment by a user", intake.EventNewComment, &intake.CommentData{Candidate: cand, Actor: rose, Comment: &intake.Comment{ID: 13, Author: "Rose Hugo", AuthorKeyID: -3,
			HTML: "<p>Vu</p>\n", CreatedAt: at}},
			base(data{User: webhookUserJSON{ID: 3, Email: "rh@acme.example", Firstname: "Rose", Lastname: "Hugo"}, UserID: &roseID,
				Comment: &comment{ID: 13, Text: "<p>Vu</p>\n", CreatedAt: timestamp(at), Author: &authorJSON{ID: 3, Firstname: "Rose", Lastname: "Hugo"}}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload, err := json.Marshal(tt.d)
			if err != nil {
				t.Fatal(err)
			}
			b, err := WebhookBody(&intake.Event{ID: 1, OrgID: 7, Name: tt.event, Payload: payload})
			if err != nil {
				t.Fatal(err)
			}
			var body struct {
				Data data `json:"data"`
			}
			if err := json.Unmarshal(b, &body); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, body.Data); diff != "" {
				t.Errorf("data (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWebhookBodyMalformed checks that events the renderers cannot read
// are errors, never panics, and that an event without a renderer is sent
// as recorded.
func TestWebhookBodyMalformed(t *testing.T) {
	tests := []struct {
		name    string
		event   intake.EventName
		payload string
		wantErr bool
	}{
		{"message without data", intake.EventNewMessage, `{}`, true},
		{"message without its job", intake.EventNewMessage, `{"Candidate":{"ID":1,"Org":{"ID":7}},"Message":{"ID":2}}`, true},
		{"message not JSON", intake.EventNewMessage, `[`, true},
		{"comment as a bare comment", intake.EventNewComment, `{"ID":3,"Raw":"hi"}`, true},
		{"comment with null candidate", intake.EventNewComment, `{"Candidate":null,"Comment":{"ID":3}}`, true},
		{"comment without the comment", intake.EventNewComment, `{"Candidate":{"ID":1,"Job":{"ID":2},"Org":{"ID":7}}}`, true},
		{"unknown event", "new_task", `{"task":{"id":4}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := WebhookBody(&intake.Event{ID: 9, OrgID: 7, Name: tt.event, Payload: json.RawMessage(tt.payload)})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			want := `{"data":` + tt.payload + `,"event":"` + string(tt.event) + `","company_id":7}`
			if string(b) != want {
				t.Errorf("body = %s, want %s", b, want)
			}
		})
	}
}
