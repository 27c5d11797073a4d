package careerform

import (
	"errors"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

func TestVerify(t *testing.T) {
	s := NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	tok := s.Issue("acme-demo", 3027, t0)
	tests := []struct {
		name  string
		token string
		now   time.Time
		err   error
	}{
		{"valid", tok, t0.Add(10 * time.Second), nil},
		{"just in time", tok, t0.Add(MinFillTime), nil},
		{"too fast", tok, t0.Add(time.Second), ErrTooFast},
		{"expired", tok, t0.Add(MaxFormAge + time.Second), ErrExpired},
		{"other key", NewSigner([]byte("another key of thirty-two bytes!")).Issue("acme-demo", 3027, t0), t0.Add(time.Minute), ErrMalformed},
		{"tampered job", tok[:len("mxb3i9ho.")] + "zz" + tok[len("mxb3i9ho.")+2:], t0.Add(time.Minute), ErrMalformed},
		{"empty", "", t0, ErrMalformed},
		{"no signature", "abc", t0, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := s.Verify(tt.token, tt.now)
			if !errors.Is(err, tt.err) {
				t.Fatalf("Verify: %v, want %v", err, tt.err)
			}
			if err == nil && (c.OrgSlug != "acme-demo" || c.JobID != 3027 || !c.Issued.Equal(t0)) {
				t.Errorf("claims %+v", c)
			}
		})
	}
}

// FuzzVerify checks that no token, however broken, panics or verifies
// without having been issued with the key.
func FuzzVerify(f *testing.F) {
	s := NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	f.Add(s.Issue("acme-demo", 3027, t0))
	f.Add("mxb3i9ho.2c4.YWNtZS1kZW1v.PbM_daiAn7zWEhX_eUC3d79VJNGMUNToehyEp5fb0jM")
	f.Add("..")
	f.Add("a.b.c.d.e")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := s.Verify(token, t0.Add(time.Minute))
		if err != nil {
			return
		}
		if s.Issue(c.OrgSlug, c.JobID, c.Issued) != token {
			t.Fatalf("token %q verified but is not what Issue gives for its claims %+v", token, c)
		}
	})
}
