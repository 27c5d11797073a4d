package flatchr

import (
	"mime"
	"net/http"
	"strings"

	"github.com/munnerz/goautoneg"
	"golang.org/x/text/language"
)

// wantsJSON says whether a post to /custom is answered in JSON rather than
// with a page: when the client spoke JSON, or its Accept header ranks
// application/json above text/html. A browser's form post does neither.
func wantsJSON(r *http.Request) bool {
	if media, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && media == mediaJSON {
		return true
	}
	ranges := goautoneg.ParseAccept(strings.Join(r.Header.Values("Accept"), ","))
	return quality(ranges, "application", "json") > quality(ranges, "text", "html")
}

// quality returns the q-value the Accept ranges give a media type: that of
// the most specific range matching it (RFC 9110 §12.5.1), 0 when none
// does.
func quality(ranges []goautoneg.Accept, typ, sub string) float64 {
	best, q := 0, 0.0
	for _, rng := range ranges {
		specificity := 0
		switch {
		case strings.EqualFold(rng.Type, typ) && strings.EqualFold(rng.SubType, sub):
			specificity = 3
		case strings.EqualFold(rng.Type, typ) && rng.SubType == "*":
			specificity = 2
		case rng.Type == "*" && rng.SubType == "*":
			specificity = 1
		}
		if specificity > best || (specificity == best && specificity > 0 && rng.Q > q) {
			best, q = specificity, rng.Q
		}
	}
	return q
}

// pageLanguages are the pages' languages, French first: the vendor's, and
// the answer when Accept-Language names neither.
var pageLanguages = language.NewMatcher([]language.Tag{language.French, language.English})

// pageLanguage picks the pages' language from Accept-Language: English
// when the client prefers it to French, else French.
func pageLanguage(r *http.Request) string {
	tags, _, err := language.ParseAcceptLanguage(strings.Join(r.Header.Values("Accept-Language"), ","))
	if err != nil || len(tags) == 0 {
		return "fr"
	}
	if _, i, _ := pageLanguages.Match(tags...); i == 1 {
		return "en"
	}
	return "fr"
}
