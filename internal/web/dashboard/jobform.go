package dashboard

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"intake"
)

// jobFormView is the page that creates a job (Nav nil) or edits one.
type jobFormView struct {
	layout
	Nav     *jobNav
	HomeURL string
	Action  string
	Submit  string
	// CanEdit is false for visitors who may only read: the form is shown
	// disabled, without its buttons.
	CanEdit bool
	Notice  string
	// Problems lists every error of a refused post, by field label, above
	// the form; each field also shows its own.
	Problems []string
	Groups   []fieldGroup
	// Statuses are the status changes offered, with the dates so far.
	Statuses    []statusAction
	PublishedAt string
	ArchivedAt  string
}

// fieldGroup is a fieldset of the job form.
type fieldGroup struct {
	Legend string
	Fields []formField
}

// formField is one control of the job form.
type formField struct {
	Name  string
	Label string
	// Kind is text, textarea, select, number, date or url.
	Kind     string
	Value    string
	Options  []option
	Required bool
	Hint     string
	Error    string
}

// statusAction is a button that moves the job to Status.
type statusAction struct {
	Status string
	Label  string
	URL    string
	CSRF   string
}

// jobFieldSpec describes a form field once: the form reads and shows it.
type jobFieldSpec struct {
	name, label, kind string
	required          bool
	hint              string
	// codes are a select's values; "" (not given) comes first.
	codes []string
	get   func(j *intake.Job) string
}

func str(get func(c *intake.JobContent) string) func(*intake.Job) string {
	return func(j *intake.Job) string { return get(&j.Content) }
}

func num(get func(c *intake.JobContent) *int64) func(*intake.Job) string {
	return func(j *intake.Job) string {
		if v := get(&j.Content); v != nil {
			return strconv.FormatInt(*v, 10)
		}
		return ""
	}
}

// jobGroups lay out the job form: field names are the WelcomeKit API's
// parameters, so that the Service's field errors land next to them.
var jobGroups = []struct {
	legend string
	fields []jobFieldSpec
}{
	{"The job", []jobFieldSpec{
		{name: "name", label: "Title", kind: "text", required: true, get: func(j *intake.Job) string { return j.Title }},
		{name: "contract_type", label: "Contract", kind: "select", required: true, codes: intake.ContractTypes, get: str(func(c *intake.JobContent) string { return c.ContractType })},
		{name: "contract_duration_min", label: "Shortest duration (months)", kind: "number", get: num(func(c *intake.JobContent) *int64 { return c.ContractDurationMin })},
		{name: "contract_duration_max", label: "Longest duration (months)", kind: "number", get: num(func(c *intake.JobContent) *int64 { return c.ContractDurationMax })},
		{name: "experience_level", label: "Experience", kind: "select", codes: intake.ExperienceLevels, get: str(func(c *intake.JobContent) string { return c.ExperienceLevel })},
		{name: "education_level", label: "Education", kind: "select", codes: intake.EducationLevels, get: str(func(c *intake.JobContent) string { return c.EducationLevel })},
		{name: "remote", label: "Remote work", kind: "select", codes: intake.RemoteLevels, get: str(func(c *intake.JobContent) string { return c.Remote })},
		{name: "language", label: "Language of the ad", kind: "text", required: true, hint: "Two letters, such as fr or en.", get: str(func(c *intake.JobContent) string { return c.Language })},
		{name: "start_date", label: "Start date", kind: "date", get: str(func(c *intake.JobContent) string { return c.StartDate })},
		{name: "profession_reference", label: "Profession", kind: "text", required: true, hint: "The job board's profession code, such as sales.", get: str(func(c *intake.JobContent) string { return c.ProfessionReference })},
		{name: "external_reference", label: "Your reference", kind: "text", hint: "Your own id of the job; unique in the organization.", get: func(j *intake.Job) string { return j.ExternalReference }},
		{name: "apply_url", label: "External apply URL", kind: "url", get: str(func(c *intake.JobContent) string { return c.ApplyURL })},
	}},
	{"Salary", []jobFieldSpec{
		{name: "salary_min", label: "From", kind: "number", get: num(func(c *intake.JobContent) *int64 { return c.Salary.Min })},
		{name: "salary_max", label: "To", kind: "number", get: num(func(c *intake.JobContent) *int64 { return c.Salary.Max })},
		{name: "salary_currency", label: "Currency", kind: "select", codes: intake.SalaryCurrencies, get: str(func(c *intake.JobContent) string { return c.Salary.Currency })},
		{name: "salary_period", label: "Per", kind: "select", codes: intake.SalaryPeriods, get: str(func(c *intake.JobContent) string { return c.Salary.Period })},
	}},
	{"Place of work", []jobFieldSpec{
		{name: "office_id", label: "Office", kind: "select", hint: "One of the organization's offices, or the address below.", get: func(j *intake.Job) string {
			if j.Content.Office.ID != 0 {
				return strconv.FormatInt(j.Content.Office.ID, 10)
			}
			return ""
		}},
		{name: "office_address", label: "Address", kind: "text", get: ownAddress(func(o intake.Office) string { return o.Address })},
		{name: "office_zip_code", label: "Postcode", kind: "text", get: ownAddress(func(o intake.Office) string { return o.ZipCode })},
		{name: "office_city", label: "City", kind: "text", get: ownAddress(func(o intake.Office) string { return o.City })},
		{name: "office_country_code", label: "Country", kind: "text", hint: "Two letters, such as FR.", get: ownAddress(func(o intake.Office) string { return o.CountryCode })},
	}},
	{"What candidates read", []jobFieldSpec{
		{name: "description", label: "Description", kind: "textarea", required: true, hint: "HTML or plain text, as the API takes it.", get: str(func(c *intake.JobContent) string { return c.Description })},
		{name: "profile", label: "Profile sought", kind: "textarea", required: true, get: str(func(c *intake.JobContent) string { return c.Profile })},
		{name: "mission", label: "Mission", kind: "textarea", get: str(func(c *intake.JobContent) string { return c.Mission })},
		{name: "company_description", label: "About the company", kind: "textarea", required: true, get: str(func(c *intake.JobContent) string { return c.CompanyDescription })},
		{name: "recruitment_process", label: "Recruitment process", kind: "textarea", get: str(func(c *intake.JobContent) string { return c.RecruitmentProcess })},
	}},
}

// ownAddress shows a job's own address, not an organization office's
// (which the office select names).
func ownAddress(get func(intake.Office) string) func(*intake.Job) string {
	return func(j *intake.Job) string {
		if j.Content.Office.ID != 0 {
			return ""
		}
		return get(j.Content.Office)
	}
}

// codeLabel turns a vocabulary code into words: FULL_TIME → Full time.
func codeLabel(code string) string {
	s := strings.ToLower(strings.ReplaceAll(code, "_", " "))
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// jobForm builds the form's fields from values (what the visitor sent,
// or the job's) and field errors.
func jobForm(values func(name string) string, org *intake.Org, errs map[string]string) []fieldGroup {
	groups := make([]fieldGroup, 0, len(jobGroups))
	for _, g := range jobGroups {
		fg := fieldGroup{Legend: g.legend}
		for _, sp := range g.fields {
			ff := formField{Name: sp.name, Label: sp.label, Kind: sp.kind, Value: values(sp.name),
				Required: sp.required, Hint: sp.hint, Error: errs[sp.name]}
			switch {
			case sp.name == "office_id":
				ff.Options = []option{{Value: "", Label: "The address below", Selected: ff.Value == ""}}
				for _, o := range org.Content.Offices {
					id := strconv.FormatInt(o.ID, 10)
					label := strings.Join(slices.DeleteFunc([]string{o.Name, o.City}, func(s string) bool { return s == "" }), ", ")
					ff.Options = append(ff.Options, option{Value: id, Label: label, Selected: ff.Value == id})
				}
			case sp.codes != nil:
				ff.Options = []option{{Value: "", Label: "Not said", Selected: ff.Value == ""}}
				known := ff.Value == ""
				for _, c := range sp.codes {
					known = known || c == ff.Value
					ff.Options = append(ff.Options, option{Value: c, Label: codeLabel(c), Selected: c == ff.Value})
				}
				if !known {
					// A legacy code the API accepted stays selectable.
					ff.Options = append(ff.Options, option{Value: ff.Value, Label: ff.Value, Selected: true})
				}
			}
			fg.Fields = append(fg.Fields, ff)
		}
		groups = append(groups, fg)
	}
	return groups
}

// problems lists field errors in the form's order, then any other.
func problems(errs map[string]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, g := range jobGroups {
		for _, sp := range g.fields {
			if e, ok := errs[sp.name]; ok {
				out = append(out, sp.label+": "+e)
				seen[sp.name] = true
			}
		}
	}
	var rest []string
	for name, e := range errs {
		if !seen[name] {
			rest = append(rest, name+" "+e)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// jobInput reads the form into the Service's input, and reports the
// numbers that do not parse as field errors of their own.
func jobInput(form url.Values) (*intake.JobInput, map[string]string) {
	errs := map[string]string{}
	text := func(name string) *string {
		v := strings.ReplaceAll(form.Get(name), "\r\n", "\n")
		return &v
	}
	number := func(name string) **int64 {
		var out *int64
		if v := strings.TrimSpace(form.Get(name)); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				errs[name] = "must be a whole number"
			} else {
				out = &n
			}
		}
		return &out
	}
	in := &intake.JobInput{
		Name:                text("name"),
		ExternalReference:   text("external_reference"),
		Description:         text("description"),
		Profile:             text("profile"),
		Mission:             text("mission"),
		CompanyDescription:  text("company_description"),
		RecruitmentProcess:  text("recruitment_process"),
		ContractType:        text("contract_type"),
		ContractDurationMin: number("contract_duration_min"),
		ContractDurationMax: number("contract_duration_max"),
		ExperienceLevel:     text("experience_level"),
		EducationLevel:      text("education_level"),
		Remote:              text("remote"),
		Language:            text("language"),
		StartDate:           text("start_date"),
		ApplyURL:            text("apply_url"),
		ProfessionReference: text("profession_reference"),
		SalaryMin:           number("salary_min"),
		SalaryMax:           number("salary_max"),
		SalaryCurrency:      text("salary_currency"),
		SalaryPeriod:        text("salary_period"),
	}
	if v := strings.TrimSpace(form.Get("office_id")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			errs["office_id"] = "is not an office of the organization"
		}
		in.OfficeID = &id
	} else {
		in.OfficeAddress, in.OfficeZipCode = text("office_address"), text("office_zip_code")
		in.OfficeCity, in.OfficeCountryCode = text("office_city"), text("office_country_code")
	}
	return in, errs
}

// showNewJob shows the empty job form to admins.
func (h *handler) showNewJob(w http.ResponseWriter, r *http.Request, s *session) {
	if err := s.p.Require(intake.PermManageJobs); err != nil {
		h.writeError(w, r, s, err)
		return
	}
	org, err := h.svc.CurrentOrg(r.Context(), s.p)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	defaults := url.Values{"language": {org.Content.DefaultLanguage}, "company_description": {org.Content.Description}}
	h.renderNewJob(w, r, s, org, http.StatusOK, defaults.Get, nil)
}

func (h *handler) renderNewJob(w http.ResponseWriter, r *http.Request, s *session, org *intake.Org, status int, values func(string) string, errs map[string]string) {
	v := jobFormView{
		layout:   h.layout("New job", s),
		HomeURL:  homePath(s.p.Org.Reference),
		Action:   newJobPath(s.p.Org.Reference),
		Submit:   "Create the job",
		CanEdit:  true,
		Problems: problems(errs),
		Groups:   jobForm(values, org, errs),
	}
	render(h, w, r, status, h.pages.jobForm, v)
}

// createJob creates a draft job from the form, or shows the form again
// with each error next to its field.
func (h *handler) createJob(w http.ResponseWriter, r *http.Request, s *session) {
	form, ok := h.readJobForm(w, r, s, maxJobFormBytes)
	if !ok {
		return
	}
	org, err := h.svc.CurrentOrg(r.Context(), s.p)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	in, errs := jobInput(form)
	if len(errs) > 0 {
		mergeFieldErrors(errs, in.Validate(org, true))
		h.renderNewJob(w, r, s, org, http.StatusUnprocessableEntity, form.Get, errs)
		return
	}
	j, err := h.svc.CreateJob(r.Context(), s.p, s.p.Org.Reference, in)
	if fields := intake.ErrorFields(err); fields != nil {
		h.renderNewJob(w, r, s, org, formStatus(err), form.Get, fields)
		return
	}
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	h.afterJobChange(w, r, s, nil, editJobPath(s.p.Org.Reference, j.Reference), "created")
}

// mergeFieldErrors adds err's field errors to errs, keeping those there.
func mergeFieldErrors(errs map[string]string, err error) {
	for k, v := range intake.ErrorFields(err) {
		if _, ok := errs[k]; !ok {
			errs[k] = v
		}
	}
}

// formStatus is the status of a form shown again with its errors: 422
// for invalid input, the code's own status (409) for a conflict.
func formStatus(err error) int {
	if intake.ErrorCodeOf(err) == intake.EConflict {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// showEditJob shows a job's form: editable for admins, read-only for the
// others.
func (h *handler) showEditJob(w http.ResponseWriter, r *http.Request, s *session) {
	j, err := h.jobOf(r, s)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	org, err := h.svc.CurrentOrg(r.Context(), s.p)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	h.renderEditJob(w, r, s, org, j, http.StatusOK, jobValues(j), nil)
}

// jobValues gives the form's values from a stored job.
func jobValues(j *intake.Job) func(string) string {
	values := map[string]string{}
	for _, g := range jobGroups {
		for _, sp := range g.fields {
			values[sp.name] = sp.get(j)
		}
	}
	return func(name string) string { return values[name] }
}

func (h *handler) renderEditJob(w http.ResponseWriter, r *http.Request, s *session, org *intake.Org, j *intake.Job, status int, values func(string) string, errs map[string]string) {
	nav := h.jobNav(s, j, "edit")
	v := jobFormView{
		layout:   h.layout("Edit "+j.Title, s),
		Nav:      &nav,
		HomeURL:  nav.HomeURL,
		Action:   nav.EditURL,
		Submit:   "Save changes",
		CanEdit:  canEditJobs(s),
		Notice:   noticeOf(r),
		Problems: problems(errs),
		Groups:   jobForm(values, org, errs),
	}
	if j.PublishedAt != nil {
		v.PublishedAt = h.dateTime(*j.PublishedAt)
	}
	if j.ArchivedAt != nil {
		v.ArchivedAt = h.dateTime(*j.ArchivedAt)
	}
	if v.CanEdit {
		statusURL := jobStatusPath(s.p.Org.Reference, j.Reference)
		draft := "Unpublish (back to draft)"
		if j.Archived {
			draft = "Restore as a draft"
		}
		for _, a := range []statusAction{
			{Status: string(intake.JobPublished), Label: "Publish"},
			{Status: string(intake.JobDraft), Label: draft},
			{Status: string(intake.JobArchived), Label: "Archive"},
		} {
			if a.Status != string(j.Status()) {
				a.URL, a.CSRF = statusURL, s.csrf
				v.Statuses = append(v.Statuses, a)
			}
		}
	}
	render(h, w, r, status, h.pages.jobForm, v)
}

// updateJob saves the edited form, or shows it again with its errors.
func (h *handler) updateJob(w http.ResponseWriter, r *http.Request, s *session) {
	form, ok := h.readJobForm(w, r, s, maxJobFormBytes)
	if !ok {
		return
	}
	j, err := h.jobOf(r, s)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	org, err := h.svc.CurrentOrg(r.Context(), s.p)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	in, errs := jobInput(form)
	if len(errs) > 0 {
		mergeFieldErrors(errs, in.Validate(org, false))
		h.renderEditJob(w, r, s, org, j, http.StatusUnprocessableEntity, form.Get, errs)
		return
	}
	_, err = h.svc.UpdateJob(r.Context(), s.p, j.Reference, in)
	if fields := intake.ErrorFields(err); fields != nil {
		h.renderEditJob(w, r, s, org, j, formStatus(err), form.Get, fields)
		return
	}
	h.afterJobChange(w, r, s, err, editJobPath(s.p.Org.Reference, j.Reference), "saved")
}

// setJobStatus publishes, unpublishes or archives a job. The form names
// the status rather than toggling, so that posting it twice changes
// nothing more.
func (h *handler) setJobStatus(w http.ResponseWriter, r *http.Request, s *session) {
	form, ok := h.readJobForm(w, r, s, maxFormBytes)
	if !ok {
		return
	}
	status := form.Get("status")
	if _, known := intake.ParseJobStatus(status); !known {
		h.writeError(w, r, s, intake.Errorf(intake.EInvalid, "Choose draft, published or archived."))
		return
	}
	j, err := h.svc.UpdateJobStatus(r.Context(), s.p, r.PathValue("job"), status)
	if err != nil {
		h.writeError(w, r, s, err)
		return
	}
	h.afterJobChange(w, r, s, nil, editJobPath(s.p.Org.Reference, j.Reference), status)
}
