package flatchr

import (
	"net/http"
	"strconv"

	"intake"
	"intake/internal/httpapi/download"
)

// applicantJSON is the applicant the move and archive calls answer (spec
// flatchr §6, §7), members in the vendor's order. Times are Unix seconds
// there. Column and Vacancy are full objects where the move example shows
// {}: a superset clients ignore. Datas is the archive answer's `datas: []`.
type applicantJSON struct {
	ID         string        `json:"id"`
	VacancyID  string        `json:"vacancy_id"`
	ColumnID   int64         `json:"column_id"`
	Score      int           `json:"score"`
	Comment    string        `json:"comment"`
	CreatedAt  int64         `json:"created_at"`
	UpdatedAt  int64         `json:"updated_at"`
	Status     int           `json:"status"`
	View       bool          `json:"view"`
	Anonym     bool          `json:"anonym"`
	ExternalID *string       `json:"external_id"`
	Candidate  candidateJSON `json:"candidate"`
	Column     stageColumn   `json:"column"`
	Vacancy    vacancyJSON   `json:"vacancy"`
	Foreigner  bool          `json:"foreigner"`
	Applies    []appliesJSON `json:"applies"`
	Datas      *[]struct{}   `json:"datas,omitempty"`
}

// candidateJSON is the person inside an applicant (spec flatchr §3
// candidate; the move example's members). Email and phone are null when
// empty, as in the archive example.
type candidateJSON struct {
	ID          string            `json:"id"`
	CandidateID int64             `json:"candidate_id"`
	Email       *string           `json:"email"`
	Firstname   string            `json:"firstname"`
	Lastname    string            `json:"lastname"`
	URLs        map[string]string `json:"urls"`
	CreatedAt   string            `json:"created_at"`
	Phone       *string           `json:"phone"`
	Consent     bool              `json:"consent"`
	CV          *string           `json:"cv,omitempty"`
}

// stageColumn is a job's stage as a Flatchr column (spec flatchr §3 column).
type stageColumn struct {
	ID        int64  `json:"id"`
	Title     string `json:"title"`
	CompanyID string `json:"company_id"`
	Position  int    `json:"position"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
	Visible   bool   `json:"visible"`
	Hired     bool   `json:"hired"`
}

// appliesJSON is one application entry (spec flatchr §3 applies).
type appliesJSON struct {
	ID        string  `json:"id"`
	CreatedAt string  `json:"created_at"`
	VacancyID string  `json:"vacancy_id"`
	OffererID *string `json:"offerer_id"`
	Import    bool    `json:"import"`
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// applicant renders c. Derived encoded ids (candidate, applies, offerer)
// are stable: the same person always shows the same id.
func (h *handler) applicant(r *http.Request, c *intake.Candidate) applicantJSON {
	stage, _ := c.Stage()
	personID := strconv.FormatInt(c.Person.ID, 10)
	cand := candidateJSON{
		ID:          intake.DeriveEncodedID("candidate", c.Org.Reference, personID),
		CandidateID: c.Person.ID,
		Email:       nonEmpty(c.Person.Email),
		Firstname:   c.Person.Firstname,
		Lastname:    c.Person.Lastname,
		URLs:        map[string]string{},
		CreatedAt:   timestamp(c.CreatedAt),
		Phone:       nonEmpty(c.Person.Phone),
		Consent:     c.Newsletter != nil && c.Newsletter.Given,
	}
	for k, v := range c.Person.Media {
		cand.URLs[k] = v
	}
	if h.files != nil && c.Resume != nil {
		cv := download.BaseURL(r, h.public) + h.files.Path(c.Resume)
		cand.CV = &cv
	}
	var offerer *string
	if c.OffererID != 0 {
		o := intake.DeriveEncodedID("offerer", strconv.FormatInt(c.OffererID, 10))
		offerer = &o
	}
	return applicantJSON{
		ID:        c.ApplicantKey,
		VacancyID: c.Job.VacancyKey,
		ColumnID:  c.StageID,
		Comment:   c.CoverLetter,
		CreatedAt: c.CreatedAt.Unix(),
		UpdatedAt: c.UpdatedAt.Unix(),
		Status:    applicantStatus(c.Application),
		View:      true,
		Candidate: cand,
		Column:    column(c.Org, c.Job, stage),
		Vacancy:   vacancy(c.Org, c.Job),
		Applies: []appliesJSON{{
			ID:        intake.DeriveEncodedID("applies", c.ApplicantKey),
			CreatedAt: timestamp(c.CreatedAt),
			VacancyID: c.Job.VacancyKey,
			OffererID: offerer,
		}},
	}
}

// column renders a stage of job as a Flatchr column. Stages carry no
// times of their own: the job's are used.
func column(org *intake.Org, job *intake.Job, st intake.Stage) stageColumn {
	return stageColumn{
		ID:        st.ID,
		Title:     st.Name,
		CompanyID: org.CompanyKey,
		Position:  st.Position,
		CreatedAt: timestamp(job.CreatedAt),
		UpdatedAt: timestamp(job.UpdatedAt),
		Visible:   st.Visible,
		Hired:     st.Reference == "hired",
	}
}

// getApplicant serves GET /company/{companyID}/vacancy/{vacancyID}/applicant/{applicantID}
// and GET /company/{companyID}/applicant/{applicantID} (our addition: the
// vendor documents no read of one applicant; connectors search instead).
func (h *handler) getApplicant(w http.ResponseWriter, r *http.Request) {
	p, err := h.companyPrincipal(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.svc.Applicant(r.Context(), p, r.PathValue("vacancyID"), r.PathValue("applicantID"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, h.applicant(r, c))
}

// moveApplicant serves PUT …/vacancy/{vacancyID}/applicant/{applicantID}
// with `column_id` (spec flatchr §6).
func (h *handler) moveApplicant(w http.ResponseWriter, r *http.Request) {
	p, err := h.companyPrincipal(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := p.Allow(intake.ActionWrite); err != nil {
		h.writeError(w, r, err)
		return
	}
	ps, err := readParams(w, r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	col, err := ps.integer("column_id")
	if err == nil && col == nil {
		err = intake.FieldErrors(map[string]string{"column_id": "is required"})
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.svc.MoveApplicant(r.Context(), p, r.PathValue("vacancyID"), r.PathValue("applicantID"), *col)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, h.applicant(r, c))
}

// archiveApplicant serves DELETE …/vacancy/{vacancyID}/applicant/{applicantID}
// (spec flatchr §7): archived, not deleted; repeating it answers the same.
func (h *handler) archiveApplicant(w http.ResponseWriter, r *http.Request) {
	p, err := h.companyPrincipal(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	c, err := h.svc.ArchiveApplicant(r.Context(), p, r.PathValue("vacancyID"), r.PathValue("applicantID"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := h.applicant(r, c)
	out.Datas = &[]struct{}{}
	h.writeJSON(w, r, http.StatusOK, out)
}
