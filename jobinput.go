package intake

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// JobInput is a job's fields as a client sends them, for a create or an
// update: nil leaves a field as it is (create: empty). Field names in
// errors are the WelcomeKit parameter names.
type JobInput struct {
	Name                *string
	Status              *string
	ExternalReference   *string
	Description         *string
	Profile             *string
	Mission             *string
	CompanyDescription  *string
	RecruitmentProcess  *string
	ContractType        *string
	ContractDurationMin **int64 // a nil inner pointer clears the field
	ContractDurationMax **int64
	ExperienceLevel     *string
	EducationLevel      *string
	Remote              *string
	Language            *string
	StartDate           *string
	ApplyURL            *string
	ProfessionReference *string
	DepartmentID        **int64
	CMSSitesReferences  *[]string
	SalaryMin           **int64
	SalaryMax           **int64
	SalaryCurrency      *string
	SalaryPeriod        *string
	OfficeID            *int64
	OfficeAddress       *string
	OfficeZipCode       *string
	OfficeCity          *string
	OfficeCountryCode   *string
	// Stages replaces the pipeline: stages with an ID keep it (and the
	// applications in them), others are added. Removing a stage that
	// applications sit in is refused.
	Stages *[]StageInput
}

// StageInput is one stage of a pipeline sent by a client.
type StageInput struct {
	ID        int64
	Name      string
	Reference string
	Visible   *bool
}

// Vocabularies a job's coded fields are checked against: the vendor's
// current list (GET /jobs/dependencies) and, for contract types, the codes
// of its earlier docs, which clients written then still send.
var (
	ContractTypes = []string{"FULL_TIME", "PART_TIME", "TEMPORARY", "FREELANCE", "INTERNSHIP",
		"APPRENTICESHIP", "VIE", "OTHER"}
	legacyContractTypes = []string{"UNLIMITED", "LIMITED", "INTERIM", "SALARIED", "APPRENTICE", "FRANCHISE"}
	EducationLevels     = []string{"NO_DIPLOMA", "CAP", "BEP", "BAC", "BAC_1", "BAC_2", "BAC_3", "BAC_4", "BAC_5", "PHD"}
	ExperienceLevels    = []string{"LESS_THAN_6_MONTHS", "6_MONTHS_TO_1_YEAR", "1_TO_2_YEARS", "2_TO_3_YEARS",
		"3_TO_4_YEARS", "4_TO_5_YEARS", "5_TO_7_YEARS", "7_TO_10_YEARS", "10_TO_15_YEARS", "MORE_THAN_15_YEARS"}
)

// Job field limits.
const (
	MaxStages           = 50
	MaxContractDuration = 120 // months
	MaxCMSSites         = 20
)

// jobRequired lists what a create must carry (spec welcomekit §4 POST /jobs).
var jobRequired = []struct {
	name string
	get  func(*JobInput) *string
}{
	{"name", func(in *JobInput) *string { return in.Name }},
	{"profession_reference", func(in *JobInput) *string { return in.ProfessionReference }},
	{"company_description", func(in *JobInput) *string { return in.CompanyDescription }},
	{"description", func(in *JobInput) *string { return in.Description }},
	{"profile", func(in *JobInput) *string { return in.Profile }},
	{"contract_type", func(in *JobInput) *string { return in.ContractType }},
	{"language", func(in *JobInput) *string { return in.Language }},
}

// checkRequired adds an error for each required create field missing and
// for a create without any office field.
func (in *JobInput) checkRequired(f fieldErrors) {
	for _, r := range jobRequired {
		if v := r.get(in); v == nil || strings.TrimSpace(*v) == "" {
			f.add(r.name, "is required")
		}
	}
	if in.OfficeID == nil && blank(in.OfficeAddress) && blank(in.OfficeZipCode) && blank(in.OfficeCity) && blank(in.OfficeCountryCode) {
		f.add("office_id", "is required unless office_address, office_zip_code, office_city or office_country_code is given")
	}
}

func blank(s *string) bool { return s == nil || strings.TrimSpace(*s) == "" }

// apply validates in and writes it onto j. org gives the offices an
// office_id may name. Every invalid field is reported at once.
func (in *JobInput) apply(f fieldErrors, j *Job, org *Org, now time.Time) {
	c := &j.Content
	if in.Name != nil {
		name := strings.TrimSpace(*in.Name)
		switch {
		case name == "":
			f.add("name", "can't be blank")
		case utf8.RuneCountInString(name) > MaxShortText || !utf8.ValidString(name):
			f.add("name", "is too long (maximum is 255 characters)")
		}
		j.Title = name
	}
	if in.Status != nil {
		st, ok := ParseJobStatus(*in.Status)
		if !ok {
			f.add("status", "must be one of draft, published, archived")
		} else {
			j.SetStatus(st, now)
		}
	}
	short := func(name string, v *string, dst *string) {
		if v == nil {
			return
		}
		validText(f, name, *v, MaxShortText)
		*dst = strings.TrimSpace(*v)
	}
	long := func(name string, v *string, dst *string) {
		if v == nil {
			return
		}
		validText(f, name, *v, MaxLongText)
		*dst = *v
	}
	coded := func(name string, v *string, dst *string, allowed ...[]string) {
		if v == nil {
			return
		}
		s := strings.TrimSpace(*v)
		ok := s == ""
		for _, list := range allowed {
			ok = ok || slices.Contains(list, s)
		}
		if !ok {
			f.add(name, "must be one of "+strings.Join(allowed[0], ", "))
			return
		}
		*dst = s
	}
	short("external_reference", in.ExternalReference, &j.ExternalReference)
	long("description", in.Description, &c.Description)
	long("profile", in.Profile, &c.Profile)
	long("mission", in.Mission, &c.Mission)
	long("company_description", in.CompanyDescription, &c.CompanyDescription)
	long("recruitment_process", in.RecruitmentProcess, &c.RecruitmentProcess)
	short("profession_reference", in.ProfessionReference, &c.ProfessionReference)
	coded("contract_type", in.ContractType, &c.ContractType, ContractTypes, legacyContractTypes)
	coded("experience_level", in.ExperienceLevel, &c.ExperienceLevel, ExperienceLevels)
	coded("education_level", in.EducationLevel, &c.EducationLevel, EducationLevels)
	coded("remote", in.Remote, &c.Remote, RemoteLevels)
	coded("salary_currency", in.SalaryCurrency, &c.Salary.Currency, SalaryCurrencies)
	coded("salary_period", in.SalaryPeriod, &c.Salary.Period, SalaryPeriods)
	if in.Language != nil {
		lang := strings.ToLower(strings.TrimSpace(*in.Language))
		if lang != "" && !isLanguageCode(lang) {
			f.add("language", "must be a two-letter language code such as fr or en")
		}
		c.Language = lang
	}
	if in.StartDate != nil {
		d := strings.TrimSpace(*in.StartDate)
		if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
			f.add("start_date", "must be a date formatted as YYYY-MM-DD")
		}
		c.StartDate = d
	}
	if in.ApplyURL != nil {
		u := strings.TrimSpace(*in.ApplyURL)
		validURL(f, "apply_url", u)
		c.ApplyURL = u
	}
	if in.CMSSitesReferences != nil {
		refs := []string{}
		for _, r := range *in.CMSSitesReferences {
			if r = strings.TrimSpace(r); r != "" {
				validText(f, "cms_sites_references", r, MaxShortText)
				refs = append(refs, r)
			}
		}
		if len(refs) > MaxCMSSites {
			f.add("cms_sites_references", fmt.Sprintf("has more than %d sites", MaxCMSSites))
		}
		c.CMSSitesReferences = refs
	}
	nonNegative := func(name string, v **int64, dst **int64, max int64) {
		if v == nil {
			return
		}
		if *v != nil && (**v < 0 || (max > 0 && **v > max)) {
			if max > 0 {
				f.add(name, fmt.Sprintf("must be between 0 and %d", max))
			} else {
				f.add(name, "must be greater than or equal to 0")
			}
			return
		}
		*dst = *v
	}
	nonNegative("contract_duration_min", in.ContractDurationMin, &c.ContractDurationMin, MaxContractDuration)
	nonNegative("contract_duration_max", in.ContractDurationMax, &c.ContractDurationMax, MaxContractDuration)
	nonNegative("department_id", in.DepartmentID, &c.DepartmentID, 0)
	nonNegative("salary_min", in.SalaryMin, &c.Salary.Min, 0)
	nonNegative("salary_max", in.SalaryMax, &c.Salary.Max, 0)
	if lo, hi := c.ContractDurationMin, c.ContractDurationMax; lo != nil && hi != nil && *lo > *hi {
		f.add("contract_duration_max", "must be greater than or equal to contract_duration_min")
	}
	if lo, hi := c.Salary.Min, c.Salary.Max; lo != nil && hi != nil && *lo > *hi {
		f.add("salary_max", "must be greater than or equal to salary_min")
	}
	in.applyOffice(f, c, org)
	if in.Stages != nil {
		j.Stages = stagesFromInput(f, *in.Stages)
	}
}

// applyOffice sets the job's office from office_id (one of the
// organization's offices) or from the address fields, which change only
// the parts they name.
func (in *JobInput) applyOffice(f fieldErrors, c *JobContent, org *Org) {
	if in.OfficeID != nil {
		if o, ok := org.Content.OfficeByID(*in.OfficeID); ok {
			c.Office = o
		} else {
			f.add("office_id", "is not an office of the organization")
		}
	}
	addressed := false
	part := func(name string, v *string, dst *string) {
		if v == nil {
			return
		}
		validText(f, name, *v, MaxShortText)
		*dst = strings.TrimSpace(*v)
		addressed = true
	}
	o := c.Office
	part("office_address", in.OfficeAddress, &o.Address)
	part("office_zip_code", in.OfficeZipCode, &o.ZipCode)
	part("office_city", in.OfficeCity, &o.City)
	if in.OfficeCountryCode != nil {
		cc := strings.ToUpper(strings.TrimSpace(*in.OfficeCountryCode))
		if cc != "" && !isCountryCode(cc) {
			f.add("office_country_code", "must be a two-letter country code such as FR")
		}
		o.CountryCode = cc
		addressed = true
	}
	if !addressed {
		return
	}
	// An address given with the job is the job's own place unless it is
	// exactly one of the organization's offices.
	o.ID, o.Name, o.IsHeadquarter = 0, "", false
	for _, known := range org.Content.Offices {
		if known.Address == o.Address && known.ZipCode == o.ZipCode && known.City == o.City && known.CountryCode == o.CountryCode {
			o = known
			break
		}
	}
	c.Office = o
}

// stagesFromInput validates a pipeline sent by a client.
func stagesFromInput(f fieldErrors, in []StageInput) []Stage {
	if len(in) == 0 {
		f.add("stages", "can't be empty")
		return nil
	}
	if len(in) > MaxStages {
		f.add("stages", fmt.Sprintf("has more than %d stages", MaxStages))
	}
	names := map[string]bool{}
	ids := map[int64]bool{}
	out := make([]Stage, len(in))
	for i, st := range in {
		name := strings.TrimSpace(st.Name)
		p := fmt.Sprintf("stages[%d]", i)
		switch {
		case name == "":
			f.add(p+".name", "can't be blank")
		case names[name]:
			f.add(p+".name", "duplicates another stage of the job")
		}
		validText(f, p+".name", name, MaxShortText)
		validText(f, p+".reference", st.Reference, MaxShortText)
		if st.ID != 0 && ids[st.ID] {
			f.add(p+".id", "duplicates another stage of the job")
		}
		names[name], ids[st.ID] = true, true
		visible := st.Visible == nil || *st.Visible
		out[i] = Stage{ID: st.ID, Position: i, Name: name, Reference: strings.TrimSpace(st.Reference), Visible: visible}
	}
	return out
}

func isLanguageCode(s string) bool { return len(s) == 2 && isLetters(s, 'a', 'z') }
func isCountryCode(s string) bool  { return len(s) == 2 && isLetters(s, 'A', 'Z') }

func isLetters(s string, lo, hi byte) bool {
	for i := range len(s) {
		if s[i] < lo || s[i] > hi {
			return false
		}
	}
	return true
}

// Validate reports, as CreateJob (create) or UpdateJob would, every invalid
// field of in for a job of org, without saving anything. Errors: EInvalid.
func (in *JobInput) Validate(org *Org, create bool) error {
	f := fieldErrors{}
	if create {
		in.checkRequired(f)
	}
	j := &Job{Stages: DefaultStages()}
	in.apply(f, j, org, time.Unix(0, 0))
	return f.err()
}
