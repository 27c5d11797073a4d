package flatchr

import (
	"net/http"

	"intake"
)

// messageJSON is a message of an applicant (spec flatchr §10). The docs
// give no schema beyond the mail object, so the keys are ours except where
// the docs name them (fields author, replied, mail, attachments,
// candidate); status, error and sent_at say what became of the sending.
type messageJSON struct {
	ID          int64          `json:"id"`
	ApplicantID string         `json:"applicant_id"`
	Subject     string         `json:"subject"`
	Text        string         `json:"text"`
	CreatedBy   int64          `json:"created_by"`
	CreatedAt   string         `json:"created_at"`
	Status      string         `json:"status"`
	Error       *string        `json:"error"`
	SentAt      *string        `json:"sent_at"`
	Author      *authorJSON    `json:"author,omitempty"`
	Replied     *bool          `json:"replied,omitempty"`
	Mail        *mailJSON      `json:"mail,omitempty"`
	Attachments *[]struct{}    `json:"attachments,omitempty"`
	Candidate   *candidateMini `json:"candidate,omitempty"`
}

// mailJSON is the mail object (spec flatchr §3).
type mailJSON struct {
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
}

type candidateMini struct {
	Firstname string `json:"firstname"`
	Lastname  string `json:"lastname"`
	Email     string `json:"email"`
}

func message(c *intake.Candidate, m *intake.Message, fields map[string]bool) messageJSON {
	out := messageJSON{
		ID: m.ID, ApplicantID: c.ApplicantKey, Subject: m.Subject, Text: m.Body, CreatedBy: m.AuthorKeyID,
		CreatedAt: timestamp(m.CreatedAt), Status: string(m.Sending.Status),
	}
	if m.Sending.Error != "" {
		out.Error = &m.Sending.Error
	}
	if m.Sending.SentAt != nil {
		s := timestamp(*m.Sending.SentAt)
		out.SentAt = &s
	}
	if fields["author"] {
		out.Author = author(m.Author, m.AuthorKeyID)
	}
	if fields["replied"] {
		out.Replied = new(bool)
	}
	if fields["mail"] {
		out.Mail = &mailJSON{Subject: m.Subject}
		if m.HTML {
			out.Mail.HTML = m.Body
		} else {
			out.Mail.Text = m.Body
		}
	}
	if fields["attachments"] {
		out.Attachments = &[]struct{}{}
	}
	if fields["candidate"] {
		out.Candidate = &candidateMini{Firstname: c.Person.Firstname, Lastname: c.Person.Lastname, Email: c.Person.Email}
	}
	return out
}

// listMessages handles GET …/applicant/{applicantID}/messages?fields=….
func (h *handler) listMessages(w http.ResponseWriter, r *http.Request) {
	p, err := h.company(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	c, list, _, err := h.svc.Messages(r.Context(), p, applicantRef(r), intake.Page{Limit: intake.MaxPerPage})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	fields := fieldsParam(r)
	out := make([]messageJSON, len(list))
	for i, m := range list {
		out[i] = message(c, m, fields)
	}
	h.writeJSON(w, r, http.StatusOK, out)
}

// createMessage handles POST …/applicant/{applicantID}/message: subject and
// html (required), mail (send it by email; default true), sms (refused: no
// SMS gateway).
func (h *handler) createMessage(w http.ResponseWriter, r *http.Request) {
	p, err := h.company(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := readValues(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	nm, err := decodeMessage(v)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	c, m, err := h.svc.SendMessage(r.Context(), p, applicantRef(r), nm)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, message(c, m, map[string]bool{"author": true, "mail": true}))
}

// decodeMessage reads a message body. Errors: EInvalid.
func decodeMessage(v formValues) (*intake.NewMessage, error) {
	bad := map[string]string{}
	nm := &intake.NewMessage{Subject: v["subject"], Body: v["html"], HTML: true, Source: intake.SourceFlatchr}
	nm.Send = v.flag(bad, "mail", true)
	if v.flag(bad, "sms", false) {
		bad["sms"] = "is not supported: intake sends no SMS"
	}
	if len(bad) > 0 {
		return nil, intake.FieldErrors(bad)
	}
	return nm, nil
}
