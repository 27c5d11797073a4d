package welcomekit

import (
	"net/http"

	"intake"
	"intake/internal/httpapi/plumbing"
)

// catchAll is the pattern answering, in the dialect's format, every request
// under the API prefix that no route serves.
const catchAll = "/api/v1/external/"

// routes is the route table, all in one place.
func (h *handler) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/external/candidates", h.createCandidate)
	mux.HandleFunc("GET /api/v1/external/candidates", h.listCandidates)
	mux.HandleFunc("GET /api/v1/external/candidates/{reference}", h.getCandidate)
	mux.HandleFunc("PUT /api/v1/external/candidates/{reference}", h.updateCandidate)
	mux.HandleFunc("GET "+h.avatarPath, h.getDefaultAvatar)
	plumbing.HandleNotRouted(mux, []string{catchAll}, func(r *http.Request) error {
		return intake.Errorf(intake.ENotFound, "No route matches %s %s", r.Method, r.URL.Path)
	}, h.writeError)
	return mux
}
