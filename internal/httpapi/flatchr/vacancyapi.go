package flatchr

import (
	"net/http"

	"intake"
	"intake/internal/httpapi/ratelimit"
)

// keyHolder authenticates a request of the api host by its header or query
// credentials (spec flatchr §1 Authentication).
func (h *handler) keyHolder(w http.ResponseWriter, r *http.Request) (*intake.Principal, error) {
	tokens, err := requestCredentials(r)
	if err != nil {
		return nil, err
	}
	p, err := h.authenticate(r.Context(), nil, tokens)
	if err != nil {
		return nil, err
	}
	ratelimit.SetHeaders(w.Header(), p.Rate)
	return p, nil
}

// companyKeyHolder is keyHolder for paths under /company/{companyID}: a
// companyID that is not the credential's company is not found, so that it
// does not reveal that the company exists (spec flatchr §1).
func (h *handler) companyKeyHolder(w http.ResponseWriter, r *http.Request) (*intake.Principal, error) {
	p, err := h.keyHolder(w, r)
	if err != nil {
		return nil, err
	}
	if r.PathValue("companyID") != p.Org.CompanyKey {
		return nil, intake.Errorf(intake.ENotFound, "company not found")
	}
	return p, nil
}

// listVacancies handles GET /company/{companyID}/vacancies: every vacancy
// of the company, archived ones included (status 0).
func (h *handler) listVacancies(w http.ResponseWriter, r *http.Request) {
	p, err := h.companyKeyHolder(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	jobs, err := h.svc.Vacancies(r.Context(), p)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := make([]vacancyJSON, len(jobs))
	for i, j := range jobs {
		out[i] = vacancy(p.Org, j)
	}
	h.writeJSON(w, r, http.StatusOK, out)
}

// getVacancy handles GET /company/{companyID}/vacancy/{vacancyID}: the
// vacancy named by encoded id (any case), slug or integer vacancy_id.
func (h *handler) getVacancy(w http.ResponseWriter, r *http.Request) {
	p, err := h.companyKeyHolder(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	j, err := h.svc.Vacancy(r.Context(), p, r.PathValue("vacancyID"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, vacancy(p.Org, j))
}

// columnJSON is a kanban column (spec flatchr §3 column): a stage of one
// of the company's vacancies. Its id is the stage id the move endpoint
// takes as column_id.
type columnJSON struct {
	ID        int64  `json:"id"`
	Title     string `json:"title"`
	CompanyID string `json:"company_id"`
	VacancyID string `json:"vacancy_id"`
	Position  int    `json:"position"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
	Visible   bool   `json:"visible"`
	Hired     bool   `json:"hired"`
}

// listColumns handles GET /company/{companyID}/columns. Flatchr's columns
// are the company's; intake's pipelines are per job, so every job's
// stages are listed, in job then pipeline order, each naming its vacancy.
func (h *handler) listColumns(w http.ResponseWriter, r *http.Request) {
	p, err := h.companyKeyHolder(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	jobs, err := h.svc.Vacancies(r.Context(), p)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := []columnJSON{}
	for _, j := range jobs {
		for _, st := range j.Stages {
			out = append(out, columnJSON{
				ID: st.ID, Title: st.Name, CompanyID: p.Org.CompanyKey, VacancyID: j.VacancyKey,
				Position: st.Position, CreatedAt: timestamp(j.CreatedAt), UpdatedAt: timestamp(j.UpdatedAt),
				Visible: st.Visible, Hired: st.Reference == "hired",
			})
		}
	}
	h.writeJSON(w, r, http.StatusOK, out)
}
