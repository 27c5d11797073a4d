package welcomekit

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"intake"
)

// jobStringParams are the job's text params and where they go.
var jobStringParams = []struct {
	name string
	dst  func(*intake.JobInput) **string
}{
	{"name", func(in *intake.JobInput) **string { return &in.Name }},
	{"status", func(in *intake.JobInput) **string { return &in.Status }},
	{"external_reference", func(in *intake.JobInput) **string { return &in.ExternalReference }},
	{"description", func(in *intake.JobInput) **string { return &in.Description }},
	{"profile", func(in *intake.JobInput) **string { return &in.Profile }},
	{"mission", func(in *intake.JobInput) **string { return &in.Mission }},
	{"company_description", func(in *intake.JobInput) **string { return &in.CompanyDescription }},
	{"recruitment_process", func(in *intake.JobInput) **string { return &in.RecruitmentProcess }},
	{"contract_type", func(in *intake.JobInput) **string { return &in.ContractType }},
	{"experience_level", func(in *intake.JobInput) **string { return &in.ExperienceLevel }},
	{"education_level", func(in *intake.JobInput) **string { return &in.EducationLevel }},
	{"remote", func(in *intake.JobInput) **string { return &in.Remote }},
	{"language", func(in *intake.JobInput) **string { return &in.Language }},
	{"start_date", func(in *intake.JobInput) **string { return &in.StartDate }},
	{"apply_url", func(in *intake.JobInput) **string { return &in.ApplyURL }},
	{"profession_reference", func(in *intake.JobInput) **string { return &in.ProfessionReference }},
	{"salary_currency", func(in *intake.JobInput) **string { return &in.SalaryCurrency }},
	{"salary_period", func(in *intake.JobInput) **string { return &in.SalaryPeriod }},
	{"office_address", func(in *intake.JobInput) **string { return &in.OfficeAddress }},
	{"office_zip_code", func(in *intake.JobInput) **string { return &in.OfficeZipCode }},
	{"office_city", func(in *intake.JobInput) **string { return &in.OfficeCity }},
	{"office_country_code", func(in *intake.JobInput) **string { return &in.OfficeCountryCode }},
}

// jobNullableIntParams are the job's integer params that null clears.
var jobNullableIntParams = []struct {
	name string
	dst  func(*intake.JobInput) ***int64
}{
	{"contract_duration_min", func(in *intake.JobInput) ***int64 { return &in.ContractDurationMin }},
	{"contract_duration_max", func(in *intake.JobInput) ***int64 { return &in.ContractDurationMax }},
	{"department_id", func(in *intake.JobInput) ***int64 { return &in.DepartmentID }},
	{"salary_min", func(in *intake.JobInput) ***int64 { return &in.SalaryMin }},
	{"salary_max", func(in *intake.JobInput) ***int64 { return &in.SalaryMax }},
}

// decodeJob reads the params of POST /jobs and PUT /jobs/:reference (spec
// welcomekit §4). Type errors are reported here, value errors by the
// Service. is_remote, deprecated, is read when remote is absent: true is
// fulltime remote, false none. Errors: EInvalid.
func decodeJob(p params) (*intake.JobInput, error) {
	f := newFields(p)
	in := &intake.JobInput{}
	for _, sp := range jobStringParams {
		*sp.dst(in) = f.optString(sp.name)
	}
	for _, ip := range jobNullableIntParams {
		*ip.dst(in) = f.nullableInteger(ip.name)
	}
	in.OfficeID = f.integer("office_id")
	in.CMSSitesReferences = f.list("cms_sites_references")
	if in.Remote == nil {
		if b := f.boolean("is_remote"); b != nil {
			remote := "no"
			if *b {
				remote = "fulltime"
			}
			in.Remote = &remote
		}
	}
	in.Stages = f.stages("stages")
	if err := f.err(); err != nil {
		return nil, err
	}
	return in, nil
}

// nullableInteger is integer for a field that null or "" clears: nil when
// absent, a pointer to nil when cleared.
func (f *fields) nullableInteger(name string) **int64 {
	v, ok := f.p[name]
	if !ok {
		return nil
	}
	if s, isStr := v.(string); v == nil || (isStr && strings.TrimSpace(s) == "") {
		var none *int64
		return &none
	}
	n := f.integer(name)
	if n == nil {
		return nil
	}
	return &n
}

// stages reads a pipeline: a list of {id, name, reference, visible}. It is
// our extension (the vendor edits pipelines in its app only).
func (f *fields) stages(name string) *[]intake.StageInput {
	v, ok := f.p[name]
	if !ok {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		f.fail(name, "must be a list of stages")
		return nil
	}
	out := make([]intake.StageInput, 0, len(list))
	for i, e := range list {
		obj, ok := e.(map[string]any)
		if !ok {
			f.fail(fmt.Sprintf("%s[%d]", name, i), "must be an object")
			continue
		}
		sf := newFields(params(obj))
		st := intake.StageInput{Name: sf.string("name"), Reference: sf.string("reference"), Visible: sf.boolean("visible")}
		if id := sf.integer("id"); id != nil {
			st.ID = *id
		}
		for k, reason := range sf.errs {
			f.fail(fmt.Sprintf("%s[%d].%s", name, i, k), reason)
		}
		out = append(out, st)
	}
	return &out
}

// jobView says which optional blocks a job answer carries.
type jobView struct {
	Stages            bool
	Websites          bool
	Office            bool
	CandidatesCount   bool
	ApplicationFields bool
	Organization      bool
}

func (f *fields) jobView() jobView {
	flag := func(name string) bool { b := f.boolean(name); return b != nil && *b }
	return jobView{
		Stages: flag("stages"), Websites: flag("websites"), Office: flag("office"),
		CandidatesCount: flag("candidates_count"), ApplicationFields: flag("application_fields"),
		Organization: flag("organization"),
	}
}

// decodeJobView reads the flags of GET /jobs/:reference. Errors: EInvalid.
func decodeJobView(p params) (jobView, error) {
	f := newFields(p)
	v := f.jobView()
	return v, f.err()
}

// jobListRequest is a decoded GET /jobs or /jobs/all.
type jobListRequest struct {
	OrganizationReference string
	Filter                intake.JobFilter
	Page, PerPage         int64
	View                  jobView
}

// decodeJobList reads the params of GET /jobs (all: GET /jobs/all, which
// has no organization but filters on contract type); days are read in loc.
// Errors: EInvalid.
func decodeJobList(p params, loc *time.Location, all bool) (*jobListRequest, error) {
	f := newFields(p)
	req := &jobListRequest{
		Page:    f.positive("page", 1),
		PerPage: min(f.positive("per_page", defaultPerPage), maxPerPage),
		View:    f.jobView(),
	}
	if !all {
		req.OrganizationReference = f.required("organization_reference")
	} else {
		req.Filter.ContractType = f.filter("contract_type")
	}
	if s := f.filter("status"); s != nil {
		st, ok := intake.ParseJobStatus(*s)
		if !ok {
			f.fail("status", "must be one of draft, published, archived")
		}
		req.Filter.Status = &st
	}
	req.Filter.CreatedAfter = f.dayAfter("created_after", loc)
	req.Filter.UpdatedAfter = f.dayAfter("updated_after", loc)
	req.Filter.PublishedAfter = f.dayAfter("published_after", loc)
	req.Filter.Limit = int(req.PerPage)
	req.Filter.Offset = offset(req.Page, req.PerPage)
	if err := f.err(); err != nil {
		return nil, err
	}
	return req, nil
}

// formatInt renders an optional integer the way the vendor shows salaries:
// as a string.
func formatInt(n *int64) *string {
	if n == nil {
		return nil
	}
	s := strconv.FormatInt(*n, 10)
	return &s
}
