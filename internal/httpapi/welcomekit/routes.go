package welcomekit

import "net/http"

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
	mux.HandleFunc("GET /api/v1/external/moves", h.listMoves)
	mux.HandleFunc("GET /api/v1/external/documents", h.listDocuments)
	mux.HandleFunc("POST /api/v1/external/documents", h.createDocuments)
	mux.HandleFunc("POST /api/v1/external/comments", h.createComment)
	mux.HandleFunc("GET /api/v1/external/emails", h.listEmails)
	mux.HandleFunc("POST /api/v1/external/emails", h.createEmail)
	mux.HandleFunc(catchAll, h.notRouted)
	return mux
}
