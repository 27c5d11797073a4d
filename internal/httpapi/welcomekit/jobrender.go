package welcomekit

import (
	"strings"
	"time"

	"intake"
)

// jobJSON is the vendor's job object (spec welcomekit §4), keys in the
// order of the vendor's latest example, with recruitment_process, language
// and remote (which the example lacks) beside their neighbours. Empty
// texts are null, as the vendor shows unset fields.
type jobJSON struct {
	Name                  string           `json:"name"`
	ExternalReference     *string          `json:"external_reference"`
	OrganizationReference string           `json:"organization_reference"`
	Status                intake.JobStatus `json:"status"`
	Profile               *string          `json:"profile"`
	ApplyURL              *string          `json:"apply_url"`
	CompanyDescription    *string          `json:"company_description"`
	RecruitmentProcess    *string          `json:"recruitment_process"`
	ContractDurationMin   *int64           `json:"contract_duration_min"`
	ExperienceLevel       *string          `json:"experience_level"`
	DepartmentID          *int64           `json:"department_id"`
	ProfessionReference   *string          `json:"profession_reference"`
	CMSSitesReferences    *string          `json:"cms_sites_references"`
	ContractDurationMax   *int64           `json:"contract_duration_max"`
	StartDate             *string          `json:"start_date"`
	Language              *string          `json:"language"`
	Description           *string          `json:"description"`
	ContractType          *string          `json:"contract_type"`
	Salary                salaryJSON       `json:"salary"`
	Remote                *string          `json:"remote"`
	IsRemote              bool             `json:"is_remote"`
	OfficeID              *int64           `json:"office_id"`
	Reference             string           `json:"reference"`
	EducationLevel        *string          `json:"education_level"`
	Stages                []jobStageJSON   `json:"stages,omitzero"`
	CreatedAt             string           `json:"created_at"`
	UpdatedAt             string           `json:"updated_at"`
	PublishedAt           *string          `json:"published_at"`
	ArchivedAt            *string          `json:"archived_at"`
	CandidatesCount       *int             `json:"candidates_count,omitempty"`
	Websites              []websiteJSON    `json:"websites,omitzero"`
	ApplicationFields     []appFieldJSON   `json:"application_fields,omitzero"`
	Organization          *jobOrgJSON      `json:"organization,omitempty"`
	// Office holds a *officeJSON when asked for, so that a job without an
	// office shows null; it is omitted otherwise.
	Office any `json:"office,omitempty"`
}

// salaryJSON shows bounds as strings, as the vendor does.
type salaryJSON struct {
	Min      *string `json:"min"`
	Max      *string `json:"max"`
	Currency *string `json:"currency"`
	Period   *string `json:"period"`
}

// jobStageJSON is a stage of a job's list, with its count when asked
// (spec welcomekit §3 Stage object).
type jobStageJSON struct {
	ID              int64   `json:"id"`
	Name            string  `json:"name"`
	Reference       *string `json:"reference"`
	Visible         bool    `json:"visible"`
	CandidatesCount *int    `json:"candidates_count,omitempty"`
}

type websiteJSON struct {
	Reference string `json:"reference"`
	Name      string `json:"name"`
	URL       string `json:"url"`
}

type appFieldJSON struct {
	Name string `json:"name"`
	Mode string `json:"mode"`
}

// jobOrgJSON is the organization block of a job (spec welcomekit §4).
type jobOrgJSON struct {
	Name        string  `json:"name"`
	Slug        string  `json:"slug"`
	Description *string `json:"description"`
	Logo        *string `json:"logo"`
}

// officeJSON is an office (spec welcomekit §5 offices).
type officeJSON struct {
	ID            *int64  `json:"id"`
	Name          *string `json:"name"`
	Address       *string `json:"address"`
	ZipCode       *string `json:"zip_code"`
	City          *string `json:"city"`
	CountryCode   *string `json:"country_code"`
	IsHeadquarter bool    `json:"is_headquarter"`
}

// applicationFields are the fields the candidate create asks for (spec
// welcomekit §2 Parameters): the same for every job.
var applicationFields = []appFieldJSON{
	{"firstname", "mandatory"}, {"lastname", "mandatory"}, {"email", "mandatory"},
	{"phone", "optional"}, {"subtitle", "optional"}, {"cover_letter", "optional"},
	{"resume", "optional"}, {"portfolio", "optional"}, {"avatar", "optional"},
}

// jobExtras are the blocks a view may add that need more than the job.
type jobExtras struct {
	org    *intake.Org
	counts map[int64]int
}

// job renders j for the organization org.
func (h *handler) job(j *intake.Job, org *intake.Org, v jobView, x jobExtras) jobJSON {
	c := &j.Content
	out := jobJSON{
		Name:                  j.Title,
		ExternalReference:     nullable(j.ExternalReference),
		OrganizationReference: org.Reference,
		Status:                j.Status(),
		Profile:               nullable(c.Profile),
		ApplyURL:              nullable(c.ApplyURL),
		CompanyDescription:    nullable(c.CompanyDescription),
		RecruitmentProcess:    nullable(c.RecruitmentProcess),
		ContractDurationMin:   c.ContractDurationMin,
		ExperienceLevel:       nullable(c.ExperienceLevel),
		DepartmentID:          c.DepartmentID,
		ProfessionReference:   nullable(c.ProfessionReference),
		CMSSitesReferences:    nullable(strings.Join(c.CMSSitesReferences, ",")),
		ContractDurationMax:   c.ContractDurationMax,
		Language:              nullable(c.Language),
		Description:           nullable(c.Description),
		ContractType:          nullable(c.ContractType),
		Salary: salaryJSON{Min: formatInt(c.Salary.Min), Max: formatInt(c.Salary.Max),
			Currency: nullable(c.Salary.Currency), Period: nullable(c.Salary.Period)},
		Remote:         nullable(c.Remote),
		IsRemote:       c.Remote != "" && c.Remote != "no",
		Reference:      j.Reference,
		EducationLevel: nullable(c.EducationLevel),
		CreatedAt:      h.timestamp(j.CreatedAt),
		UpdatedAt:      h.timestamp(j.UpdatedAt),
		PublishedAt:    h.optTimestamp(j.PublishedAt),
		ArchivedAt:     h.optTimestamp(j.ArchivedAt),
	}
	if c.Office.ID != 0 {
		out.OfficeID = &c.Office.ID
	}
	if d, err := time.ParseInLocation(time.DateOnly, c.StartDate, h.loc); err == nil {
		s := h.timestamp(d)
		out.StartDate = &s
	}
	if v.Stages {
		out.Stages = make([]jobStageJSON, len(j.Stages))
		for i, st := range j.Stages {
			out.Stages[i] = jobStageJSON{ID: st.ID, Name: st.Name, Reference: nullable(st.Reference), Visible: st.Visible}
			if x.counts != nil {
				n := x.counts[st.ID]
				out.Stages[i].CandidatesCount = &n
			}
		}
	}
	if v.CandidatesCount && x.counts != nil {
		total := 0
		for _, n := range x.counts {
			total += n
		}
		out.CandidatesCount = &total
	}
	if v.Websites {
		// No career site publishes jobs yet: the list is empty, not absent.
		out.Websites = []websiteJSON{}
	}
	if v.ApplicationFields {
		out.ApplicationFields = applicationFields
	}
	if v.Organization {
		o := x.org
		if o == nil {
			o = org
		}
		out.Organization = &jobOrgJSON{Name: o.Name, Slug: o.Slug,
			Description: nullable(o.Content.Description), Logo: nullable(o.Content.LogoURL)}
	}
	if v.Office {
		out.Office = office(c.Office)
	}
	return out
}

// office renders an office; a job without one shows null.
func office(o intake.Office) *officeJSON {
	if o.IsZero() {
		return nil
	}
	out := &officeJSON{Name: nullable(o.Name), Address: nullable(o.Address), ZipCode: nullable(o.ZipCode),
		City: nullable(o.City), CountryCode: nullable(o.CountryCode), IsHeadquarter: o.IsHeadquarter}
	if o.ID != 0 {
		out.ID = &o.ID
	}
	return out
}

func (h *handler) optTimestamp(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := h.timestamp(*t)
	return &s
}
