package flatchr

import (
	"net/http"

	"intake"
	"intake/internal/httpapi/plumbing"
)

// Catch-all patterns answering, in the dialect's format, every request under
// the dialect's paths that no route serves.
const (
	vacancyPaths = "/vacancy/"
	companyPaths = "/company/"
	userPaths    = "/user/"
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
	mux.HandleFunc("POST /user/login", h.login)
	mux.HandleFunc("POST /company/{companyID}/search/applicants", h.searchApplicants)
	mux.HandleFunc("POST /company/{companyID}/search/candidate", h.searchCandidate)
	mux.HandleFunc("GET /company/{companyID}/applicant/{applicantID}", h.getApplicant)
	mux.HandleFunc("GET /company/{companyID}/vacancy/{vacancyID}/applicant/{applicantID}", h.getApplicant)
	mux.HandleFunc("PUT /company/{companyID}/vacancy/{vacancyID}/applicant/{applicantID}", h.moveApplicant)
	mux.HandleFunc("DELETE /company/{companyID}/vacancy/{vacancyID}/applicant/{applicantID}", h.archiveApplicant)
	mux.HandleFunc("GET /company/{companyID}/members", h.getMembers)
	mux.HandleFunc("GET /company/{companyID}/vacancies", h.listVacancies)
	mux.HandleFunc("GET /company/{companyID}/vacancy/{vacancyID}", h.getVacancy)
	mux.HandleFunc("GET /company/{companyID}/columns", h.listColumns)
	mux.HandleFunc("GET /activities", h.getReferential(func(r *referentials) []refEntry { return r.activities }))
	mux.HandleFunc("GET /channels", h.getReferential(func(r *referentials) []refEntry { return r.channels }))
	mux.HandleFunc("GET /channels/{channelID}/metiers", h.getMetiers)
	mux.HandleFunc("GET /contracts", h.getReferential(func(r *referentials) []refEntry { return r.contracts }))
	mux.HandleFunc("GET /educationLevels", h.getReferential(func(r *referentials) []refEntry { return r.educationLevels }))
	plumbing.HandleNotRouted(mux, []string{vacancyPaths, companyPaths, userPaths}, func(*http.Request) error {
		return intake.Errorf(intake.ENotFound, "Not Found")
	}, h.writeError)
	return mux
}
