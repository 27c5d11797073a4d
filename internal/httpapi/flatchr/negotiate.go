package flatchr

import (
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// wantsJSON says whether a post to /custom is answered in JSON rather than
// with a page: when the client spoke JSON, or its Accept header ranks
// application/json above text/html. A browser's form post does neither.
func wantsJSON(r *http.Request) bool {
	if media, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && media == mediaJSON {
		return true
	}
	accept := strings.Join(r.Header.Values("Accept"), ",")
	return quality(accept, mediaSpecificity(mediaJSON)) > quality(accept, mediaSpecificity("text/html"))
}

// pageLanguage picks the pages' language: English when Accept-Language
// ranks it above French, else French, the vendor's language.
func pageLanguage(r *http.Request) string {
	header := strings.Join(r.Header.Values("Accept-Language"), ",")
	if quality(header, languageSpecificity("en")) > quality(header, languageSpecificity("fr")) {
		return "en"
	}
	return "fr"
}

// quality returns the q-value an Accept-style header gives a value: that of
// the most specific range matching it, 0 when none does. specificity rates
// how closely a range matches (0: not at all).
func quality(header string, specificity func(rng string) int) float64 {
	best, q := 0, 0.0
	for item := range strings.SplitSeq(header, ",") {
		rng, params, _ := strings.Cut(item, ";")
		s := specificity(strings.ToLower(strings.TrimSpace(rng)))
		if s == 0 || s < best {
			continue
		}
		v := 1.0
		for p := range strings.SplitSeq(params, ";") {
			if k, val, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil && f >= 0 && f <= 1 {
					v = f
				}
			}
		}
		if s > best || v > q {
			best, q = s, v
		}
	}
	return q
}

func mediaSpecificity(media string) func(string) int {
	major, _, _ := strings.Cut(media, "/")
	return func(rng string) int {
		switch rng {
		case media:
			return 3
		case major + "/*":
			return 2
		case "*/*":
			return 1
		}
		return 0
	}
}

func languageSpecificity(lang string) func(string) int {
	return func(rng string) int {
		switch {
		case rng == lang || strings.HasPrefix(rng, lang+"-"):
			return 2
		case rng == "*":
			return 1
		}
		return 0
	}
}
