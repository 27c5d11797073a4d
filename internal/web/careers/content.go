package careers

import (
	"html/template"
	"time"

	"intake"
)

// brandView is an organization as its site shows it.
type brandView struct {
	Name        string
	Slug        string
	Description template.HTML
	LogoURL     string
	// Accent is a #rrggbb colour, the site's default when the
	// organization's is missing or unusable; OnAccent the text colour
	// readable on it.
	Accent     string
	OnAccent   string
	PrivacyURL string
	Website    string
	Language   string
}

// jobView is a job's content as its page, the list and the feeds show it.
type jobView struct {
	ID           int64
	Title        string
	Slug         string
	Reference    string
	Path         string // the page's path, /careers/{org}/{vacancy}/
	Description  template.HTML
	Profile      template.HTML
	Mission      template.HTML
	Company      template.HTML
	Process      template.HTML
	ContractType string // the WelcomeKit contract type code, e.g. FULL_TIME
	Contract     string // its label
	Remote       string // fulltime | partial | punctual | no | ""
	RemoteLabel  string
	City         string
	Office       officeView
	Salary       *salaryView
	StartDate    string // YYYY-MM-DD
	Posted       time.Time
	Updated      time.Time
	ValidThrough *time.Time
	Questions    []intake.Question
}

type officeView struct {
	Address, ZipCode, City, CountryCode string
}

func (o officeView) IsZero() bool { return o == officeView{} }

type salaryView struct {
	Min, Max         *int64
	Currency, Period string
}

// defaultAccent is the clean default theme's colour: dark enough on white
// for WCAG AA contrast with white text on it.
const defaultAccent = "#1f5fbf"

// brand returns org as its site shows it.
func brand(org *intake.Org) brandView {
	b := brandView{Name: org.Name, Slug: org.Slug, Language: "fr"}
	b.Accent, b.OnAccent = theme("")
	return b
}

// jobContent returns j as the site shows it.
func jobContent(org *intake.Org, j *intake.Job) jobView {
	v := jobView{
		ID: j.ID, Title: j.Title, Slug: j.VacancySlug, Reference: j.Reference,
		Path:   "/careers/" + org.Slug + "/" + j.VacancySlug + "/",
		Posted: j.CreatedAt, Updated: j.UpdatedAt,
		Questions: j.Questions,
	}
	return v
}
