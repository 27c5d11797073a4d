package flatchr

import "net/http"

// Catch-all patterns answering, in the dialect's format, every request under
// the dialect's paths that no route serves.
const (
	vacancyPaths = "/vacancy/"
	companyPaths = "/company/"
	userPaths    = "/user/"
)

// routes is the route table, all in one place.
func (h *handler) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /vacancy/candidate/json", h.createCandidate(modeJSON))
	mux.HandleFunc("POST /vacancy/candidate/custom", h.createCandidate(modeCustom))
	mux.HandleFunc("POST /vacancy/candidate/test", h.createCandidate(modeTest))
	// ServeMux wildcards span whole segments, so {slug}.json is matched as
	// one segment whose suffix getCompany checks.
	mux.HandleFunc("GET /company/{file}", h.getCompany)
	mux.HandleFunc("POST /user/login", h.login)
	mux.HandleFunc("POST /company/{companyID}/search/applicants", h.searchApplicants)
	mux.HandleFunc("POST /company/{companyID}/search/candidate", h.searchCandidate)
	mux.HandleFunc("GET /company/{companyID}/applicant/{applicantID}", h.getApplicant)
	mux.HandleFunc("GET /company/{companyID}/vacancy/{vacancyID}/applicant/{applicantID}", h.getApplicant)
	mux.HandleFunc("PUT /company/{companyID}/vacancy/{vacancyID}/applicant/{applicantID}", h.moveApplicant)
	mux.HandleFunc("DELETE /company/{companyID}/vacancy/{vacancyID}/applicant/{applicantID}", h.archiveApplicant)
	mux.HandleFunc("GET /company/{companyID}/members", h.getMembers)
	mux.HandleFunc(vacancyPaths, h.notRouted)
	mux.HandleFunc(companyPaths, h.notRouted)
	mux.HandleFunc(userPaths, h.notRouted)
	return mux
}
