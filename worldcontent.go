package intake

import (
	"fmt"
	"strings"
	"time"
)

// WorldOrgContent is an organization's content in the world file.
type WorldOrgContent struct {
	Description     string        `json:"description,omitempty"`
	Website         string        `json:"website,omitempty"`
	LogoURL         string        `json:"logo_url,omitempty"`
	Color           string        `json:"color,omitempty"`
	PrivacyURL      string        `json:"privacy_url,omitempty"`
	DefaultLanguage string        `json:"default_language,omitempty"`
	Offices         []WorldOffice `json:"offices,omitempty"`
}

// WorldOffice is an office of an organization; its id defaults to its
// position in the list, from 1.
type WorldOffice struct {
	ID            int64  `json:"id,omitempty"`
	Name          string `json:"name,omitempty"`
	Address       string `json:"address,omitempty"`
	ZipCode       string `json:"zip_code,omitempty"`
	City          string `json:"city,omitempty"`
	CountryCode   string `json:"country_code,omitempty"`
	IsHeadquarter bool   `json:"is_headquarter,omitempty"`
}

// WorldSalary is a job's salary in the world file.
type WorldSalary struct {
	Min      *int64 `json:"min,omitempty"`
	Max      *int64 `json:"max,omitempty"`
	Currency string `json:"currency,omitempty"`
	Period   string `json:"period,omitempty"`
}

// WorldJobContent is a job's content in the world file; the keys are the
// WelcomeKit job fields, plus Flatchr's mission.
type WorldJobContent struct {
	// Status is draft, published or archived; it replaces the older
	// published and archived keys, which keep working alone.
	Status              string       `json:"status,omitempty"`
	ExternalReference   string       `json:"external_reference,omitempty"`
	Description         string       `json:"description,omitempty"`
	Profile             string       `json:"profile,omitempty"`
	Mission             string       `json:"mission,omitempty"`
	CompanyDescription  string       `json:"company_description,omitempty"`
	RecruitmentProcess  string       `json:"recruitment_process,omitempty"`
	ContractType        string       `json:"contract_type,omitempty"`
	ContractDurationMin *int64       `json:"contract_duration_min,omitempty"`
	ContractDurationMax *int64       `json:"contract_duration_max,omitempty"`
	ExperienceLevel     string       `json:"experience_level,omitempty"`
	EducationLevel      string       `json:"education_level,omitempty"`
	Remote              string       `json:"remote,omitempty"`
	Salary              *WorldSalary `json:"salary,omitempty"`
	OfficeID            *int64       `json:"office_id,omitempty"`
	Office              *WorldOffice `json:"office,omitempty"`
	Language            string       `json:"language,omitempty"`
	StartDate           string       `json:"start_date,omitempty"`
	ApplyURL            string       `json:"apply_url,omitempty"`
	ProfessionReference string       `json:"profession_reference,omitempty"`
	CMSSitesReferences  []string     `json:"cms_sites_references,omitempty"`
}

// content validates the organization's content; errors are named under
// path.
func (w *WorldOrgContent) content(f fieldErrors, path string) OrgContent {
	validText(f, path+".description", w.Description, MaxLongText)
	validURL(f, path+".website", w.Website)
	validURL(f, path+".logo_url", w.LogoURL)
	validURL(f, path+".privacy_url", w.PrivacyURL)
	if w.Color != "" && !isHexColor(w.Color) {
		f.add(path+".color", "must be a hex color such as #1a2b3c")
	}
	lang := strings.ToLower(w.DefaultLanguage)
	if lang != "" && !isLanguageCode(lang) {
		f.add(path+".default_language", "must be a two-letter language code such as fr or en")
	}
	c := OrgContent{Description: w.Description, Website: w.Website, LogoURL: w.LogoURL,
		Color: w.Color, PrivacyURL: w.PrivacyURL, DefaultLanguage: lang}
	ids := map[int64]bool{}
	for i, o := range w.Offices {
		op := fmt.Sprintf("%s.offices[%d]", path, i)
		id := o.ID
		if id == 0 {
			id = int64(i + 1)
		}
		if id < 0 || ids[id] {
			f.add(op+".id", "must be a positive id unique within the organization")
		}
		ids[id] = true
		cc := strings.ToUpper(o.CountryCode)
		if cc != "" && !isCountryCode(cc) {
			f.add(op+".country_code", "must be a two-letter country code such as FR")
		}
		for name, v := range map[string]string{"name": o.Name, "address": o.Address, "zip_code": o.ZipCode, "city": o.City} {
			validText(f, op+"."+name, v, MaxShortText)
		}
		c.Offices = append(c.Offices, Office{ID: id, Name: o.Name, Address: o.Address, ZipCode: o.ZipCode,
			City: o.City, CountryCode: cc, IsHeadquarter: o.IsHeadquarter})
	}
	return c
}

// apply validates the job's content and status and writes them onto j with
// the same rules as the API; errors are named under path.
func (w *WorldJobContent) apply(f fieldErrors, path string, wj *WorldJob, j *Job, org *Org, now time.Time) {
	in := JobInput{
		ExternalReference: &w.ExternalReference, Description: &w.Description, Profile: &w.Profile,
		Mission: &w.Mission, CompanyDescription: &w.CompanyDescription, RecruitmentProcess: &w.RecruitmentProcess,
		ContractType: &w.ContractType, ContractDurationMin: &w.ContractDurationMin,
		ContractDurationMax: &w.ContractDurationMax, ExperienceLevel: &w.ExperienceLevel,
		EducationLevel: &w.EducationLevel, Remote: &w.Remote, Language: &w.Language,
		StartDate: &w.StartDate, ApplyURL: &w.ApplyURL, ProfessionReference: &w.ProfessionReference,
		OfficeID: w.OfficeID,
	}
	if w.CMSSitesReferences != nil {
		in.CMSSitesReferences = &w.CMSSitesReferences
	}
	if s := w.Salary; s != nil {
		in.SalaryMin, in.SalaryMax, in.SalaryCurrency, in.SalaryPeriod = &s.Min, &s.Max, &s.Currency, &s.Period
	}
	if o := w.Office; o != nil {
		in.OfficeAddress, in.OfficeZipCode, in.OfficeCity, in.OfficeCountryCode = &o.Address, &o.ZipCode, &o.City, &o.CountryCode
	}
	if w.Status != "" {
		if wj.Published != nil || wj.Archived {
			f.add(path+".status", "can't be given with published or archived")
		}
		in.Status = &w.Status
	} else {
		j.SetStatus(j.Status(), now)
	}
	local := fieldErrors{}
	in.apply(local, j, org, now)
	for name, reason := range local {
		f.add(path+"."+strings.ReplaceAll(name, "office_", "office."), reason)
	}
}

func isHexColor(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	for i := 1; i < 7; i++ {
		c := s[i] | 0x20
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
