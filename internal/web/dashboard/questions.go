package dashboard

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"intake"
)

// questionsView is a job's screening questions, each with the forms that
// edit, move and remove it, and the form adding one.
type questionsView struct {
	layout
	Nav       jobNav
	CanEdit   bool
	Notice    string
	Alert     string
	Questions []questionRow
	New       questionForm
}

// questionRow is one question with its forms.
type questionRow struct {
	Number    int
	Form      questionForm
	Type      string
	Required  bool
	Options   string
	MoveURL   string
	RemoveURL string
	// Up and Down are the positions (0-based) the arrows move it to.
	Up, Down    int
	First, Last bool
}

// questionForm is the add or edit form of a question, with the values
// shown and the errors of a refused post.
type questionForm struct {
	// ID prefixes the controls' ids: the question's id, or "new".
	ID       string
	Action   string
	Text     string
	Types    []option
	Required bool
	Options  string
	Errors   map[string]string
}

func newQuestionForm(id, action string, q intake.Question) questionForm {
	qf := questionForm{ID: id, Action: action, Text: q.Text, Required: q.Required, Options: strings.Join(q.Options, "; ")}
	for _, t := range intake.QuestionTypes {
		qf.Types = append(qf.Types, option{Value: t, Label: codeLabel(t), Selected: t == q.Type})
	}
	return qf
}

// questionProblem is a refused post to show on the questions page.
type questionProblem struct {
	id   string // the question whose edit failed; "" for the add form
	form url.Values
	err  error
}

func (h *handler) showQuestions(w http.ResponseWriter, r *http.Request, s *session) {
	j, err := h.jobOf(r, s)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	h.renderQuestions(w, r, s, j, http.StatusOK, nil)
}

func (h *handler) renderQuestions(w http.ResponseWriter, r *http.Request, s *session, j *intake.Job, status int, pb *questionProblem) {
	o := s.p.Org.Reference
	v := questionsView{
		layout:  h.layout("Questions · "+j.Title, s),
		Nav:     h.jobNav(s, j, "questions"),
		CanEdit: canEditJobs(s),
		Notice:  noticeOf(r),
		New:     newQuestionForm("new", questionsPath(o, j.Reference), intake.Question{Type: "text"}),
	}
	posted := func(qf *questionForm) {
		in := questionInput(pb.form)
		qf.Text, qf.Required, qf.Options = in.Text, in.Required, in.Options
		for i := range qf.Types {
			qf.Types[i].Selected = qf.Types[i].Value == in.Type
		}
		qf.Errors = intake.ErrorFields(pb.err)
	}
	for i, q := range j.Questions {
		row := questionRow{
			Number:    i + 1,
			Form:      newQuestionForm(q.ID, questionPath(o, j.Reference, q.ID), q),
			Type:      codeLabel(q.Type),
			Required:  q.Required,
			Options:   strings.Join(q.Options, "; "),
			MoveURL:   questionPath(o, j.Reference, q.ID) + "/move",
			RemoveURL: questionPath(o, j.Reference, q.ID) + "/remove",
			Up:        i - 1, Down: i + 1,
			First: i == 0, Last: i == len(j.Questions)-1,
		}
		if pb != nil && pb.id == q.ID && pb.form != nil {
			posted(&row.Form)
		}
		v.Questions = append(v.Questions, row)
	}
	switch {
	case pb == nil:
	case pb.id == "" && pb.form != nil:
		posted(&v.New)
	case pb.form == nil || intake.ErrorFields(pb.err) == nil:
		v.Alert = intake.ErrorMessage(pb.err)
	}
	render(h, w, r, status, h.pages.questions, v)
}

// questionInput reads a question form.
func questionInput(form url.Values) *intake.QuestionInput {
	return &intake.QuestionInput{
		Text:     form.Get("text"),
		Type:     form.Get("type"),
		Required: form.Get("required") == "on",
		Options:  form.Get("options"),
	}
}

// questionChange runs a change to the questions of the job the URL names,
// as stageChange does for stages. pbForm says whether the posted form is
// shown again when refused (edits) or only the message (moves).
func (h *handler) questionChange(w http.ResponseWriter, r *http.Request, s *session, notice string, pbForm bool,
	change func(form url.Values, ref, id string) (*intake.Job, error)) {
	form, ok := h.readJobForm(w, r, s, maxFormBytes)
	if !ok {
		return
	}
	ref, id := r.PathValue("job"), r.PathValue("question")
	_, err := change(form, ref, id)
	if intake.ErrorCodeOf(err) == intake.EInvalid {
		j, jerr := h.jobOf(r, s)
		if jerr != nil {
			h.writeError(w, r, s, jerr)
			return
		}
		pb := &questionProblem{id: id, err: err}
		if pbForm {
			pb.form = form
		}
		h.renderQuestions(w, r, s, j, http.StatusUnprocessableEntity, pb)
		return
	}
	h.afterJobChange(w, r, s, err, questionsPath(s.p.Org.Reference, ref), notice)
}

func (h *handler) addJobQuestion(w http.ResponseWriter, r *http.Request, s *session) {
	h.questionChange(w, r, s, "question-added", true, func(form url.Values, ref, _ string) (*intake.Job, error) {
		return h.svc.AddQuestion(r.Context(), s.p, ref, questionInput(form))
	})
}

func (h *handler) updateJobQuestion(w http.ResponseWriter, r *http.Request, s *session) {
	h.questionChange(w, r, s, "question-saved", true, func(form url.Values, ref, id string) (*intake.Job, error) {
		return h.svc.UpdateQuestion(r.Context(), s.p, ref, id, questionInput(form))
	})
}

func (h *handler) moveJobQuestion(w http.ResponseWriter, r *http.Request, s *session) {
	h.questionChange(w, r, s, "question-moved", false, func(form url.Values, ref, id string) (*intake.Job, error) {
		to, err := strconv.Atoi(form.Get("to"))
		if err != nil {
			return nil, intake.Errorf(intake.EInvalid, "Say where to move the question.")
		}
		return h.svc.MoveQuestion(r.Context(), s.p, ref, id, to)
	})
}

func (h *handler) removeJobQuestion(w http.ResponseWriter, r *http.Request, s *session) {
	h.questionChange(w, r, s, "question-removed", false, func(_ url.Values, ref, id string) (*intake.Job, error) {
		return h.svc.RemoveQuestion(r.Context(), s.p, ref, id)
	})
}
