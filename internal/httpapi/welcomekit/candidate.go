package welcomekit

import (
	"math"
	"net/http"
	"strconv"

	"intake"
	"intake/internal/httpapi/plumbing"
)

// createCandidate handles POST /candidates (spec welcomekit §2).
func (h *handler) createCandidate(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorize(w, r, intake.ActionWrite)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, body, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	req, err := decodeCreate(in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	job, err := h.svc.JobByReference(r.Context(), p, req.OrganizationReference, req.JobReference)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	app := req.App
	app.Job = job
	if key, ok := r.Header["Idempotency-Key"]; ok {
		hash := plumbing.NewRequestHash(r)
		hash.Body(body)
		app.Idempotency = &intake.IdempotencyRequest{Key: key[0], RequestHash: hash.Hex()}
	}
	draft, err := h.svc.PrepareApplication(r.Context(), p, &app)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	defer h.svc.DiscardApplication(r.Context(), draft)
	if draft.Replay != nil {
		writeReplay(w, draft.Replay)
		return
	}
	// With an idempotency key the answer is rendered before the create, to
	// be stored with it, and sent as rendered so that the first answer and
	// any replay are the same bytes.
	var kept *intake.Response
	if app.Idempotency != nil {
		body, err := encodeJSON(h.candidate(r, draft.Candidate, view{}))
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		kept = &intake.Response{Status: http.StatusCreated, Body: body}
	}
	res, err := h.svc.CommitApplication(r.Context(), draft, kept)
	switch {
	case err != nil:
		h.writeError(w, r, err)
	case res.Replay != nil:
		writeReplay(w, res.Replay)
	case kept != nil:
		plumbing.WriteBody(w, kept.Status, plumbing.ContentTypeJSON, kept.Body)
	default:
		// Rendered after the create: the answer shows the person as
		// stored, profile fields of earlier applications merged.
		h.writeJSON(w, r, http.StatusCreated, h.candidate(r, res.Candidate, view{}))
	}
}

// writeReplay sends the stored answer of an earlier create with the same
// idempotency key.
func writeReplay(w http.ResponseWriter, rec *intake.IdempotencyRecord) {
	w.Header().Set("Idempotent-Replayed", "true")
	plumbing.WriteBody(w, rec.Status, plumbing.ContentTypeJSON, rec.Body)
}

// getCandidate handles GET /candidates/:reference (spec welcomekit §3).
func (h *handler) getCandidate(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorize(w, r, intake.ActionRead)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := decodeView(in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.svc.Application(r.Context(), p, r.PathValue("reference"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, h.candidate(r, c, v))
}

// listCandidates handles GET and HEAD /candidates (spec welcomekit §3);
// the net/http server drops the body of a HEAD answer.
func (h *handler) listCandidates(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorize(w, r, intake.ActionRead)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	req, err := decodeList(in, h.loc)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	// The list has no organization param: the key's own organization is
	// the only one it can name.
	job, err := h.svc.JobByReference(r.Context(), p, p.Org.Reference, req.JobReference)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	q := req.Query
	q.Job = job
	q.Limit = int(req.PerPage)
	q.Offset = offset(req.Page, req.PerPage)
	cands, total, err := h.svc.Applications(r.Context(), p, q)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := make([]candidateJSON, len(cands))
	for i, c := range cands {
		out[i] = h.candidate(r, c, req.View)
	}
	hd := w.Header()
	hd.Set("X-Total", strconv.Itoa(total))
	hd.Set("X-Total-Pages", strconv.FormatInt((int64(total)+req.PerPage-1)/req.PerPage, 10))
	hd.Set("X-Per-Page", strconv.FormatInt(req.PerPage, 10))
	hd.Set("X-Page", strconv.FormatInt(req.Page, 10))
	hd.Set("X-Offset", strconv.Itoa(q.Offset))
	h.writeJSON(w, r, http.StatusOK, out)
}

// offset is where a page starts, saturating for absurd page numbers so they
// read as past the end rather than overflowing.
func offset(page, perPage int64) int {
	const maxOffset = math.MaxInt32
	if page-1 > maxOffset/perPage {
		return maxOffset
	}
	return int((page - 1) * perPage)
}

// updateCandidate handles PUT /candidates/:reference (spec welcomekit §3).
func (h *handler) updateCandidate(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorize(w, r, intake.ActionWrite)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	upd, err := decodeUpdate(in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.svc.UpdateApplication(r.Context(), p, r.PathValue("reference"), upd)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, h.candidate(r, c, view{}))
}
