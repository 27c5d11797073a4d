package dashboard

import (
	"net/http"
	"net/url"

	"intake/internal/httpapi/plumbing"
)

// Paths of the dashboard. The card path is what the WelcomeKit API returns
// as a candidate's modal_path, so it must not change.
const (
	rootPath   = "/dashboard/"
	loginPath  = "/dashboard/login"
	logoutPath = "/dashboard/logout"
	staticPath = "/dashboard/static/"
)

// routes is the route table, all in one place.
func (h *handler) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.redirectRoot)
	mux.HandleFunc("GET /dashboard/{$}", h.authed(h.redirectHome))
	mux.HandleFunc("GET /dashboard/login", h.showLogin)
	mux.HandleFunc("POST /dashboard/login", h.login)
	mux.HandleFunc("POST /dashboard/logout", h.authed(h.logout))
	mux.HandleFunc("GET /dashboard/password/forgot", h.showForgot)
	mux.HandleFunc("POST /dashboard/password/forgot", h.forgotPassword)
	mux.HandleFunc("GET /dashboard/password", h.showPassword)
	mux.HandleFunc("POST /dashboard/password", h.setPassword)
	mux.HandleFunc("GET /dashboard/static/{name}", h.serveStatic)
	mux.HandleFunc("GET /dashboard/o/{org}", h.authed(h.inOrg(h.showHome)))
	mux.HandleFunc("GET /dashboard/o/{org}/search", h.authed(h.inOrg(h.showSearch)))
	mux.HandleFunc("GET /dashboard/o/{org}/stats", h.authed(h.inOrg(h.showOrgStats)))
	mux.HandleFunc("GET /dashboard/o/{org}/jobs/{job}", h.authed(h.inOrg(h.showBoard)))
	mux.HandleFunc("GET /dashboard/o/{org}/jobs/{job}/stats", h.authed(h.inOrg(h.showJobStats)))
	mux.HandleFunc("GET /dashboard/o/{org}/jobs/{job}/card/{candidate}", h.authed(h.inOrg(h.showCard)))
	mux.HandleFunc("POST /dashboard/o/{org}/jobs/{job}/card/{candidate}/stage", h.authed(h.inOrg(h.moveStage)))
	mux.HandleFunc("POST /dashboard/o/{org}/jobs/{job}/card/{candidate}/archive", h.authed(h.inOrg(h.setArchived)))
	mux.HandleFunc("GET /dashboard/o/{org}/users", h.authed(h.inOrg(h.showUsers)))
	mux.HandleFunc("POST /dashboard/o/{org}/users/invite", h.authed(h.inOrg(h.inviteUser)))
	mux.HandleFunc("POST /dashboard/o/{org}/users/{user}/role", h.authed(h.inOrg(h.setUserRole)))
	mux.HandleFunc("POST /dashboard/o/{org}/users/{user}/disabled", h.authed(h.inOrg(h.setUserDisabled)))
	mux.HandleFunc("POST /dashboard/o/{org}/users/{user}/link", h.authed(h.inOrg(h.sendUserLink)))
	mux.HandleFunc("POST /dashboard/o/{org}/jobs/{job}/card/{candidate}/comments", h.authed(h.inOrg(h.addComment)))
	mux.HandleFunc("POST /dashboard/o/{org}/jobs/{job}/card/{candidate}/messages", h.authed(h.inOrg(h.sendMessage)))
	mux.HandleFunc("POST /dashboard/o/{org}/jobs/{job}/card/{candidate}/tags", h.authed(h.inOrg(h.editTags)))
	mux.HandleFunc("GET /dashboard/o/{org}/jobs/new", h.authed(h.inOrg(h.showNewJob)))
	mux.HandleFunc("POST /dashboard/o/{org}/jobs/new", h.authed(h.inOrg(h.createJob)))
	mux.HandleFunc("GET /dashboard/o/{org}/jobs/{job}/edit", h.authed(h.inOrg(h.showEditJob)))
	mux.HandleFunc("POST /dashboard/o/{org}/jobs/{job}/edit", h.authed(h.inOrg(h.updateJob)))
	mux.HandleFunc("POST /dashboard/o/{org}/jobs/{job}/status", h.authed(h.inOrg(h.setJobStatus)))
	mux.HandleFunc("GET /dashboard/o/{org}/jobs/{job}/stages", h.authed(h.inOrg(h.showStages)))
	mux.HandleFunc("POST /dashboard/o/{org}/jobs/{job}/stages", h.authed(h.inOrg(h.addJobStage)))
	mux.HandleFunc("POST /dashboard/o/{org}/jobs/{job}/stages/{stage}/rename", h.authed(h.inOrg(h.renameJobStage)))
	mux.HandleFunc("POST /dashboard/o/{org}/jobs/{job}/stages/{stage}/move", h.authed(h.inOrg(h.moveJobStage)))
	mux.HandleFunc("POST /dashboard/o/{org}/jobs/{job}/stages/{stage}/remove", h.authed(h.inOrg(h.removeJobStage)))
	mux.HandleFunc("GET /dashboard/o/{org}/jobs/{job}/questions", h.authed(h.inOrg(h.showQuestions)))
	mux.HandleFunc("POST /dashboard/o/{org}/jobs/{job}/questions", h.authed(h.inOrg(h.addJobQuestion)))
	mux.HandleFunc("POST /dashboard/o/{org}/jobs/{job}/questions/{question}", h.authed(h.inOrg(h.updateJobQuestion)))
	mux.HandleFunc("POST /dashboard/o/{org}/jobs/{job}/questions/{question}/move", h.authed(h.inOrg(h.moveJobQuestion)))
	mux.HandleFunc("POST /dashboard/o/{org}/jobs/{job}/questions/{question}/remove", h.authed(h.inOrg(h.removeJobQuestion)))
	mux.HandleFunc("GET /dashboard/o/{org}/keys", h.authed(h.inOrg(h.showKeys)))
	mux.HandleFunc("POST /dashboard/o/{org}/keys", h.authed(h.inOrg(h.createKey)))
	mux.HandleFunc("GET /dashboard/o/{org}/keys/{key}/revoke", h.authed(h.inOrg(h.confirmRevokeKey)))
	mux.HandleFunc("POST /dashboard/o/{org}/keys/{key}/revoke", h.authed(h.inOrg(h.revokeKey)))
	mux.HandleFunc("GET /dashboard/o/{org}/webhooks", h.authed(h.inOrg(h.showWebhooks)))
	mux.HandleFunc("POST /dashboard/o/{org}/webhooks", h.authed(h.inOrg(h.createWebhook)))
	mux.HandleFunc("GET /dashboard/o/{org}/webhooks/{sub}", h.authed(h.inOrg(h.showWebhook)))
	mux.HandleFunc("POST /dashboard/o/{org}/webhooks/{sub}/active", h.authed(h.inOrg(h.setWebhookActive)))
	mux.HandleFunc("POST /dashboard/o/{org}/webhooks/{sub}/replay", h.authed(h.inOrg(h.replayWebhook)))
	plumbing.HandleNotRouted(mux, []string{"/"}, func(*http.Request) error { return errPageNotFound }, h.writeSessionless)
	return mux
}

func homePath(org string) string { return "/dashboard/o/" + url.PathEscape(org) }

func boardPath(org, job string) string { return homePath(org) + "/jobs/" + url.PathEscape(job) }

func cardPath(org, job, candidate string) string {
	return boardPath(org, job) + "/card/" + url.PathEscape(candidate)
}

// redirectRoot sends visitors of the bare host to the dashboard.
func (h *handler) redirectRoot(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, rootPath, http.StatusFound)
}

// redirectHome sends a signed-in visitor to their organization's page.
func (h *handler) redirectHome(w http.ResponseWriter, r *http.Request, s *session) {
	http.Redirect(w, r, homePath(s.p.Org.Reference), http.StatusFound)
}
