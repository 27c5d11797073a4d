package intake

import (
	"crypto/sha256"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSlugify(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"seed title", "Technicien métrologue H/F", "technicien-metrologue-h-f"},
		{"spec example", "Account Executive SaaS H/F", "account-executive-saas-h-f"},
		{"punctuation runs", "  C++ / Go -- dev!  ", "c-go-dev"},
		{"only symbols", "¿¡!", ""},
		{"ligatures and cedilla", "Chef de cuisine à Besançon", "chef-de-cuisine-a-besancon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Slugify(tt.in); got != tt.want {
				t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestVacancySlug(t *testing.T) {
	if got, want := VacancySlug("z7gWQnjq6gdJRakA", "Account Executive SaaS H/F"), "z7gwqnjq6gdjraka-account-executive-saas-h-f"; got != want {
		t.Errorf("VacancySlug = %q, want %q (spec flatchr §1 example)", got, want)
	}
}

func TestReferenceShapes(t *testing.T) {
	ref := regexp.MustCompile(`^wttj-[0-9a-f]{24}$`)
	enc := regexp.MustCompile(`^[0-9A-Za-z]{16}$`)
	seen := map[string]bool{}
	for range 1000 {
		r := NewCandidateReference()
		if !ref.MatchString(r) {
			t.Fatalf("reference %q does not match %s", r, ref)
		}
		if seen[r] {
			t.Fatalf("reference %q repeated", r)
		}
		seen[r] = true
		if k := NewEncodedID(); !enc.MatchString(k) {
			t.Fatalf("encoded id %q does not match %s", k, enc)
		}
		if k := NewApplicantKey(); !enc.MatchString(k) || seen[k] {
			t.Fatalf("applicant key %q does not match %s or repeats", k, enc)
		} else {
			seen[k] = true
		}
	}
	a, b := DeriveEncodedID("vacancy", "Pg4eV6k", "WTTJ_KmqkD1Y"), DeriveEncodedID("vacancy", "Pg4eV6k", "WTTJ_KmqkD1Y")
	if a != b || !enc.MatchString(a) {
		t.Errorf("DeriveEncodedID not stable or malformed: %q %q", a, b)
	}
	if DeriveEncodedID("vacancy", "Pg4eV6k", "WTTJ_KmqkD1Z") == a {
		t.Error("DeriveEncodedID ignores its input")
	}
	// Derived ids are in users' worlds and clients: a faster derivation
	// must give the same ids as the first one, math/big's repeated DivMod.
	for i := range 2000 {
		parts := []string{"vacancy", strconv.Itoa(i), strings.Repeat("é", i%7)}
		if got, want := DeriveEncodedID(parts...), bigDerivedID(parts...); got != want {
			t.Fatalf("DeriveEncodedID(%q) = %q, want %q", parts, got, want)
		}
	}
}

// bigDerivedID is DeriveEncodedID as first written, with math/big.
func bigDerivedID(parts ...string) string {
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

// TestIDsSortByTime checks the time prefix that keeps the store's indexes
// on references and applicant keys growing at their end.
func TestIDsSortByTime(t *testing.T) {
	r1, k1 := NewCandidateReference(), NewApplicantKey()
	time.Sleep(2 * time.Millisecond)
	r2, k2 := NewCandidateReference(), NewApplicantKey()
	if r1 >= r2 || k1 >= k2 {
		t.Errorf("later ids do not sort after earlier ones: %s %s, %s %s", r1, r2, k1, k2)
	}
	// The prefix is the time, not a counter: it decodes to now.
	ms, err := strconv.ParseInt(r2[5:17], 16, 64)
	if err != nil || time.Since(time.UnixMilli(ms)).Abs() > time.Minute {
		t.Errorf("reference %s: time prefix %d (%v), want about now", r2, ms, err)
	}
	if r1[17:] == r2[17:] || k1[8:] == k2[8:] {
		t.Error("random parts repeat")
	}
}
