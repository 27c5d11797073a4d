package flatchr

import (
	"encoding/json"
	"testing"
	"time"

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
	tests := []struct {
		name  string
		event *intake.Event
		check map[string]any // paths into data: want
	}{
		{"new_applicant", &intake.Event{ID: 1, OrgID: 7, Name: intake.EventNewApplicant, Payload: payload(&intake.ApplicantData{Candidate: cand})},
			map[string]any{"applicant_id": 17.0, "candidate_id": 9.0, "column": 46.0, "vacancy_id": "VYJA39jqrrnlnqwe",
				"message": "Un nouveau candidat a postulé sur votre offre <b>Dev &lt;Go&gt;</b>"}},
		{"drag_applicant", &intake.Event{ID: 2, OrgID: 7, Name: intake.EventDragApplicant, Payload: payload(&intake.ApplicantData{Candidate: cand, FromStageID: 42})},
			map[string]any{"applicant_id": 17.0}},
		{"new_vacancy", &intake.Event{ID: 3, OrgID: 7, Name: intake.EventNewVacancy, Payload: payload(&intake.VacancyData{Job: job, Org: org})},
			map[string]any{"vacancy_id": "VYJA39jqrrnlnqwe"}},
		{"archive_vacancy", &intake.Event{ID: 4, OrgID: 7, Name: intake.EventArchiveVacancy, Payload: payload(&intake.VacancyData{Job: job, Org: org})},
			map[string]any{"vacancy_id": "VYJA39jqrrnlnqwe"}},
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
				if body.Data[k] != want {
					t.Errorf("data.%s = %v, want %v", k, body.Data[k], want)
				}
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
	if _, err := WebhookBody(&intake.Event{ID: 5, Name: intake.EventNewApplicant, Payload: []byte(`{}`)}); err == nil {
		t.Error("an applicant event without its candidate rendered")
	}
}
