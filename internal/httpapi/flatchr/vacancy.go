package flatchr

import (
	"strconv"
	"strings"
	"time"

	"intake"
)

// timeLayout is the vendor's default timestamp: UTC, milliseconds, Z (spec
// flatchr §1 Time formats).
const timeLayout = "2006-01-02T15:04:05.000Z"

func timestamp(t time.Time) string { return t.UTC().Format(timeLayout) }

// diffusionJSON is a vacancy's career-site diffusion (spec flatchr §3
// diffusion; §4 items). Every vacancy has exactly one.
type diffusionJSON struct {
	ID         string      `json:"id"`
	OfferID    int64       `json:"offer_id"`
	ExternalID *string     `json:"external_id"`
	Published  bool        `json:"published"`
	CreatedAt  string      `json:"created_at"`
	Vacancy    vacancyJSON `json:"vacancy"`
	// VacancyID is an integer although the seed's table says string: its
	// examples are integers (spec flatchr §3).
	VacancyID int64 `json:"vacancy_id"`
}

// vacancyJSON is the vacancy object (spec flatchr §3), members in the
// vendor's order. Content fields are strings, "" when empty, and remote a
// string (spec flatchr §12 #21); what the domain does not hold is null, or
// the vendor's default where its schema has no null (flags).
type vacancyJSON struct {
	ID               string         `json:"id"`
	VacancyID        int64          `json:"vacancy_id"`
	Slug             string         `json:"slug"`
	Reference        string         `json:"reference"`
	Title            string         `json:"title"`
	Description      string         `json:"description"`
	Experience       *int           `json:"experience"`
	Mission          string         `json:"mission"`
	Profile          string         `json:"profile"`
	Salary           string         `json:"salary"`
	Status           int            `json:"status"`
	Language         string         `json:"language"`
	Tags             []struct{}     `json:"tags"`
	ContractTypeID   *int64         `json:"contract_type_id"`
	EducationLevelID *int64         `json:"education_level_id"`
	ActivityID       *int           `json:"activity_id"`
	ChannelID        *int           `json:"channel_id"`
	MetierID         *int           `json:"metier_id"`
	CompanyID        int64          `json:"company_id"`
	Mensuality       *string        `json:"mensuality"`
	ApplyURL         *string        `json:"apply_url"`
	Currency         string         `json:"currency"`
	CreatedAt        string         `json:"created_at"`
	UpdatedAt        string         `json:"updated_at"`
	StartDate        *string        `json:"start_date"`
	EndDate          *string        `json:"end_date"`
	DriverLicense    bool           `json:"driver_license"`
	Remote           string         `json:"remote"`
	Handicap         bool           `json:"handicap"`
	Partial          bool           `json:"partial"`
	Kanban           bool           `json:"kanban"`
	MetaTitle        *string        `json:"meta_title"`
	MetaDescription  *string        `json:"meta_description"`
	MetaTags         *string        `json:"meta_tags"`
	Options          *struct{}      `json:"options"`
	ContractType     string         `json:"contract_type"`
	EducationLevel   string         `json:"education_level"`
	Activity         string         `json:"activity"`
	Channel          string         `json:"channel"`
	Metier           string         `json:"metier"`
	Address          addressJSON    `json:"address"`
	AddressFormatted string         `json:"addressFormatted"`
	Company          companyJSON    `json:"company"`
	SlugMail         string         `json:"slug_mail"`
	Questions        []questionJSON `json:"questions"`
}

// companyJSON is the company object (spec flatchr §3).
type companyJSON struct {
	ID               string    `json:"id"`
	Name             string    `json:"name"`
	Description      string    `json:"description"`
	Slug             string    `json:"slug"`
	Size             *string   `json:"size"`
	Email            *string   `json:"email"`
	Web              string    `json:"web"`
	Phone            *string   `json:"phone"`
	Status           int       `json:"status"`
	Siren            *string   `json:"siren"`
	Hosts            *string   `json:"hosts"`
	VATNumber        *string   `json:"vat_number"`
	Hunter           bool      `json:"hunter"`
	Public           bool      `json:"public"`
	ActivityID       *int      `json:"activity_id"`
	CreatedAt        string    `json:"created_at"`
	Hiddens          *struct{} `json:"hiddens"`
	SharedApplicants bool      `json:"shared_applicants"`
	Shields          *struct{} `json:"shields"`
	IPAddresses      *string   `json:"ip_addresses"`
	BillingName      *string   `json:"billing_name"`
	RetentionPolicy  *string   `json:"retention_policy"`
	Activity         *struct{} `json:"activity"`
	MetaLogo         string    `json:"meta_logo"`
	Logo             string    `json:"logo"`
	Address          *struct{} `json:"address"`
	AddressFormatted *string   `json:"addressFormatted"`
}

// questionJSON is a question of a vacancy's application form (spec flatchr
// §3 question).
type questionJSON struct {
	ID                   string  `json:"id"`
	Text                 string  `json:"text"`
	Type                 string  `json:"type"`
	Required             bool    `json:"required"`
	Options              string  `json:"options"`
	Position             int     `json:"position"`
	Size                 *int    `json:"size"`
	DefaultValue         *string `json:"default_value"`
	ParentQuestion       *string `json:"parent_question"`
	ParentAnswerExpected *string `json:"parent_answer_expected"`
}

// diffusion renders the career-site diffusion of job. Its key is derived
// from the organization and job references so that it is stable across
// restarts, like every encoded id of a world.
func diffusion(org *intake.Org, job *intake.Job) diffusionJSON {
	return diffusionJSON{
		ID:        intake.DeriveEncodedID("diffusion", org.Reference, job.Reference),
		OfferID:   job.ID,
		Published: job.Published,
		CreatedAt: timestamp(job.CreatedAt),
		Vacancy:   vacancy(org, job),
		VacancyID: job.ID,
	}
}

func vacancy(org *intake.Org, job *intake.Job) vacancyJSON {
	status := 1
	if job.Archived {
		status = 0
	}
	questions := make([]questionJSON, len(job.Questions))
	for i, q := range job.Questions {
		questions[i] = questionJSON{
			ID:       q.ID,
			Text:     q.Text,
			Type:     q.Type,
			Required: q.Required,
			Options:  strings.Join(q.Options, ";"),
			Position: q.Position,
		}
	}
	c := &job.Content
	v := vacancyJSON{
		ID:          job.VacancyKey,
		VacancyID:   job.ID,
		Slug:        job.VacancySlug,
		Reference:   job.Reference,
		Title:       job.Title,
		Description: c.Description,
		Experience:  experienceYears(c.ExperienceLevel),
		Mission:     c.Mission,
		Profile:     c.Profile,
		Status:      status,
		Language:    locale(c.Language),
		Tags:        []struct{}{},
		CompanyID:   org.ID,
		Mensuality:  mensuality(c.Salary.Period),
		Currency:    "EUR",
		CreatedAt:   timestamp(job.CreatedAt),
		UpdatedAt:   timestamp(job.UpdatedAt),
		Remote:      c.Remote,
		Partial:     c.ContractType == "PART_TIME",
		// Every vacancy has a pipeline of stages: the kanban.
		Kanban:           len(job.Stages) > 0,
		Address:          address(c.Office),
		AddressFormatted: formatAddress(c.Office),
		Company:          company(org),
		SlugMail:         slugMail(org, job),
		Questions:        questions,
	}
	if c.Salary.Min != nil {
		v.Salary = strconv.FormatInt(*c.Salary.Min, 10)
	}
	if c.Salary.Currency != "" {
		v.Currency = c.Salary.Currency
	}
	if c.ApplyURL != "" {
		v.ApplyURL = &c.ApplyURL
	}
	if d, err := time.Parse(time.DateOnly, c.StartDate); err == nil {
		s := timestamp(d)
		v.StartDate = &s
	}
	if e, ok := refs.contractByCode[c.ContractType]; ok {
		v.ContractTypeID, v.ContractType = &e.ID, e.FR
	}
	if e, ok := refs.educationByCode[c.EducationLevel]; ok {
		v.EducationLevelID, v.EducationLevel = &e.ID, e.FR
	}
	return v
}

func company(org *intake.Org) companyJSON {
	return companyJSON{
		ID:          org.CompanyKey,
		Name:        org.Name,
		Description: org.Content.Description,
		Web:         org.Content.Website,
		MetaLogo:    org.Content.LogoURL,
		Logo:        org.Content.LogoURL,
		Slug:        org.Slug,
		Status:      1,
		Public:      true,
		CreatedAt:   timestamp(org.CreatedAt),
	}
}

// slugMail derives the vacancy's 6-char lowercase base36 mail slug (spec
// flatchr §1 Identifiers: `dk435w`); lowercased base62 is base36.
func slugMail(org *intake.Org, job *intake.Job) string {
	return strings.ToLower(intake.DeriveEncodedID("slug_mail", org.Reference, job.Reference)[:6])
}
