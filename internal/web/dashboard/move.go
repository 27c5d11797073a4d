package dashboard

import (
	"net/http"
	"strconv"

	"intake"
)

// moveStage moves a candidate to the stage the form names, then sends the
// visitor back to the card (post/redirect/get, so a reload does not post
// again).
func (h *handler) moveStage(w http.ResponseWriter, r *http.Request, s *session) {
	form, ok := h.readForm(w, r, s)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(form.Get("stage"), 10, 64)
	if err != nil {
		h.writeError(w, r, s, intake.Errorf(intake.EInvalid, "Choose the stage to move the candidate to."))
		return
	}
	h.update(w, r, s, &intake.ApplicationUpdate{StageID: &id}, "stage")
}

// returnToBoard says the form came from the board (return=board), which
// is where the visitor goes back to; any other value leads to the card, so
// the form cannot redirect anywhere else.
func returnToBoard(r *http.Request) bool { return r.PostForm.Get("return") == "board" }

// setArchived archives or restores a candidate. The form says which, rather
// than toggling, so that posting it twice does not undo it.
func (h *handler) setArchived(w http.ResponseWriter, r *http.Request, s *session) {
	form, ok := h.readForm(w, r, s)
	if !ok {
		return
	}
	archived, err := strconv.ParseBool(form.Get("archived"))
	if err != nil {
		h.writeError(w, r, s, intake.Errorf(intake.EInvalid, "Say whether to archive or restore the candidate."))
		return
	}
	notice := "restored"
	if archived {
		notice = "archived"
	}
	h.update(w, r, s, &intake.ApplicationUpdate{Archived: &archived}, notice)
}

// update applies upd to the card's candidate and redirects to the card with
// a notice.
func (h *handler) update(w http.ResponseWriter, r *http.Request, s *session, upd *intake.ApplicationUpdate, notice string) {
	if s.p.Allow(intake.ActionWrite) != nil {
		h.writeError(w, r, s, intake.Errorf(intake.EForbidden, writeDeniedText))
		return
	}
	c, err := h.candidate(r, s)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	if _, err := h.svc.UpdateApplication(r.Context(), s.p, c.Reference, upd); err != nil {
		if intake.ErrorCodeOf(err) == intake.EInvalid && upd.StageID != nil {
			err = intake.Errorf(intake.EInvalid, "That stage is not one of this job's stages.")
		}
		h.writeError(w, r, s, err)
		return
	}
	if returnToBoard(r) {
		http.Redirect(w, r, boardPath(c.Org.Reference, c.Job.Reference)+"?done=moved", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, cardPath(c.Org.Reference, c.Job.Reference, c.Reference)+"?done="+notice, http.StatusSeeOther)
}
