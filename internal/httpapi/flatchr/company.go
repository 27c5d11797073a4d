package flatchr

import (
	"net/http"
	"strings"

	"intake"
)

// feedJSON is the public vacancy feed (spec flatchr §4).
type feedJSON struct {
	Items []diffusionJSON `json:"items"`
}

// getCompany handles GET /company/{slug}.json: the published diffusions of
// a company's active vacancies. It is public: any token is ignored (spec
// flatchr §12 #17).
func (h *handler) getCompany(w http.ResponseWriter, r *http.Request) {
	slug, ok := strings.CutSuffix(r.PathValue("file"), ".json")
	if !ok || slug == "" {
		h.writeError(w, r, intake.Errorf(intake.ENotFound, "Not Found"))
		return
	}
	org, jobs, err := h.svc.PublicCompany(r.Context(), slug)
	if err != nil {
		if intake.ErrorCodeOf(err) == intake.ENotFound {
			err = intake.Errorf(intake.ENotFound, "company not found")
		}
		h.writeError(w, r, err)
		return
	}
	feed := feedJSON{Items: make([]diffusionJSON, len(jobs))}
	for i, job := range jobs {
		feed.Items[i] = diffusion(org, job)
	}
	h.writeJSON(w, r, http.StatusOK, feed)
}
