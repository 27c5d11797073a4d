package auth

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"intake"
)

var now = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func TestJWT(t *testing.T) {
	j := JWT{Key: []byte("0123456789abcdef0123456789abcdef")}
	c := intake.UserClaims{UserID: 7, OrgID: 3, PasswordStamp: "abcd", ExpiresAt: now.Add(time.Hour)}
	tok, err := j.Issue(c, now)
	if err != nil {
		t.Fatal(err)
	}
	if !j.Looks(tok) {
		t.Fatalf("Looks(%q) = false", tok)
	}
	got, err := j.Parse(tok, now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if got != c {
		t.Fatalf("Parse = %+v, want %+v", got, c)
	}
	header, _, _ := strings.Cut(tok, ".")
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	parts := strings.Split(tok, ".")
	tests := []struct {
		name, token string
		at          time.Time
		want        string
	}{
		{"expired", tok, now.Add(2 * time.Hour), "token expired"},
		{"other key", mustIssue(t, JWT{Key: []byte("another key another key another!")}, c), now, "invalid access token"},
		{"alg none", none + "." + parts[1] + ".", now, "invalid access token"},
		{"tampered payload", header + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"1","org":3,"iss":"intake","exp":9999999999}`)) + "." + parts[2], now, "invalid access token"},
		{"garbage", "eyJ.x.y", now, "invalid access token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := j.Parse(tt.token, tt.at)
			if intake.ErrorCodeOf(err) != intake.EUnauthenticated || intake.ErrorMessage(err) != tt.want {
				t.Fatalf("Parse error = %v, want unauthenticated %q", err, tt.want)
			}
		})
	}
	for _, key := range []string{"ik_abc", "token-acme-1", "eyJonly.one"} {
		if j.Looks(key) {
			t.Errorf("Looks(%q) = true", key)
		}
	}
}

func mustIssue(t *testing.T, j JWT, c intake.UserClaims) string {
	t.Helper()
	tok, err := j.Issue(c, now)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestBcrypt(t *testing.T) {
	b := Bcrypt{Cost: bcrypt.MinCost}
	h, err := b.Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !b.Verify(h, "correct horse battery") || b.Verify(h, "wrong") || b.Verify("not a hash", "x") {
		t.Fatal("Verify disagrees with Hash")
	}
	_, err = b.Hash(strings.Repeat("x", 73))
	if intake.ErrorCodeOf(err) != intake.EInvalid {
		t.Fatalf("Hash(73 bytes) error = %v, want invalid", err)
	}
}

// FuzzParse: any token string is refused or accepted without panicking, and
// only tokens signed with the key are accepted.
func FuzzParse(f *testing.F) {
	j := JWT{Key: []byte("0123456789abcdef0123456789abcdef")}
	tok, _ := j.Issue(intake.UserClaims{UserID: 1, OrgID: 1, ExpiresAt: now.Add(time.Hour)}, now)
	f.Add(tok)
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := j.Parse(s, now)
		if err != nil {
			if intake.ErrorCodeOf(err) != intake.EUnauthenticated {
				t.Fatalf("Parse(%q) error %v, want unauthenticated", s, err)
			}
			return
		}
		if c.UserID <= 0 || c.OrgID <= 0 {
			t.Fatalf("Parse(%q) accepted claims %+v", s, c)
		}
	})
}
