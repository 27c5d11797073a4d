package dashboard

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"intake"
)

// cardAction reads the form of an action on a card (a comment, a message,
// tags) and loads the card's candidate, for visitors who may act on
// candidates. On failure it has written the error page.
func (h *handler) cardAction(w http.ResponseWriter, r *http.Request, s *session) (url.Values, *intake.Candidate, bool) {
	form, ok := h.readForm(w, r, s)
	if !ok {
		return nil, nil, false
	}
	if s.p.Allow(intake.ActionWrite) != nil {
		h.writeError(w, r, s, intake.Errorf(intake.EForbidden, writeDeniedText))
		return nil, nil, false
	}
	c, err := h.candidate(r, s)
	if err != nil {
		h.writeError(w, r, s, err)
		return nil, nil, false
	}
	return form, c, true
}

// actionDone redirects to the card with a notice (post/redirect/get), or,
// when the Service refused the input, shows the card again with the form
// as typed and why; any other error is an error page.
func (h *handler) actionDone(w http.ResponseWriter, r *http.Request, s *session, c *intake.Candidate, err error, form cardForm, notice string) {
	switch {
	case err == nil:
		http.Redirect(w, r, cardPath(c.Org.Reference, c.Job.Reference, c.Reference)+"?done="+notice+"#"+form.Name, http.StatusSeeOther)
	case intake.ErrorCodeOf(err) == intake.EInvalid || intake.ErrorCodeOf(err) == intake.ETooLarge:
		form.Error = fieldText(err)
		h.renderCard(w, r, s, c, http.StatusUnprocessableEntity, form)
	default:
		h.writeError(w, r, s, err)
	}
}

// fieldLabels name the Service's input fields as the card's forms do.
var fieldLabels = map[string]string{
	"content":  "Comment",
	"text":     "Comment",
	"subject":  "Subject",
	"body":     "Message",
	"to":       "Recipient",
	"tag_list": "Tags",
}

// fieldText turns a refusal into one sentence naming the form's fields.
func fieldText(err error) string {
	fields := intake.ErrorFields(err)
	if len(fields) == 0 {
		return intake.ErrorMessage(err)
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		label := fieldLabels[k]
		if label == "" {
			label = k
		}
		parts = append(parts, label+" "+fields[k]+".")
	}
	return strings.Join(parts, " ")
}

// addComment adds a comment (Markdown) to a candidate.
func (h *handler) addComment(w http.ResponseWriter, r *http.Request, s *session) {
	form, c, ok := h.cardAction(w, r, s)
	if !ok {
		return
	}
	in := &intake.NewComment{Text: form.Get("text"), Private: form.Get("private") == "on", Source: intake.SourceDashboard}
	_, err := h.svc.AddComment(r.Context(), s.p, intake.CandidateRef{Reference: c.Reference}, in)
	h.actionDone(w, r, s, c, err, cardForm{Name: "comment", Comment: in.Text, Private: in.Private}, "comment")
}

// sendMessage stores an email to the candidate and sends it through the
// configured SMTP server; without one it is stored as not sent.
func (h *handler) sendMessage(w http.ResponseWriter, r *http.Request, s *session) {
	form, c, ok := h.cardAction(w, r, s)
	if !ok {
		return
	}
	in := &intake.NewMessage{Subject: strings.TrimSpace(form.Get("subject")), Body: form.Get("body"), Send: true, Source: intake.SourceDashboard}
	_, m, err := h.svc.SendMessage(r.Context(), s.p, intake.CandidateRef{Reference: c.Reference}, in)
	notice := "message"
	if err == nil && m.Sending.Status == intake.SendSent {
		notice = "sent"
	}
	h.actionDone(w, r, s, c, err, cardForm{Name: "message", Subject: in.Subject, Body: in.Body}, notice)
}

// editTags adds the tag the form names, or removes one. The form says
// which, so posting it twice does not undo it.
func (h *handler) editTags(w http.ResponseWriter, r *http.Request, s *session) {
	form, c, ok := h.cardAction(w, r, s)
	if !ok {
		return
	}
	upd := &intake.ApplicationUpdate{}
	add, remove := strings.TrimSpace(form.Get("add")), form.Get("remove")
	switch {
	case add != "":
		// Commas separate tags, as in the WelcomeKit tag_list.
		upd.AddTags = strings.Split(add, ",")
	case form.Has("remove"):
		upd.RemoveTags = []string{remove}
	default:
		h.actionDone(w, r, s, c, intake.FieldErrors(map[string]string{"tag_list": "needs a tag to add"}), cardForm{Name: "tags"}, "")
		return
	}
	_, err := h.svc.UpdateApplication(r.Context(), s.p, c.Reference, upd)
	h.actionDone(w, r, s, c, err, cardForm{Name: "tags", Tag: add}, "tags")
}
