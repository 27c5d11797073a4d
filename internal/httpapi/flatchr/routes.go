package flatchr

import "net/http"

// Catch-all patterns answering, in the dialect's format, every request under
// the dialect's paths that no route serves.
const (
	vacancyPaths = "/vacancy/"
	companyPaths = "/company/"
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
	mux.HandleFunc("GET /company/{companyID}/applicant/{applicantID}/comments", h.listComments)
	mux.HandleFunc("POST /company/{companyID}/applicant/{applicantID}/comment", h.createComment)
	mux.HandleFunc("DELETE /company/{companyID}/applicant/{applicantID}/comment/{commentID}", h.deleteComment)
	mux.HandleFunc("GET /company/{companyID}/applicant/{applicantID}/messages", h.listMessages)
	mux.HandleFunc("POST /company/{companyID}/applicant/{applicantID}/message", h.createMessage)
	mux.HandleFunc("GET /company/{companyID}/tags", h.listTags)
	mux.HandleFunc("POST /company/{companyID}/applicant/{applicantID}/trait", h.createTrait)
	mux.HandleFunc("GET /company/{companyID}/applicant/{applicantID}/traits", h.listTraits)
	mux.HandleFunc(vacancyPaths, h.notRouted)
	mux.HandleFunc(companyPaths, h.notRouted)
	return mux
}
