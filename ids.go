package intake

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math/bits"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// NewCandidateReference returns `wttj-` + 24 lowercase hex, the shape of the
// WelcomeKit seed's references: 6 bytes of the current Unix time in
// milliseconds, then 6 bytes from a CSPRNG.
//
// The vendor's are 12 random bytes. The time prefix makes references of
// new candidates sort after older ones, so the store's unique index on
// them grows at its end: fully random keys dirty one index page per
// create, which was a third of what each commit wrote. Clients treat
// references as opaque; 48 random bits still make them unguessable within
// a millisecond, and the store's unique constraint rejects a repeat.
func NewCandidateReference() string {
	var b [12]byte
	putMillis48(b[:6], time.Now())
	_, _ = rand.Read(b[6:])
	return "wttj-" + hex.EncodeToString(b[:])
}

// NewApplicantKey returns a 16-char base62 id for an application (the
// Flatchr applicant's encoded id): 8 chars of the current Unix time in
// milliseconds, then 8 random ones, for the reason NewCandidateReference
// gives. base62's alphabet is in ASCII order, so the keys sort by time.
func NewApplicantKey() string {
	var out [16]byte
	ms := uint64(max(time.Now().UnixMilli(), 0))
	for i := 7; i >= 0; i-- {
		out[i] = base62[ms%62]
		ms /= 62
	}
	randomBase62(out[8:])
	return string(out[:])
}

func putMillis48(dst []byte, t time.Time) {
	ms := uint64(max(t.UnixMilli(), 0))
	for i := 5; i >= 0; i-- {
		dst[i] = byte(ms)
		ms >>= 8
	}
}

// NewEncodedID returns a random 16-char base62 id (Flatchr encoded ids).
// Random bytes of 248 or more are skipped so that every character is
// equally likely (248 = 4 × 62).
func NewEncodedID() string {
	var out [16]byte
	randomBase62(out[:])
	return string(out[:])
}

func randomBase62(out []byte) {
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
}

// DeriveEncodedID returns a stable 16-char base62 id for a name, so that a
// world file applied to a fresh data dir yields the same vacancy slugs every
// time and integrators can paste them into their clients.
func DeriveEncodedID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	// The digest as a 256-bit big-endian number, least significant base62
	// digit first. Fixed-width long division: every Flatchr answer derives
	// two of these, and math/big allocated and divided at a tenth the speed.
	var n [4]uint64
	for i := range n {
		n[i] = binary.BigEndian.Uint64(sum[8*i:])
	}
	b := make([]byte, 16)
	for i := range b {
		var rem uint64
		for j := range n {
			n[j], rem = bits.Div64(rem, n[j], uint64(len(base62)))
		}
		b[i] = base62[rem]
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
