package flatchr

import (
	"encoding/json"
	"fmt"
	"html"
	"strings"

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

// webhookUserJSON is who made the change (spec §3 user, the fields an
// event keeps); {} when an API key made it.
type webhookUserJSON struct {
	ID        int64  `json:"id,omitempty"`
	Email     string `json:"email,omitempty"`
	Firstname string `json:"firstname,omitempty"`
	Lastname  string `json:"lastname,omitempty"`
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
	User        *webhookUserJSON     `json:"user"`
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
		d, err := new(applicantWire).decode(e.Payload)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", e.ID, err)
		}
		if !complete(d.Candidate) {
			return nil, fmt.Errorf("event %d: incomplete applicant data", e.ID)
		}
		data = applicantEventData(e.Name, d)
	case intake.EventNewVacancy, intake.EventUpdateVacancy, intake.EventArchiveVacancy:
		d, err := new(vacancyWire).decode(e.Payload)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", e.ID, err)
		}
		if d.Job == nil || d.Org == nil {
			return nil, fmt.Errorf("event %d: incomplete vacancy data", e.ID)
		}
		data = vacancyEventData(e.Name, d)
	case intake.EventNewMessage:
		d, err := new(messageWire).decode(e.Payload)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", e.ID, err)
		}
		if !complete(d.Candidate) || d.Message == nil {
			return nil, fmt.Errorf("event %d: incomplete message data", e.ID)
		}
		data = messageEventData(d)
	case intake.EventNewComment:
		d, err := new(commentWire).decode(e.Payload)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", e.ID, err)
		}
		if !complete(d.Candidate) || d.Comment == nil {
			return nil, fmt.Errorf("event %d: incomplete comment data", e.ID)
		}
		data = commentEventData(d)
	default:
		// Events recorded by other write paths carry their own data, sent
		// as recorded.
		data = e.Payload
	}
	return json.Marshal(webhookJSON{Data: data, Event: string(e.Name), CompanyID: e.OrgID})
}

// complete reports whether an event's application snapshot has what the
// renderers read.
func complete(c *intake.Candidate) bool {
	return c != nil && c.Application != nil && c.Job != nil && c.Org != nil
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
		User:        &webhookUserJSON{},
	}
	if a := d.Actor; a != nil {
		out.User = &webhookUserJSON{ID: a.ID, Email: a.Email, Firstname: a.Firstname, Lastname: a.Lastname}
		id := intake.DeriveEncodedID("user", fmt.Sprint(a.ID))
		out.UserID = &id
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

// webhookActivityJSON is what new_message and new_comment carry about the
// application and the writer: drag_applicant's blocks (spec §11), with
// column an object and user_id null when an API key wrote.
type webhookActivityJSON struct {
	User        *webhookUserJSON     `json:"user"`
	Applicant   webhookApplicantJSON `json:"applicant"`
	Candidate   webhookCandidateJSON `json:"candidate"`
	Vacancy     vacancyJSON          `json:"vacancy"`
	Column      webhookColumnJSON    `json:"column"`
	UserID      *string              `json:"user_id"`
	ApplicantID int64                `json:"applicant_id"`
	CandidateID int64                `json:"candidate_id"`
	ColumnID    string               `json:"column_id"`
	VacancyID   string               `json:"vacancy_id"`
	Company     webhookCompanyJSON   `json:"company"`
}

func activityEventData(name intake.EventName, c *intake.Candidate, actor *intake.EventUser) webhookActivityJSON {
	a := applicantEventData(name, &intake.ApplicantData{Candidate: c, Actor: actor})
	return webhookActivityJSON{
		User: a.User, Applicant: a.Applicant, Candidate: a.Candidate, Vacancy: a.Vacancy,
		Column: a.Applicant.Column, UserID: a.UserID, ApplicantID: a.ApplicantID, CandidateID: a.CandidateID,
		ColumnID: a.ColumnID, VacancyID: a.VacancyID, Company: a.Company,
	}
}

// webhookMessageDataJSON is the data of new_message (spec §11): company_id
// is the encoded id there, text the message as HTML. subject and
// message_id are ours: the vendor's example has neither.
type webhookMessageDataJSON struct {
	CompanyID string `json:"company_id"`
	webhookActivityJSON
	Text      string `json:"text"`
	Subject   string `json:"subject"`
	MessageID int64  `json:"message_id"`
}

func messageEventData(d *intake.MessageData) webhookMessageDataJSON {
	m := d.Message
	text := m.Body
	if !m.HTML {
		text = strings.ReplaceAll(html.EscapeString(m.Body), "\n", "<br>\n")
	}
	return webhookMessageDataJSON{
		CompanyID:           d.Candidate.Org.CompanyKey,
		webhookActivityJSON: activityEventData(intake.EventNewMessage, d.Candidate, d.Actor),
		Text:                text, Subject: m.Subject, MessageID: m.ID,
	}
}

// webhookCommentDataJSON is the data of new_comment, which Flatchr
// announces without a shape: new_message's blocks and the comment.
type webhookCommentDataJSON struct {
	webhookActivityJSON
	Comment webhookCommentJSON `json:"comment"`
}

// webhookCommentJSON is the comment as the Flatchr API lists it (spec §8):
// text is the HTML rendering, reply_to null when it answers none.
type webhookCommentJSON struct {
	ID        int64       `json:"id"`
	Text      string      `json:"text"`
	Private   bool        `json:"private"`
	ReplyTo   *int64      `json:"reply_to"`
	CreatedAt string      `json:"created_at"`
	Author    *authorJSON `json:"author"`
}

func commentEventData(d *intake.CommentData) webhookCommentDataJSON {
	c := d.Comment
	out := webhookCommentDataJSON{
		webhookActivityJSON: activityEventData(intake.EventNewComment, d.Candidate, d.Actor),
		Comment: webhookCommentJSON{
			ID: c.ID, Text: c.HTML, Private: c.Private, CreatedAt: timestamp(c.CreatedAt),
			Author: author(c.Author, c.AuthorKeyID),
		},
	}
	if c.ReplyTo != 0 {
		out.Comment.ReplyTo = &c.ReplyTo
	}
	return out
}
