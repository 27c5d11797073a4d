package careers

import (
	"net/http"

	"intake"
	"intake/internal/web/careerform"
)

// messageView is the thank-you page or an error page.
type messageView struct {
	pageMeta
	Heading string
	Message string
	Job     *jobView
}

// Thanks answers an accepted application (careerform.Pages).
func (h *Handler) Thanks(w http.ResponseWriter, r *http.Request, org *intake.Org, job *intake.Job) {
	b := brand(org)
	t := texts[pageLanguage(r, b.Language)]
	jv := jobSummary(org, job)
	localize(&jv, t)
	v := messageView{pageMeta: h.meta(r, b, t, t.ThanksTitle+" · "+org.Name, ""), Heading: t.ThanksTitle, Message: t.Thanks, Job: &jv}
	v.Canonical = ""
	h.render(w, r, http.StatusOK, "message.html", v)
}

// Failed answers a refused post (careerform.Pages): the job page with its
// errors and the values typed, or an error page when the post could not
// be tied to a job. The status is the one the JSON error would have.
func (h *Handler) Failed(w http.ResponseWriter, r *http.Request, f *careerform.Failure) {
	if f.Org != nil && f.Job != nil {
		p := h.jobPage(r, f.Org, f.Job, f)
		p.Title = texts[p.T.Lang].ErrorTitle + " · " + p.Title
		h.render(w, r, f.Status, "job.html", p)
		return
	}
	t := texts[pageLanguage(r, "")]
	v := messageView{pageMeta: pageMeta{T: t, Title: t.ErrorTitle, OGType: "website"}, Heading: t.ErrorTitle, Message: failureMessage(t, f)}
	v.Brand.Accent, v.Brand.OnAccent = theme("")
	h.render(w, r, f.Status, "message.html", v)
}

// writeError answers a failed page request with an error page; org brands
// it when known.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, org *intake.Org, err error) {
	status := http.StatusInternalServerError
	switch intake.ErrorCodeOf(err) {
	case intake.ENotFound:
		status = http.StatusNotFound
	case intake.EUnavailable:
		status = http.StatusServiceUnavailable
	}
	if status >= 500 {
		h.log.ErrorContext(r.Context(), "careers: error", "request_id", intake.RequestID(r.Context()), "path", r.URL.Path, "err", err)
	}
	var b brandView
	if org != nil {
		b = brand(org)
	} else {
		b.Accent, b.OnAccent = theme("")
	}
	t := texts[pageLanguage(r, b.Language)]
	msg := t.Internal
	if status == http.StatusNotFound {
		msg = t.NotFound
	}
	v := messageView{pageMeta: pageMeta{T: t, Brand: b, Title: http.StatusText(status), OGType: "website"}, Heading: http.StatusText(status), Message: msg}
	if org != nil {
		v.Home = "/careers/" + org.Slug + "/"
	}
	h.render(w, r, status, "message.html", v)
}
