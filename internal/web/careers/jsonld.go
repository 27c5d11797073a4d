package careers

import (
	"encoding/json"
	"html/template"
	"strings"
)

// jobPostingLD is the schema.org JobPosting of a job page. Its properties
// are the ones search engines require or recommend (docs/CAREERS.md lists
// them; jsonld_test.go checks every page against that list).
type jobPostingLD struct {
	Context            string          `json:"@context"`
	Type               string          `json:"@type"`
	Title              string          `json:"title"`
	Description        string          `json:"description"`
	DatePosted         string          `json:"datePosted"`
	ValidThrough       string          `json:"validThrough,omitempty"`
	EmploymentType     string          `json:"employmentType,omitempty"`
	HiringOrganization organizationLD  `json:"hiringOrganization"`
	JobLocation        *placeLD        `json:"jobLocation,omitempty"`
	JobLocationType    string          `json:"jobLocationType,omitempty"`
	ApplicantLocation  *countryLD      `json:"applicantLocationRequirements,omitempty"`
	BaseSalary         *salaryLD       `json:"baseSalary,omitempty"`
	DirectApply        bool            `json:"directApply"`
	Identifier         propertyValueLD `json:"identifier"`
	URL                string          `json:"url"`
	JobStartDate       string          `json:"jobStartDate,omitempty"`
}

type organizationLD struct {
	Type   string `json:"@type"`
	Name   string `json:"name"`
	SameAs string `json:"sameAs,omitempty"`
	Logo   string `json:"logo,omitempty"`
}

type placeLD struct {
	Type    string    `json:"@type"`
	Address addressLD `json:"address"`
}

type addressLD struct {
	Type            string `json:"@type"`
	StreetAddress   string `json:"streetAddress,omitempty"`
	AddressLocality string `json:"addressLocality,omitempty"`
	PostalCode      string `json:"postalCode,omitempty"`
	AddressCountry  string `json:"addressCountry,omitempty"`
}

type countryLD struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

type salaryLD struct {
	Type     string         `json:"@type"`
	Currency string         `json:"currency"`
	Value    quantitativeLD `json:"value"`
}

type quantitativeLD struct {
	Type     string `json:"@type"`
	MinValue *int64 `json:"minValue,omitempty"`
	MaxValue *int64 `json:"maxValue,omitempty"`
	Value    *int64 `json:"value,omitempty"`
	UnitText string `json:"unitText"`
}

type propertyValueLD struct {
	Type  string `json:"@type"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// employmentTypes maps the WelcomeKit contract types to schema.org's.
var employmentTypes = map[string]string{
	"FULL_TIME": "FULL_TIME", "PART_TIME": "PART_TIME", "TEMPORARY": "TEMPORARY",
	"FREELANCE": "CONTRACTOR", "IDV": "CONTRACTOR", "INTERNSHIP": "INTERN",
	"APPRENTICESHIP": "OTHER", "VIE": "TEMPORARY", "VOLUNTEER": "VOLUNTEER", "OTHER": "OTHER",
	"CDI": "FULL_TIME", "CDD": "TEMPORARY",
}

// salaryUnits maps salary periods to schema.org unit texts.
var salaryUnits = map[string]string{"yearly": "YEAR", "monthly": "MONTH", "daily": "DAY"}

// jobPosting encodes a job's JobPosting for its page's <script> element.
// encoding/json escapes <, > and &, so the text cannot close the element.
func jobPosting(base string, b brandView, v jobView) template.JS {
	ld := jobPostingLD{
		Context: "https://schema.org", Type: "JobPosting",
		Title: v.Title, Description: postingDescription(v),
		DatePosted:         v.Posted.UTC().Format("2006-01-02"),
		EmploymentType:     employmentTypes[v.ContractType],
		HiringOrganization: organizationLD{Type: "Organization", Name: b.Name, SameAs: b.Website, Logo: b.LogoURL},
		DirectApply:        true,
		Identifier:         propertyValueLD{Type: "PropertyValue", Name: b.Name, Value: v.Reference},
		URL:                base + v.Path,
		JobStartDate:       v.StartDate,
	}
	if v.ValidThrough != nil {
		ld.ValidThrough = v.ValidThrough.UTC().Format("2006-01-02T15:04:05Z")
	}
	if !v.Office.IsZero() {
		ld.JobLocation = &placeLD{Type: "Place", Address: addressLD{Type: "PostalAddress",
			StreetAddress: v.Office.Address, AddressLocality: v.Office.City, PostalCode: v.Office.ZipCode,
			AddressCountry: v.Office.CountryCode}}
	}
	if v.Remote == "fulltime" {
		ld.JobLocationType = "TELECOMMUTE"
		country := v.Office.CountryCode
		if country == "" {
			country = "FR"
		}
		ld.ApplicantLocation = &countryLD{Type: "Country", Name: country}
	}
	if s := v.Salary; s != nil && (s.Min != nil || s.Max != nil) && s.Currency != "" && salaryUnits[s.Period] != "" {
		q := quantitativeLD{Type: "QuantitativeValue", MinValue: s.Min, MaxValue: s.Max, UnitText: salaryUnits[s.Period]}
		if s.Min != nil && s.Max != nil && *s.Min == *s.Max {
			q = quantitativeLD{Type: "QuantitativeValue", Value: s.Min, UnitText: q.UnitText}
		}
		ld.BaseSalary = &salaryLD{Type: "MonetaryAmount", Currency: s.Currency, Value: q}
	}
	out, err := json.Marshal(ld)
	if err != nil {
		// Only strings, numbers and bools: Marshal cannot fail.
		panic(err)
	}
	return template.JS(out)
}

// postingDescription is the job's HTML description for search engines: its
// content sections, or its summary when it has none (the property is
// required).
func postingDescription(v jobView) string {
	var parts []string
	for _, s := range []template.HTML{v.Description, v.Mission, v.Profile} {
		if strings.TrimSpace(string(s)) != "" {
			parts = append(parts, string(s))
		}
	}
	if len(parts) == 0 {
		return "<p>" + template.HTMLEscapeString(summary(v)) + "</p>"
	}
	return strings.Join(parts, "\n")
}
