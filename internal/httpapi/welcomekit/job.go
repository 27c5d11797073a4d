package welcomekit

import (
	"net/http"
	"strconv"

	"intake"
	"intake/internal/httpapi/ratelimit"
)

// authorizeScopes authenticates the request and checks that its key holds
// one of scopes, before any input is read.
// Errors: EUnauthenticated, a *scopeError around EForbidden.
func (h *handler) authorizeScopes(w http.ResponseWriter, r *http.Request, scopes ...intake.Scope) (*intake.Principal, error) {
	token, err := accessToken(r)
	if err != nil {
		return nil, err
	}
	p, err := h.svc.Authenticate(r.Context(), token)
	if err != nil {
		return nil, err
	}
	ratelimit.SetHeaders(w.Header(), p.Rate)
	if err := p.AllowAny(scopes...); err != nil {
		return nil, &scopeError{err}
	}
	return p, nil
}

// setPageHeaders writes the pagination headers of a list answer (spec
// welcomekit §1 Pagination).
func setPageHeaders(w http.ResponseWriter, total int, page, perPage int64, offset int) {
	hd := w.Header()
	hd.Set("X-Total", strconv.Itoa(total))
	hd.Set("X-Total-Pages", strconv.FormatInt((int64(total)+perPage-1)/perPage, 10))
	hd.Set("X-Per-Page", strconv.FormatInt(perPage, 10))
	hd.Set("X-Page", strconv.FormatInt(page, 10))
	hd.Set("X-Offset", strconv.Itoa(offset))
}

// listJobs handles GET and HEAD /jobs (spec welcomekit §4).
func (h *handler) listJobs(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorizeScopes(w, r, intake.ScopeJobsR, intake.ScopeJobsRW)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	req, err := decodeJobList(in, h.loc, false)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	jobs, total, err := h.svc.ListJobs(r.Context(), p, req.OrganizationReference, req.Filter)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	org := p.Org
	if req.View.Organization {
		if org, err = h.svc.CurrentOrg(r.Context(), p); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	out := make([]jobJSON, len(jobs))
	for i, j := range jobs {
		out[i] = h.job(j, org, req.View, jobExtras{org: org})
	}
	setPageHeaders(w, total, req.Page, req.PerPage, req.Filter.Offset)
	h.writeJSON(w, r, http.StatusOK, out)
}

// listAllJobs handles GET and HEAD /jobs/all: every organization's jobs
// (su_jobs_r).
func (h *handler) listAllJobs(w http.ResponseWriter, r *http.Request) {
	_, err := h.authorizeScopes(w, r, intake.ScopeSuJobsR)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	req, err := decodeJobList(in, h.loc, true)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	jobs, orgs, total, err := h.svc.ListAllJobs(r.Context(), req.Filter)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := make([]jobJSON, len(jobs))
	for i, j := range jobs {
		org := orgs[j.OrgID]
		if org == nil {
			org = &intake.Org{}
		}
		out[i] = h.job(j, org, req.View, jobExtras{org: org})
	}
	setPageHeaders(w, total, req.Page, req.PerPage, req.Filter.Offset)
	h.writeJSON(w, r, http.StatusOK, out)
}

// getJob handles GET /jobs/:reference (spec welcomekit §4). Counts need a
// candidates scope besides the jobs one.
func (h *handler) getJob(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorizeScopes(w, r, intake.ScopeJobsR, intake.ScopeJobsRW)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	v, err := decodeJobView(in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if v.CandidatesCount {
		if err := p.AllowAny(intake.ScopeCandidatesR, intake.ScopeCandidatesRW); err != nil {
			h.writeError(w, r, &scopeError{err})
			return
		}
	}
	j, err := h.svc.Job(r.Context(), p, r.PathValue("reference"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var x jobExtras
	if v.CandidatesCount {
		if x.counts, err = h.svc.StageCounts(r.Context(), p, j); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	if v.Organization || v.Office {
		if x.org, err = h.svc.CurrentOrg(r.Context(), p); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	h.writeJSON(w, r, http.StatusOK, h.job(j, p.Org, v, x))
}

// createJob handles POST /jobs (spec welcomekit §4). The answer carries the
// stages, as the seed-era answer did.
func (h *handler) createJob(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorizeScopes(w, r, intake.ScopeJobsRW)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	f := newFields(in)
	orgRef := f.required("organization_reference")
	if err := f.err(); err != nil {
		h.writeError(w, r, err)
		return
	}
	job, err := decodeJob(in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	j, err := h.svc.CreateJob(r.Context(), p, orgRef, job)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusCreated, h.job(j, p.Org, jobView{Stages: true}, jobExtras{}))
}

// updateJob handles PUT /jobs/:reference (spec welcomekit §4).
func (h *handler) updateJob(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorizeScopes(w, r, intake.ScopeJobsRW)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	job, err := decodeJob(in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	j, err := h.svc.UpdateJob(r.Context(), p, r.PathValue("reference"), job)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, h.job(j, p.Org, jobView{Stages: true}, jobExtras{}))
}

// updateJobStatus handles PUT /jobs/:reference/update_status.
func (h *handler) updateJobStatus(w http.ResponseWriter, r *http.Request) {
	p, err := h.authorizeScopes(w, r, intake.ScopeJobsRW)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	in, _, err := h.readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	f := newFields(in)
	status := f.string("status")
	if err := f.err(); err != nil {
		h.writeError(w, r, err)
		return
	}
	j, err := h.svc.UpdateJobStatus(r.Context(), p, r.PathValue("reference"), status)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, h.job(j, p.Org, jobView{Stages: true}, jobExtras{}))
}
