package careers

import (
	"fmt"
	"strconv"
	"strings"
)

// inputView is one text control of the apply form.
type inputView struct {
	T                               *text
	Name, Label, Type, Autocomplete string
	Value, Error                    string
	Required                        bool
}

// questionControl is a question with the page's wording.
type questionControl struct {
	T *text
	Q questionView
}

func field(t *text, f formView, name, label, typ, autocomplete string, required bool) inputView {
	v := inputView{T: t, Name: name, Label: label, Type: typ, Autocomplete: autocomplete, Required: required, Error: f.Errors[name]}
	switch name {
	case "firstname":
		v.Value = f.Values.Firstname
	case "lastname":
		v.Value = f.Values.Lastname
	case "email":
		v.Value = f.Values.Email
	case "phone":
		v.Value = f.Values.Phone
	}
	return v
}

func question(t *text, q questionView) questionControl { return questionControl{T: t, Q: q} }

// salaryText words a pay range: "32 000 – 38 000 EUR / an".
func salaryText(t *text, s *salaryView) string {
	if s == nil || (s.Min == nil && s.Max == nil) {
		return ""
	}
	var b strings.Builder
	switch {
	case s.Min != nil && s.Max != nil && *s.Min != *s.Max:
		fmt.Fprintf(&b, "%s – %s", amount(t, *s.Min), amount(t, *s.Max))
	case s.Min != nil:
		b.WriteString(amount(t, *s.Min))
	default:
		b.WriteString(amount(t, *s.Max))
	}
	if s.Currency != "" {
		b.WriteString(" " + s.Currency)
	}
	if p := periods[s.Period]; p != [2]string{} {
		if t.Lang == "en" {
			b.WriteString(" / " + p[1])
		} else {
			b.WriteString(" / " + p[0])
		}
	}
	return b.String()
}

var periods = map[string][2]string{"yearly": {"an", "year"}, "monthly": {"mois", "month"}, "daily": {"jour", "day"}}

// amount groups thousands: a space in French, a comma in English.
func amount(t *text, n int64) string {
	s := strconv.FormatInt(n, 10)
	sep := " "
	if t.Lang == "en" {
		sep = ","
	}
	var out []string
	for len(s) > 3 {
		out = append([]string{s[len(s)-3:]}, out...)
		s = s[:len(s)-3]
	}
	return strings.Join(append([]string{s}, out...), sep)
}
