package flatchr

import (
	"strings"

	"intake"
)

// addressJSON is the vacancy's address (spec flatchr §3 address and §12
// #21): the vendor's geocoded members, plus the job's own fields by their
// WelcomeKit names. Every member is a string, "" when unknown.
type addressJSON struct {
	Address                  string `json:"address"`
	ZipCode                  string `json:"zip_code"`
	City                     string `json:"city"`
	CountryCode              string `json:"country_code"`
	Locality                 string `json:"locality"`
	LocationLat              string `json:"location_lat"`
	LocationLng              string `json:"location_lng"`
	PostalCode               string `json:"postal_code"`
	Route                    string `json:"route"`
	StreetNumber             string `json:"street_number"`
	AdministrativeAreaLevel1 string `json:"administrative_area_level_1"`
	AdministrativeAreaLevel2 string `json:"administrative_area_level_2"`
	FormattedAddress         string `json:"formatted_address"`
	Country                  string `json:"country"`
}

// countries names the countries offices are usually in, in French as the
// vendor's examples; others show their ISO code.
var countries = map[string]string{
	"FR": "France", "BE": "Belgique", "CH": "Suisse", "LU": "Luxembourg", "DE": "Allemagne",
	"ES": "Espagne", "IT": "Italie", "PT": "Portugal", "NL": "Pays-Bas", "GB": "Royaume-Uni",
	"IE": "Irlande", "US": "États-Unis", "CA": "Canada", "MA": "Maroc",
}

func countryName(code string) string {
	if name, ok := countries[code]; ok {
		return name
	}
	return code
}

func address(o intake.Office) addressJSON {
	number, route := splitStreet(o.Address)
	return addressJSON{
		Address: o.Address, ZipCode: o.ZipCode, City: o.City, CountryCode: o.CountryCode,
		Locality: o.City, PostalCode: o.ZipCode, Route: route, StreetNumber: number,
		FormattedAddress: formatAddress(o), Country: countryName(o.CountryCode),
	}
}

// splitStreet splits "58 Boulevard Exelmans" into its number and route.
func splitStreet(s string) (number, route string) {
	first, rest, ok := strings.Cut(strings.TrimSpace(s), " ")
	if ok && first != "" && first[0] >= '0' && first[0] <= '9' {
		return first, strings.TrimSpace(rest)
	}
	return "", strings.TrimSpace(s)
}

// formatAddress is the one-line address of the vendor's examples:
// "58 Boulevard Exelmans, 75016 Paris, France".
func formatAddress(o intake.Office) string {
	var parts []string
	if o.Address != "" {
		parts = append(parts, o.Address)
	}
	if town := strings.TrimSpace(o.ZipCode + " " + o.City); town != "" {
		parts = append(parts, town)
	}
	if o.CountryCode != "" {
		parts = append(parts, countryName(o.CountryCode))
	}
	return strings.Join(parts, ", ")
}

// locale is the vacancy language as the vendor writes it (fr_FR).
func locale(lang string) string {
	switch lang {
	case "", "fr":
		return "fr_FR"
	case "en":
		return "en_GB"
	}
	return lang + "_" + strings.ToUpper(lang)
}

// mensuality is the vendor's salary period letter (y yearly, m monthly);
// daily pay has none of its letters, so it is written d.
func mensuality(period string) *string {
	var m string
	switch period {
	case "yearly":
		m = "y"
	case "monthly":
		m = "m"
	case "daily":
		m = "d"
	default:
		return nil
	}
	return &m
}

// experienceYears is the least number of years an experience level asks.
func experienceYears(level string) *int {
	years := map[string]int{
		"LESS_THAN_6_MONTHS": 0, "6_MONTHS_TO_1_YEAR": 0, "1_TO_2_YEARS": 1, "2_TO_3_YEARS": 2,
		"3_TO_4_YEARS": 3, "4_TO_5_YEARS": 4, "5_TO_7_YEARS": 5, "7_TO_10_YEARS": 7,
		"10_TO_15_YEARS": 10, "MORE_THAN_15_YEARS": 15,
	}
	if n, ok := years[level]; ok {
		return &n
	}
	return nil
}
