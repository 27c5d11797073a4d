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
	mux.HandleFunc("GET /api/v1/external/jobs/dependencies", h.getJobDependencies)
	mux.HandleFunc("GET /api/v1/external/jobs", h.listJobs)
	mux.HandleFunc("GET /api/v1/external/jobs/all", h.listAllJobs)
	mux.HandleFunc("GET /api/v1/external/jobs/{reference}", h.getJob)
	mux.HandleFunc("POST /api/v1/external/jobs", h.createJob)
	mux.HandleFunc("PUT /api/v1/external/jobs/{reference}", h.updateJob)
	mux.HandleFunc("PUT /api/v1/external/jobs/{reference}/update_status", h.updateJobStatus)
	mux.HandleFunc("GET /api/v1/external/organizations", h.listOrganizations)
	mux.HandleFunc("GET /api/v1/external/organizations/{reference}", h.getOrganization)
	mux.HandleFunc("GET /api/v1/external/users/current", h.getCurrentUser)
	mux.HandleFunc("GET /api/v1/embed", h.getEmbed)
	plumbing.HandleNotRouted(mux, []string{catchAll}, func(r *http.Request) error {
		return intake.Errorf(intake.ENotFound, "No route matches %s %s", r.Method, r.URL.Path)
	}, h.writeError)
	return mux
}
