package careers

import (
	"html/template"
	"math"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// pageMeta is what every page's layout shows: language, wording, branding
// and the discovery tags.
type pageMeta struct {
	T           *text
	Brand       brandView
	Title       string
	Description string
	// Canonical is the page's absolute URL from --public-url; OGType its
	// Open Graph type.
	Canonical string
	OGType    string
	// Home is the path of the organization's job list, FeedURL its feed.
	Home    string
	FeedURL string
	// JSONLD is the page's schema.org data, already encoded.
	JSONLD template.JS
}

func (h *Handler) meta(r *http.Request, b brandView, t *text, title, path string) pageMeta {
	base := h.base(r)
	return pageMeta{
		T: t, Brand: b, Title: title, Canonical: base + path, OGType: "website",
		Home: "/careers/" + b.Slug + "/", FeedURL: base + "/careers/" + b.Slug + "/feed.atom",
	}
}

// contractLabels name the WelcomeKit contract types in both languages;
// other codes show as given.
var contractLabels = map[string][2]string{
	"FULL_TIME":      {"CDI", "Permanent"},
	"PART_TIME":      {"Temps partiel", "Part-time"},
	"TEMPORARY":      {"CDD", "Fixed-term"},
	"FREELANCE":      {"Freelance", "Freelance"},
	"INTERNSHIP":     {"Stage", "Internship"},
	"APPRENTICESHIP": {"Alternance", "Apprenticeship"},
	"VIE":            {"VIE", "VIE"},
	"VOLUNTEER":      {"Bénévolat", "Volunteer"},
	"IDV":            {"Indépendant", "Self-employed"},
	"OTHER":          {"Autre", "Other"},
}

// localize fills the labels of a job's codes in t's language.
func localize(v *jobView, t *text) {
	v.Contract = v.ContractType
	if l, ok := contractLabels[v.ContractType]; ok {
		if t.Lang == "en" {
			v.Contract = l[1]
		} else {
			v.Contract = l[0]
		}
	}
	switch v.Remote {
	case "fulltime":
		v.RemoteLabel = t.RemoteFull
	case "partial":
		v.RemoteLabel = t.RemotePartial
	case "punctual":
		v.RemoteLabel = t.RemotePunctual
	case "no":
		v.RemoteLabel = t.RemoteNo
	}
}

// hexColor accepts #rgb and #rrggbb colours, the only ones the page's
// style takes from the world file.
var hexColor = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// funcs are the templates' helpers.
var funcs = template.FuncMap{
	"date": func(t *text, d time.Time) string {
		if t.Lang == "en" {
			return d.Format("January 2, 2006")
		}
		return d.Format("02/01/2006")
	},
	"isoDate":  func(d time.Time) string { return d.UTC().Format("2006-01-02") },
	"upper":    strings.ToUpper,
	"field":    field,
	"question": question,
	"salary":   salaryText,
	"fieldID":  func(name string) string { return "f-" + strings.NewReplacer("[", "-", "]", "").Replace(name) },
}

// theme returns the page's accent colour and the text colour readable on
// it: white or near-black, whichever contrasts more (WCAG relative
// luminance), so that any organization colour keeps the header and the
// buttons legible.
func theme(color string) (accent, onAccent string) {
	if !hexColor.MatchString(color) {
		color = defaultAccent
	}
	c := strings.ToLower(color[1:])
	if len(c) == 3 {
		c = string([]byte{c[0], c[0], c[1], c[1], c[2], c[2]})
	}
	var lum float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		var v int
		for _, ch := range c[2*i : 2*i+2] {
			v = v*16 + strings.IndexRune("0123456789abcdef", ch)
		}
		s := float64(v) / 255
		if s <= 0.03928 {
			s /= 12.92
		} else {
			s = math.Pow((s+0.055)/1.055, 2.4)
		}
		lum += w * s
	}
	// Contrast with white is 1.05/(L+0.05), with #111 (L≈0.0056) is
	// (L+0.05)/0.0556: white wins below L≈0.18.
	if 1.05/(lum+0.05) >= (lum+0.05)/0.0556 {
		return "#" + c, "#ffffff"
	}
	return "#" + c, "#111111"
}
