package intake

import (
	"net/mail"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// validName checks a first or last name: non-blank, bounded, and, when
// letterRequired, containing at least one Unicode letter (the Flatchr
// pattern /[a-zA-Z]/ read as "has a letter", spec flatchr §12 #3).
func validName(f fieldErrors, field, v string, letterRequired bool) {
	switch {
	case strings.TrimSpace(v) == "":
		f.add(field, "can't be blank")
	case utf8.RuneCountInString(v) > MaxNameLength:
		f.add(field, "is too long (maximum is 255 characters)")
	case letterRequired && strings.IndexFunc(v, unicode.IsLetter) < 0:
		f.add(field, "must contain a letter")
	case !utf8.ValidString(v) || strings.ContainsFunc(v, unicode.IsControl):
		f.add(field, "contains invalid characters")
	}
}

// validEmail checks a bare address (no display name, no angle brackets).
func validEmail(f fieldErrors, field, v string) {
	if len(v) > MaxEmailLength {
		f.add(field, "is too long (maximum is 254 characters)")
		return
	}
	addr, err := mail.ParseAddress(v)
	if err != nil || addr.Address != v || addr.Name != "" || !strings.Contains(v[strings.LastIndexByte(v, '@')+1:], ".") {
		f.add(field, "is invalid")
	}
}

// validText checks an optional free text against a length limit in runes.
func validText(f fieldErrors, field, v string, limit int) {
	if !utf8.ValidString(v) {
		f.add(field, "is not valid UTF-8")
		return
	}
	if utf8.RuneCountInString(v) > limit {
		f.add(field, "is too long")
	}
}

// validURL checks an optional absolute http(s) URL.
func validURL(f fieldErrors, field, v string) {
	if v == "" {
		return
	}
	if len(v) > MaxURLLength {
		f.add(field, "is too long")
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		f.add(field, "must be an http or https URL")
	}
}

// NormalizeCivility returns the canonical form of a WelcomeKit civility
// (spec welcomekit §9 #4) and whether it is allowed.
func NormalizeCivility(v string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "mr":
		return "Mr", true
	case "ms":
		return "Ms", true
	}
	return "", false
}

// NormalizeTags trims, drops empties and dedupes (case-sensitively, keeping
// the first spelling) a list of tags.
func NormalizeTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}

func validTags(f fieldErrors, field string, tags []string) {
	if len(tags) > MaxTags {
		f.add(field, "has too many tags (maximum is 50)")
		return
	}
	for _, t := range tags {
		if utf8.RuneCountInString(t) > MaxShortText || !utf8.ValidString(t) {
			f.add(field, "has a tag that is too long")
			return
		}
	}
}

// MediaNetworks lists the profile link keys the domain knows (WelcomeKit
// media_* names; Flatchr's urls map onto them, its `other` onto "other").
var MediaNetworks = []string{
	"website", "github", "stackoverflow", "dribbble", "behance", "linkedin",
	"facebook", "instagram", "medium", "tumblr", "vimeo", "twitter", "other",
}

func validMedia(f fieldErrors, fieldPrefix string, media map[string]string) {
	for k, v := range media {
		validURLish(f, fieldPrefix+k, v)
	}
}

// validURLish accepts profile links as clients send them: bounded text, no
// control characters. Vendors do not validate them and real clients send
// handles or scheme-less hosts.
func validURLish(f fieldErrors, field, v string) {
	if len(v) > MaxURLLength {
		f.add(field, "is too long")
		return
	}
	if !utf8.ValidString(v) || strings.ContainsFunc(v, unicode.IsControl) {
		f.add(field, "contains invalid characters")
	}
}
