package careers

import (
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"

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
	c := org.Content
	b := brandView{
		Name: org.Name, Slug: org.Slug, Description: richText(c.Description),
		LogoURL: webURL(c.LogoURL), PrivacyURL: webURL(c.PrivacyURL), Website: webURL(c.Website),
		Language: "fr",
	}
	if c.DefaultLanguage == "en" || strings.HasPrefix(c.DefaultLanguage, "en-") || strings.HasPrefix(c.DefaultLanguage, "en_") {
		b.Language = "en"
	}
	b.Accent, b.OnAccent = theme(c.Color)
	return b
}

// jobContent returns j as its page shows it: its summary and its texts.
func jobContent(org *intake.Org, j *intake.Job) jobView {
	v := jobSummary(org, j)
	c := j.Content
	v.Description, v.Profile, v.Mission = richText(c.Description), richText(c.Profile), richText(c.Mission)
	v.Company, v.Process = richText(c.CompanyDescription), richText(c.RecruitmentProcess)
	return v
}

// jobSummary returns j as the list and the feeds show it: without its
// texts, whose sanitizing would cost a list of a thousand jobs 100 ms.
func jobSummary(org *intake.Org, j *intake.Job) jobView {
	c := j.Content
	office := c.Office
	if office.IsZero() && len(org.Content.Offices) > 0 {
		// A job without an address works at the organization's
		// headquarters, else at its first office.
		office = org.Content.Offices[0]
		for _, o := range org.Content.Offices {
			if o.IsHeadquarter {
				office = o
				break
			}
		}
	}
	v := jobView{
		ID: j.ID, Title: j.Title, Slug: j.VacancySlug, Reference: j.Reference,
		Path:         "/careers/" + org.Slug + "/" + j.VacancySlug + "/",
		ContractType: c.ContractType, Remote: c.Remote, City: office.City,
		Office:    officeView{Address: office.Address, ZipCode: office.ZipCode, City: office.City, CountryCode: office.CountryCode},
		StartDate: c.StartDate,
		Posted:    j.CreatedAt, Updated: j.UpdatedAt,
		Questions: j.Questions,
	}
	if j.PublishedAt != nil {
		v.Posted = *j.PublishedAt
	}
	if c.Salary.Min != nil || c.Salary.Max != nil {
		v.Salary = &salaryView{Min: c.Salary.Min, Max: c.Salary.Max, Currency: c.Salary.Currency, Period: c.Salary.Period}
	}
	return v
}

// policy keeps the formatting of job and organization texts (paragraphs,
// lists, emphasis, links) and drops everything else: the texts come from
// API clients and world files, and are shown to the public.
var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "u", "h3", "h4", "blockquote")
	p.AllowStandardURLs()
	p.AllowAttrs("href").OnElements("a")
	p.RequireNoFollowOnLinks(true)
	return p
}()

// richText returns s as safe HTML: s is HTML when it has markup, else plain
// text whose blank lines separate paragraphs.
func richText(s string) template.HTML {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if !strings.ContainsRune(s, '<') {
		var b strings.Builder
		for para := range strings.SplitSeq(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
			if para = strings.TrimSpace(para); para != "" {
				b.WriteString("<p>" + strings.ReplaceAll(template.HTMLEscapeString(para), "\n", "<br>") + "</p>")
			}
		}
		return template.HTML(b.String())
	}
	return template.HTML(policy.Sanitize(s))
}

// webURL keeps http(s) URLs only: a logo or privacy link is shown to every
// visitor.
func webURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return u.String()
}
