package flatchr

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"intake/internal/web/careerform"
)

// TestCareerTokenWithoutSite checks that a handler built without the career
// site takes a career form's token for no credential at all: only a
// server that signs forms accepts them.
func TestCareerTokenWithoutSite(t *testing.T) {
	s := newServer(t)
	tok := careerform.NewSigner([]byte("0123456789abcdef0123456789abcdef")).Issue("acme", 3027, time.Now().Add(-time.Minute))
	form := url.Values{
		"career_token": {tok}, "vacancy": {"vyja39jqrrnlnqwe-technicien-metrologue-h-f"},
		"firstname": {"john"}, "lastname": {"doe"}, "email": {"john@example.com"}, "privacy_consent": {"yes"},
	}
	got := s.do(t, http.MethodPost, "/vacancy/candidate/custom", "application/x-www-form-urlencoded",
		strings.NewReader(form.Encode()), "Accept", "application/json")
	if got.status != http.StatusUnauthorized {
		t.Fatalf("status %d: %s", got.status, got.body)
	}
	if n := len(s.applications(t, "vyja39jqrrnlnqwe-technicien-metrologue-h-f")); n != 0 {
		t.Errorf("%d applications stored", n)
	}
}

// TestAddressKey checks that IPv6 clients are counted per /64 and IPv4
// clients per address.
func TestAddressKey(t *testing.T) {
	key := func(addr string) int64 { return addressKey(&http.Request{RemoteAddr: addr}) }
	if key("[2001:db8:1:2::1]:5000") != key("[2001:db8:1:2:ffff::9]:6000") {
		t.Error("two addresses of one IPv6 /64 count apart")
	}
	if key("[2001:db8:1:2::1]:5000") == key("[2001:db8:1:3::1]:5000") {
		t.Error("two IPv6 /64s count together")
	}
	if key("192.0.2.1:1") != key("192.0.2.1:2") || key("192.0.2.1:1") == key("192.0.2.2:1") {
		t.Error("IPv4 addresses are not counted one by one")
	}
}
