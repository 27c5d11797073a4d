package intake

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// NewCandidateReference returns `wttj-` + 24 lowercase hex from a CSPRNG, the
// shape of the WelcomeKit seed's references.
func NewCandidateReference() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "wttj-" + hex.EncodeToString(b[:])
}

// NewEncodedID returns a random 16-char base62 id (Flatchr encoded ids).
// Random bytes of 248 or more are skipped so that every character is
// equally likely (248 = 4 × 62).
func NewEncodedID() string {
	var out [16]byte
	var buf [32]byte
	n := 0
	for n < len(out) {
		_, _ = rand.Read(buf[:])
		for _, b := range buf {
			if b < 248 && n < len(out) {
				out[n] = base62[b%62]
				n++
			}
		}
	}
	return string(out[:])
}

// DeriveEncodedID returns a stable 16-char base62 id for a name, so that a
// world file applied to a fresh data dir yields the same vacancy slugs every
// time and integrators can paste them into their clients.
func DeriveEncodedID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	n := new(big.Int).SetBytes(sum[:])
	b := make([]byte, 16)
	m := new(big.Int)
	radix := big.NewInt(int64(len(base62)))
	for i := range b {
		n.DivMod(n, radix, m)
		b[i] = base62[m.Int64()]
	}
	return string(b)
}

// Slugify lowercases s, strips accents and joins words with hyphens:
// "Technicien métrologue H/F" → "technicien-metrologue-h-f".
func Slugify(s string) string {
	var out strings.Builder
	pendingDash := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if pendingDash && out.Len() > 0 {
				out.WriteByte('-')
			}
			pendingDash = false
			out.WriteRune(unicode.ToLower(r))
		default:
			pendingDash = true
		}
	}
	return out.String()
}

// VacancySlug returns the Flatchr slug form `<lowercase encoded id>-<title slug>`.
func VacancySlug(encodedID, title string) string {
	slug := Slugify(title)
	if slug == "" {
		return strings.ToLower(encodedID)
	}
	return strings.ToLower(encodedID) + "-" + slug
}
