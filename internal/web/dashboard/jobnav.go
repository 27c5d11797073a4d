package dashboard

import (
	"net/http"
	"net/url"
	"strconv"

	"intake"
)

// maxJobFormBytes caps a posted job form: five long texts of up to
// intake.MaxLongText runes each, at up to 4 bytes a rune, URL-encoded.
const maxJobFormBytes = 4 << 20

// jobNav is the header of every page about one job: its title and status,
// and the links between its board and its editing pages.
type jobNav struct {
	Title        string
	Reference    string
	Status       string
	HomeURL      string
	BoardURL     string
	EditURL      string
	StagesURL    string
	QuestionsURL string
	// CareerURL is the job's page on the career site, set while it is
	// published.
	CareerURL string
	// Current names the page showing the header: board, edit, stages or
	// questions.
	Current string
}

func newJobPath(org string) string { return homePath(org) + "/jobs/new" }

func editJobPath(org, job string) string { return boardPath(org, job) + "/edit" }

func jobStatusPath(org, job string) string { return boardPath(org, job) + "/status" }

func stagesPath(org, job string) string { return boardPath(org, job) + "/stages" }

func stagePath(org, job string, id int64) string {
	return stagesPath(org, job) + "/" + strconv.FormatInt(id, 10)
}

func questionsPath(org, job string) string { return boardPath(org, job) + "/questions" }

func questionPath(org, job, id string) string {
	return questionsPath(org, job) + "/" + url.PathEscape(id)
}

// careerPath is a published job's page on its organization's career site.
func careerPath(o *intake.Org, j *intake.Job) string {
	return "/careers/" + url.PathEscape(o.Slug) + "/" + url.PathEscape(j.VacancySlug) + "/"
}

func (h *handler) jobNav(s *session, j *intake.Job, current string) jobNav {
	o := s.p.Org.Reference
	n := jobNav{
		Title:        j.Title,
		Reference:    j.Reference,
		Status:       string(j.Status()),
		HomeURL:      homePath(o),
		BoardURL:     boardPath(o, j.Reference),
		EditURL:      editJobPath(o, j.Reference),
		StagesURL:    stagesPath(o, j.Reference),
		QuestionsURL: questionsPath(o, j.Reference),
		Current:      current,
	}
	if j.Status() == intake.JobPublished && s.p.Org.Slug != "" {
		n.CareerURL = careerPath(s.p.Org, j)
	}
	return n
}

// canEditJobs reports whether the visitor may change jobs; the Service
// checks again on every change.
func canEditJobs(s *session) bool { return s.p.Can(intake.PermManageJobs) }

// jobOf reads the job the URL names, in the visitor's organization.
func (h *handler) jobOf(r *http.Request, s *session) (*intake.Job, error) {
	return h.svc.Job(r.Context(), s.p, r.PathValue("job"))
}

// readJobForm is readForm with room for a job's long texts, after
// checking the visitor may change jobs at all, so that a refused visitor
// gets the 403 page whatever they posted.
func (h *handler) readJobForm(w http.ResponseWriter, r *http.Request, s *session, limit int64) (url.Values, bool) {
	if err := s.p.Require(intake.PermManageJobs); err != nil {
		h.writeError(w, r, s, err)
		return nil, false
	}
	return h.readFormMax(w, r, s, limit)
}

// afterJobChange answers a change that did not go through: a page named
// by the URL that is not there is a 404, anything else the error page.
// On success it sends the visitor to to with a notice
// (post/redirect/get).
func (h *handler) afterJobChange(w http.ResponseWriter, r *http.Request, s *session, err error, to, notice string) {
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	http.Redirect(w, r, to+"?"+url.Values{"done": {notice}}.Encode(), http.StatusSeeOther)
}

// jobNotices are the texts shown after a change, by the done parameter of
// the redirect; unknown values show nothing.
var jobNotices = map[string]string{
	"created":          "Job created. It is a draft until you publish it.",
	"saved":            "Changes saved.",
	"published":        "Job published: the career site lists it.",
	"draft":            "Job unpublished: it is a draft again.",
	"archived":         "Job archived: it accepts no more applications.",
	"stage-added":      "Stage added.",
	"stage-renamed":    "Stage renamed.",
	"stage-moved":      "Stage moved.",
	"stage-removed":    "Stage removed.",
	"question-added":   "Question added.",
	"question-saved":   "Question saved.",
	"question-moved":   "Question moved.",
	"question-removed": "Question removed.",
}

func noticeOf(r *http.Request) string { return jobNotices[r.URL.Query().Get("done")] }
