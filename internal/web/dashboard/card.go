package dashboard

import (
	"cmp"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"intake"
	"intake/internal/httpapi/download"
)

// cardView is a candidate's card.
type cardView struct {
	layout
	JobTitle string
	BoardURL string
	// Notice confirms the change the visitor just made.
	Notice     string
	Candidate  candidateView
	StageName  string
	Stages     []option
	MoveURL    string
	ArchiveURL string
	CommentURL string
	MessageURL string
	TagsURL    string
	// WriteDenied explains why there are no forms, for read-only keys.
	WriteDenied string
	// Timeline is everything that happened to the candidate, newest first.
	Timeline []timelineEntry
	// Preview shows the résumé inside the page, nil when it cannot be.
	Preview *previewView
	// Form refills the form a visitor posted when it was refused.
	Form cardForm
}

// previewView is a document shown inline: a PDF in a frame, an image as
// an image.
type previewView struct {
	URL         string
	DownloadURL string
	FileName    string
	Image       bool
}

// cardForm is what a visitor typed in a card's form that the Service
// refused (Error says why), so that nothing typed is lost.
type cardForm struct {
	// Name names the form: "comment", "message" or "tags".
	Name    string
	Error   string
	Comment string
	Private bool
	Subject string
	Body    string
	Tag     string
}

// candidateView is everything the card shows of a candidate.
type candidateView struct {
	Reference    string
	ApplicantKey string
	Name         string
	Email        string
	Phone        string
	Subtitle     string
	Civility     string
	Media        []link
	Tags         []string
	Source       string
	Origin       string
	Referrer     link
	OffererID    int64
	CoverLetter  string
	Comment      string
	Answers      []answerView
	Newsletter   *consentView
	Documents    []documentView
	ResumeLink   link
	Archived     bool
	Created      string
	Updated      string
}

// answerView is one screening answer.
type answerView struct {
	Question string
	Value    string
}

// consentView is the newsletter consent and when it was given or refused.
type consentView struct {
	Given bool
	At    string
}

// documentView is a stored file; URL is empty when downloads are not
// configured.
type documentView struct {
	Kind        string
	FileName    string
	ContentType string
	Size        string
	URL         string
}

// notices are the confirmations a card may show after a change; the query
// string only picks one, so nobody can make the page say anything else.
var notices = map[string]string{
	"stage":    "Stage changed.",
	"comment":  "Comment added.",
	"message":  "Message saved.",
	"sent":     "Message sent.",
	"tags":     "Tags updated.",
	"archived": "Candidate archived.",
	"restored": "Candidate restored from the archive.",
}

const writeDeniedText = "You can only read candidates: moving, archiving, commenting, messaging or tagging them needs the rights of a recruiter."

// candidate loads the candidate a card URL names, which must belong to the
// job the URL names too. Errors: those of JobByReference and Application.
func (h *handler) candidate(r *http.Request, s *session) (*intake.Candidate, error) {
	job, err := h.svc.JobByReference(r.Context(), s.p, s.p.Org.Reference, r.PathValue("job"))
	if err != nil {
		return nil, err
	}
	c, err := h.svc.Application(r.Context(), s.p, r.PathValue("candidate"))
	if err != nil {
		return nil, err
	}
	if c.Job.ID != job.ID {
		return nil, errPageNotFound
	}
	return c, nil
}

// showCard shows one candidate with the forms that act on them.
func (h *handler) showCard(w http.ResponseWriter, r *http.Request, s *session) {
	if s.p.Allow(intake.ActionRead) != nil {
		h.writeError(w, r, s, intake.Errorf(intake.EForbidden, readDeniedText))
		return
	}
	c, err := h.candidate(r, s)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	h.renderCard(w, r, s, c, http.StatusOK, cardForm{})
}

// renderCard shows c's card with status; form refills a refused form.
func (h *handler) renderCard(w http.ResponseWriter, r *http.Request, s *session, c *intake.Candidate, status int, form cardForm) {
	card := cardPath(c.Org.Reference, c.Job.Reference, c.Reference)
	v := cardView{
		layout:     h.layout(displayName(c), s),
		JobTitle:   c.Job.Title,
		BoardURL:   boardPath(c.Org.Reference, c.Job.Reference),
		Candidate:  h.candidateView(c),
		MoveURL:    card + "/stage",
		ArchiveURL: card + "/archive",
		CommentURL: card + "/comments",
		MessageURL: card + "/messages",
		TagsURL:    card + "/tags",
		Preview:    h.preview(c),
		Form:       form,
	}
	if form.Error == "" {
		v.Notice = notices[r.URL.Query().Get("done")]
	}
	var err error
	if v.Timeline, err = h.timeline(r, s, c, &v.Candidate); err != nil {
		h.writeError(w, r, s, err)
		return
	}
	if st, ok := c.Stage(); ok {
		v.StageName = st.Name
	}
	for _, st := range c.Job.Stages {
		v.Stages = append(v.Stages, option{Value: strconv.FormatInt(st.ID, 10), Label: st.Name, Selected: st.ID == c.StageID})
	}
	if s.p.Allow(intake.ActionWrite) != nil {
		v.WriteDenied = writeDeniedText
	}
	render(h, w, r, status, h.pages.card, v)
}

// preview picks the document to show inside the card: the résumé, else
// the portfolio, when the browser can show its type.
func (h *handler) preview(c *intake.Candidate) *previewView {
	if h.files == nil {
		return nil
	}
	for _, d := range []*intake.Document{c.Resume, c.Portfolio} {
		if d == nil || !download.Previewable(d.ContentType) {
			continue
		}
		return &previewView{
			URL:         h.files.PreviewPath(d),
			DownloadURL: h.files.Path(d),
			FileName:    d.FileName,
			Image:       strings.HasPrefix(d.ContentType, "image/"),
		}
	}
	return nil
}

func (h *handler) candidateView(c *intake.Candidate) candidateView {
	v := candidateView{
		Reference:    c.Reference,
		ApplicantKey: c.ApplicantKey,
		Name:         displayName(c),
		Email:        c.Person.Email,
		Phone:        c.Person.Phone,
		Subtitle:     c.Person.Subtitle,
		Civility:     c.Person.Civility,
		Tags:         c.Tags,
		Source:       sourceLabel(c.Source),
		Origin:       c.Origin,
		Referrer:     safeLink("Referrer", c.Referrer),
		OffererID:    c.OffererID,
		CoverLetter:  c.CoverLetter,
		Comment:      c.Comment,
		ResumeLink:   safeLink("Resume", c.ResumeLink),
		Archived:     c.Archived,
		Created:      h.dateTime(c.CreatedAt),
		Updated:      h.dateTime(c.UpdatedAt),
	}
	for _, network := range slices.Sorted(maps.Keys(c.Person.Media)) {
		v.Media = append(v.Media, safeLink(network, c.Person.Media[network]))
	}
	for _, a := range c.Answers {
		v.Answers = append(v.Answers, answerView{Question: questionText(c.Job, a), Value: a.Value})
	}
	if n := c.Newsletter; n != nil {
		v.Newsletter = &consentView{Given: n.Given, At: h.dateTime(n.At)}
	}
	for _, d := range []*intake.Document{c.Resume, c.Portfolio, c.Avatar} {
		if d != nil {
			v.Documents = append(v.Documents, h.documentView(d))
		}
	}
	return v
}

// questionText shows an answer under its question's text when it matched
// one of the job's questions, else under what the applicant sent.
func questionText(job *intake.Job, a intake.Answer) string {
	if a.QuestionID != "" {
		for _, q := range job.Questions {
			if q.ID == a.QuestionID {
				return cmp.Or(q.Text, q.ID)
			}
		}
	}
	return a.Question
}
