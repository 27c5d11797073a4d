package careers

import (
	"net/http"
	"strconv"
	"strings"

	"intake"
	"intake/internal/web/careerform"
)

// jobPage is a job's page: its content and the apply form.
type jobPage struct {
	pageMeta
	Job  jobView
	Form formView
}

// formView is the apply form, empty or sent back with its errors.
type formView struct {
	Action  string
	Token   string
	Vacancy string
	// Names of the form's own fields.
	TokenName, HoneypotName, ConsentName string
	Accept                               string
	Values                               careerform.Values
	Errors                               map[string]string
	// Alert is the message above the form when a post failed.
	Alert      string
	Questions  []questionView
	PrivacyURL string
}

// questionView is a screening question as a form control.
type questionView struct {
	Index    int
	ID       string
	Text     string
	Kind     string // text | textarea | select | radio | yesno | number | date
	Options  []string
	Required bool
	Value    string
	Error    string
}

// resumeAccept lists the résumé types the form offers, by extension and
// media type (intake.AllowedType decides, from the content).
const resumeAccept = ".pdf,.doc,.docx,.odt,.rtf,.txt,application/pdf,application/msword," +
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document," +
	"application/vnd.oasis.opendocument.text,text/rtf,text/plain"

// showJob serves GET /careers/{slug}/{vacancy}/.
func (h *Handler) showJob(w http.ResponseWriter, r *http.Request) {
	org, job, err := h.svc.CareerJob(r.Context(), r.PathValue("slug"), r.PathValue("vacancy"))
	if err != nil {
		h.writeError(w, r, nil, err)
		return
	}
	h.render(w, r, http.StatusOK, "job.html", h.jobPage(r, org, job, nil))
}

// jobPage builds the page of job, with f's errors and values when a post
// failed.
func (h *Handler) jobPage(r *http.Request, org *intake.Org, job *intake.Job, f *careerform.Failure) jobPage {
	b := brand(org)
	t := texts[pageLanguage(r, b.Language)]
	jv := jobContent(org, job)
	localize(&jv, t)
	p := jobPage{pageMeta: h.meta(r, b, t, jv.Title+" · "+org.Name, jv.Path), Job: jv}
	p.OGType = "article"
	p.Description = summary(jv)
	p.JSONLD = jobPosting(h.base(r), b, jv)
	p.Form = formView{
		Action: "/vacancy/candidate/custom", Token: h.signer.Issue(org.Slug, job.ID, h.now()),
		Vacancy: job.VacancySlug, TokenName: careerform.FieldName, HoneypotName: careerform.HoneypotName,
		ConsentName: careerform.ConsentName, Accept: resumeAccept, PrivacyURL: b.PrivacyURL,
		Errors: map[string]string{},
	}
	if f != nil {
		p.Form.Values = f.Values
		p.Form.Alert = failureMessage(t, f)
		for name, msg := range f.Fields {
			p.Form.Errors[name] = fieldMessage(t, name, msg)
		}
	}
	for i, q := range job.Questions {
		qv := questionView{Index: i, ID: q.ID, Text: q.Text, Kind: questionKind(q), Options: q.Options, Required: q.Required}
		if f != nil {
			qv.Value = f.Values.Answers[q.ID]
			if msg := f.Fields["answers"]; strings.Contains(msg, strconv.Quote(q.ID)) {
				qv.Error = t.AnswerRequired
				if !strings.Contains(msg, "required") {
					qv.Error = t.FieldInvalid
				}
			}
		}
		p.Form.Questions = append(p.Form.Questions, qv)
	}
	return p
}

// questionKind picks the control for a question's type (spec flatchr §3
// question: the types are free text; these are the ones we know).
func questionKind(q intake.Question) string {
	switch strings.ToLower(q.Type) {
	case "textarea", "longtext", "paragraph":
		return "textarea"
	case "boolean", "yesno", "yes_no", "checkbox":
		if len(q.Options) == 0 {
			return "yesno"
		}
	case "number", "integer":
		return "number"
	case "date":
		return "date"
	case "radio":
		if len(q.Options) > 0 {
			return "radio"
		}
	}
	if len(q.Options) > 0 {
		return "select"
	}
	return "text"
}

// summary is a job's one-line description for search results and previews.
func summary(v jobView) string {
	parts := []string{v.Title}
	for _, s := range []string{v.Contract, v.City, v.RemoteLabel} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

// failureMessage explains a refused post above the form.
func failureMessage(t *text, f *careerform.Failure) string {
	switch f.Reason {
	case careerform.ReasonTooFast:
		return t.TooFast
	case careerform.ReasonExpired:
		return t.Expired
	case careerform.ReasonForged, careerform.ReasonMismatch:
		return t.Forged
	case careerform.ReasonHoneypot:
		return t.Spam
	}
	switch f.Status {
	case http.StatusRequestEntityTooLarge:
		return t.TooLarge
	case http.StatusTooManyRequests:
		return t.TooMany
	case http.StatusNotFound:
		return t.NotFound
	case http.StatusInternalServerError, http.StatusServiceUnavailable:
		return t.Internal
	}
	if len(f.Fields) > 0 {
		return t.ErrorsAbove
	}
	return f.Message
}

// fieldMessage words a field's error in the page's language: the common
// ones are translated, others shown as the Service wrote them.
func fieldMessage(t *text, field, msg string) string {
	switch {
	case strings.Contains(msg, "required"), strings.Contains(msg, "blank"), msg == "is empty" && field != "resume":
		return t.FieldRequired
	case field == "resume" && strings.Contains(msg, "type"):
		return t.FileType
	case field == "resume" && (strings.Contains(msg, "large") || strings.Contains(msg, "exceeds")):
		return t.TooLarge
	}
	return t.FieldInvalid + " (" + msg + ")"
}
