package intake

import (
	"slices"
	"time"
)

// JobStatus is a job's place in its life: drafts are invisible to career
// sites, published jobs are listed, archived jobs accept no applications.
type JobStatus string

// Job statuses (spec welcomekit §4).
const (
	JobDraft     JobStatus = "draft"
	JobPublished JobStatus = "published"
	JobArchived  JobStatus = "archived"
)

// ParseJobStatus returns the status named s.
func ParseJobStatus(s string) (JobStatus, bool) {
	st := JobStatus(s)
	return st, st == JobDraft || st == JobPublished || st == JobArchived
}

// Status derives the job's status from its Published and Archived flags,
// which the stores keep (the Flatchr feed and the create path read them).
func (j *Job) Status() JobStatus {
	switch {
	case j.Archived:
		return JobArchived
	case j.Published:
		return JobPublished
	}
	return JobDraft
}

// SetStatus moves the job to st at now: PublishedAt is set the first time
// it is published and kept afterwards; ArchivedAt is set on archiving and
// cleared when the job comes back.
func (j *Job) SetStatus(st JobStatus, now time.Time) {
	switch st {
	case JobArchived:
		if !j.Archived || j.ArchivedAt == nil {
			j.ArchivedAt = &now
		}
		j.Archived = true
	case JobPublished:
		j.Archived, j.Published, j.ArchivedAt = false, true, nil
		if j.PublishedAt == nil {
			j.PublishedAt = &now
		}
	default:
		j.Archived, j.Published, j.ArchivedAt = false, false, nil
	}
}

// JobContent is what a job says about itself to candidates and job boards
// (spec welcomekit §4 job object; Flatchr's vacancy shows the same). Empty
// strings mean "not given".
type JobContent struct {
	Description         string   `json:"description,omitempty"`
	Profile             string   `json:"profile,omitempty"`
	Mission             string   `json:"mission,omitempty"`
	CompanyDescription  string   `json:"company_description,omitempty"`
	RecruitmentProcess  string   `json:"recruitment_process,omitempty"`
	ContractType        string   `json:"contract_type,omitempty"`
	ContractDurationMin *int64   `json:"contract_duration_min,omitempty"`
	ContractDurationMax *int64   `json:"contract_duration_max,omitempty"`
	ExperienceLevel     string   `json:"experience_level,omitempty"`
	EducationLevel      string   `json:"education_level,omitempty"`
	Remote              string   `json:"remote,omitempty"`
	Salary              Salary   `json:"salary"`
	Office              Office   `json:"office"`
	Language            string   `json:"language,omitempty"`
	StartDate           string   `json:"start_date,omitempty"` // YYYY-MM-DD
	ApplyURL            string   `json:"apply_url,omitempty"`
	ProfessionReference string   `json:"profession_reference,omitempty"`
	DepartmentID        *int64   `json:"department_id,omitempty"`
	CMSSitesReferences  []string `json:"cms_sites_references,omitempty"`
}

// Salary is a job's pay range for one period; nil bounds are not shown.
type Salary struct {
	Min      *int64 `json:"min,omitempty"`
	Max      *int64 `json:"max,omitempty"`
	Currency string `json:"currency,omitempty"`
	Period   string `json:"period,omitempty"`
}

// Office is a place of work: one of an organization's offices, or a job's.
// ID is the organization office's id, 0 for an address given with a job.
type Office struct {
	ID            int64  `json:"id,omitempty"`
	Name          string `json:"name,omitempty"`
	Address       string `json:"address,omitempty"`
	ZipCode       string `json:"zip_code,omitempty"`
	City          string `json:"city,omitempty"`
	CountryCode   string `json:"country_code,omitempty"`
	IsHeadquarter bool   `json:"is_headquarter,omitempty"`
}

// IsZero reports whether no field of the office is set.
func (o Office) IsZero() bool { return o == Office{} }

// OrgContent is what an organization says about itself (spec welcomekit §5);
// the career site shows it.
type OrgContent struct {
	Description     string   `json:"description,omitempty"`
	Website         string   `json:"website,omitempty"`
	LogoURL         string   `json:"logo_url,omitempty"`
	Color           string   `json:"color,omitempty"`
	PrivacyURL      string   `json:"privacy_url,omitempty"`
	DefaultLanguage string   `json:"default_language,omitempty"`
	Offices         []Office `json:"offices,omitempty"`
}

// OfficeByID returns the organization's office with that id.
func (c *OrgContent) OfficeByID(id int64) (Office, bool) {
	i := slices.IndexFunc(c.Offices, func(o Office) bool { return o.ID == id })
	if i < 0 {
		return Office{}, false
	}
	return c.Offices[i], true
}

// Vocabularies of the job fields (spec welcomekit §4, GET /jobs/dependencies).
var (
	RemoteLevels     = []string{"fulltime", "partial", "punctual", "no"}
	SalaryCurrencies = []string{"EUR", "USD"}
	SalaryPeriods    = []string{"yearly", "monthly", "daily", "none"}
)
