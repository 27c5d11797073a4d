package flatchr

import "net/http"

// Catch-all patterns answering, in the dialect's format, every request under
// the dialect's paths that no route serves.
const (
	vacancyPaths = "/vacancy/"
	companyPaths = "/company/"
	customPath   = "/vacancy/candidate/custom"
)

// routes is the route table, all in one place.
func (h *handler) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /vacancy/candidate/json", h.createCandidate(modeJSON))
	mux.HandleFunc("POST "+customPath, h.createCandidate(modeCustom))
	mux.HandleFunc("POST /vacancy/candidate/test", h.createCandidate(modeTest))
	// ServeMux wildcards span whole segments, so {slug}.json is matched as
	// one segment whose suffix getCompany checks.
	mux.HandleFunc("GET /company/{file}", h.getCompany)
	mux.HandleFunc(vacancyPaths, h.notRouted)
	mux.HandleFunc(companyPaths, h.notRouted)
	return mux
}
