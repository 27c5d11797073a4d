package flatchr

import (
	"encoding/json"
	"fmt"
	"html"

	"intake"
)

// webhookJSON is the body of an outgoing webhook (spec flatchr §11):
// `company_id` is the clear integer id.
type webhookJSON struct {
	Data      any    `json:"data"`
	Event     string `json:"event"`
	CompanyID int64  `json:"company_id"`
}

// webhookColumnJSON is a column (stage) inside webhook data (spec §3
// column).
type webhookColumnJSON struct {
	ID        int64  `json:"id"`
	Title     string `json:"title"`
	CompanyID string `json:"company_id"`
	Position  int    `json:"position"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
	Visible   bool   `json:"visible"`
	Hired     bool   `json:"hired"`
}

// webhookCandidateJSON is the person (spec §3 candidate).
type webhookCandidateJSON struct {
	ID        int64             `json:"id"`
	Firstname string            `json:"firstname"`
	Lastname  string            `json:"lastname"`
	Email     string            `json:"email"`
	Phone     string            `json:"phone"`
	Status    int               `json:"status"`
	CreatedAt string            `json:"created_at"`
	UpdatedAt string            `json:"updated_at"`
	URLs      map[string]string `json:"urls"`
	Consent   bool              `json:"consent"`
}

// webhookApplicantJSON is the application (spec §3 applicant); inside
// webhooks ids are clear integers (decision 16), the encoded ones beside.
type webhookApplicantJSON struct {
	ID          int64             `json:"id"`
	Key         string            `json:"key"`
	Reference   string            `json:"reference"`
	VacancyID   int64             `json:"vacancy_id"`
	CandidateID int64             `json:"candidate_id"`
	ColumnID    int64             `json:"column_id"`
	Status      int               `json:"status"`
	Score       int               `json:"score"`
	Comment     string            `json:"comment"`
	Tags        []string          `json:"tags"`
	Source      string            `json:"source"`
	CreatedAt   string            `json:"created_at"`
	UpdatedAt   string            `json:"updated_at"`
	Column      webhookColumnJSON `json:"column"`
}

type webhookCompanyJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// webhookApplicantDataJSON is the data of the applicant events; it keeps
// the field names of new_applicant and drag_applicant (spec §11).
type webhookApplicantDataJSON struct {
	Applicant   webhookApplicantJSON `json:"applicant"`
	Candidate   webhookCandidateJSON `json:"candidate"`
	Vacancy     vacancyJSON          `json:"vacancy"`
	Column      any                  `json:"column"`
	CV          any                  `json:"cv"`
	User        struct{}             `json:"user"`
	Message     string               `json:"message,omitempty"`
	ApplicantID int64                `json:"applicant_id"`
	CandidateID int64                `json:"candidate_id"`
	ColumnID    string               `json:"column_id"`
	VacancyID   string               `json:"vacancy_id"`
	UserID      *string              `json:"user_id,omitempty"`
	FromColumn  *webhookColumnJSON   `json:"previous_column,omitempty"`
	Company     webhookCompanyJSON   `json:"company"`
}

// WebhookBody renders an outbox event as Flatchr posts it. The output
// depends only on the event, so every retry and replay sends the same bytes.
func WebhookBody(e *intake.Event) ([]byte, error) {
	var data any
	switch e.Name {
	case intake.EventNewApplicant, intake.EventDragApplicant, intake.EventArchiveApplicant:
		var d intake.ApplicantData
		if err := json.Unmarshal(e.Payload, &d); err != nil {
			return nil, fmt.Errorf("event %d: %w", e.ID, err)
		}
		if d.Candidate == nil || d.Candidate.Application == nil || d.Candidate.Job == nil || d.Candidate.Org == nil {
			return nil, fmt.Errorf("event %d: incomplete applicant data", e.ID)
		}
		data = applicantEventData(e.Name, &d)
	case intake.EventNewVacancy, intake.EventUpdateVacancy, intake.EventArchiveVacancy:
		var d intake.VacancyData
		if err := json.Unmarshal(e.Payload, &d); err != nil {
			return nil, fmt.Errorf("event %d: %w", e.ID, err)
		}
		if d.Job == nil || d.Org == nil {
			return nil, fmt.Errorf("event %d: incomplete vacancy data", e.ID)
		}
		data = vacancyEventData(e.Name, &d)
	default:
		// Events recorded by other write paths carry their own data, sent
		// as recorded.
		data = e.Payload
	}
	return json.Marshal(webhookJSON{Data: data, Event: string(e.Name), CompanyID: e.OrgID})
}

func webhookColumn(org *intake.Org, job *intake.Job, st intake.Stage) webhookColumnJSON {
	return webhookColumnJSON{
		ID: st.ID, Title: st.Name, CompanyID: org.CompanyKey, Position: st.Position,
		CreatedAt: timestamp(job.CreatedAt), UpdatedAt: timestamp(job.UpdatedAt),
		Visible: st.Visible, Hired: st.Reference == "hired",
	}
}

func applicantEventData(name intake.EventName, d *intake.ApplicantData) webhookApplicantDataJSON {
	c := d.Candidate
	stage, _ := c.Job.StageByID(c.StageID)
	column := webhookColumn(c.Org, c.Job, stage)
	status := 1
	if c.Archived {
		status = 0
	}
	tags := c.Tags
	if tags == nil {
		tags = []string{}
	}
	urls := c.Person.Media
	if urls == nil {
		urls = map[string]string{}
	}
	out := webhookApplicantDataJSON{
		Applicant: webhookApplicantJSON{
			ID: c.ID, Key: c.ApplicantKey, Reference: c.Reference, VacancyID: c.JobID,
			CandidateID: c.Person.ID, ColumnID: c.StageID, Status: status, Comment: c.CoverLetter,
			Tags: tags, Source: string(c.Source),
			CreatedAt: timestamp(c.CreatedAt), UpdatedAt: timestamp(c.UpdatedAt), Column: column,
		},
		Candidate: webhookCandidateJSON{
			ID: c.Person.ID, Firstname: c.Person.Firstname, Lastname: c.Person.Lastname,
			Email: c.Person.Email, Phone: c.Person.Phone, Status: 1,
			CreatedAt: timestamp(c.CreatedAt), UpdatedAt: timestamp(c.UpdatedAt), URLs: urls,
			Consent: c.Newsletter != nil && c.Newsletter.Given,
		},
		Vacancy:     vacancy(c.Org, c.Job),
		ApplicantID: c.ID,
		CandidateID: c.Person.ID,
		ColumnID:    intake.DeriveEncodedID("column", fmt.Sprint(c.StageID)),
		VacancyID:   c.Job.VacancyKey,
		Company:     webhookCompanyJSON{ID: c.OrgID, Name: c.Org.Name},
	}
	if c.Resume != nil {
		out.CV = map[string]any{"name": c.Resume.FileName, "type": c.Resume.ContentType, "size": c.Resume.Size}
	}
	switch name {
	case intake.EventNewApplicant:
		// new_applicant's column is the clear id; the others' an object.
		out.Column = c.StageID
		out.Message = "Un nouveau candidat a postulé sur votre offre <b>" + html.EscapeString(c.Job.Title) + "</b>"
	default:
		out.Column = column
		if name == intake.EventDragApplicant {
			if from, ok := c.Job.StageByID(d.FromStageID); ok {
				fc := webhookColumn(c.Org, c.Job, from)
				out.FromColumn = &fc
			}
		}
	}
	return out
}

// webhookVacancyDataJSON is the data of the vacancy events, new_vacancy's
// fields (spec §11). An API key, not a user, makes API changes: user is
// empty and user_id null, as new_applicant's user.
type webhookVacancyDataJSON struct {
	User      struct{}           `json:"user"`
	Vacancy   vacancyJSON        `json:"vacancy"`
	Message   string             `json:"message,omitempty"`
	UserID    *string            `json:"user_id"`
	VacancyID string             `json:"vacancy_id"`
	Company   webhookCompanyJSON `json:"company"`
}

func vacancyEventData(name intake.EventName, d *intake.VacancyData) webhookVacancyDataJSON {
	out := webhookVacancyDataJSON{
		Vacancy:   vacancy(d.Org, d.Job),
		VacancyID: d.Job.VacancyKey,
		Company:   webhookCompanyJSON{ID: d.Org.ID, Name: d.Org.Name},
	}
	if name == intake.EventNewVacancy {
		// The vendor names the user who added it; here an API key did.
		out.Message = "Une nouvelle offre a été ajoutée : <b>" + html.EscapeString(d.Job.Title) + "</b>"
	}
	return out
}
