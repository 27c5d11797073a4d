package dashboard

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"intake"
)

func TestLogin(t *testing.T) {
	tests := []struct {
		name     string
		form     url.Values
		status   int
		location string
		message  string
	}{
		{name: "ok", form: url.Values{"token": {rwToken}}, status: http.StatusSeeOther, location: homePath(org)},
		{name: "ok with spaces around", form: url.Values{"token": {"  " + rwToken + "\n"}}, status: http.StatusSeeOther, location: homePath(org)},
		{name: "ok back to the card", form: url.Values{"token": {rwToken}, "next": {"/dashboard/o/Pg4eV6k/jobs/WTTJ_KmqkD1Y/card/wttj-1?x=1"}},
			status: http.StatusSeeOther, location: "/dashboard/o/Pg4eV6k/jobs/WTTJ_KmqkD1Y/card/wttj-1?x=1"},
		{name: "next elsewhere is ignored", form: url.Values{"token": {rwToken}, "next": {"https://evil.example/dashboard/"}}, status: http.StatusSeeOther, location: homePath(org)},
		{name: "next protocol-relative is ignored", form: url.Values{"token": {rwToken}, "next": {"//evil.example/dashboard/"}}, status: http.StatusSeeOther, location: homePath(org)},
		{name: "next outside the dashboard is ignored", form: url.Values{"token": {rwToken}, "next": {"/api/v1/external/candidates"}}, status: http.StatusSeeOther, location: homePath(org)},
		{name: "other organization's key", form: url.Values{"token": {otherToken}}, status: http.StatusSeeOther, location: homePath(otherOrg)},
		{name: "unknown key", form: url.Values{"token": {"nope"}}, status: http.StatusUnauthorized, message: "This API key is not valid: it is unknown or has been revoked."},
		{name: "empty", form: url.Values{"token": {" "}}, status: http.StatusBadRequest, message: "Paste one of your organization&#39;s API keys."},
		{name: "missing", form: url.Values{}, status: http.StatusBadRequest, message: "Paste one of your organization&#39;s API keys."},
	}
	f := newFixture(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := f.client(t)
			res, body := c.post(t, loginPath, tt.form)
			if tt.location != "" {
				wantRedirect(t, res, tt.status, tt.location)
				checkSessionCookie(t, res, false)
				return
			}
			wantPage(t, res, body, tt.status)
			if !strings.Contains(body, `<p class="alert" role="alert">`+tt.message+`</p>`) {
				t.Errorf("no message %q in\n%s", tt.message, body)
			}
			if len(res.Cookies()) != 0 {
				t.Errorf("a failed sign-in set cookies: %v", res.Cookies())
			}
		})
	}
}

// checkSessionCookie asserts the attributes of the session cookie and that
// it does not carry the token.
func checkSessionCookie(t testing.TB, res *http.Response, secure bool) {
	t.Helper()
	cookies := res.Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies %v", cookies)
	}
	c := cookies[0]
	if c.Name != cookieName || c.Path != "/dashboard/" || c.MaxAge != int(SessionTTL/time.Second) ||
		!c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != secure || !c.Expires.IsZero() {
		t.Errorf("cookie %s", c.String())
	}
	for _, token := range []string{rwToken, otherToken} {
		if strings.Contains(c.Value, token) {
			t.Errorf("cookie %q carries the token", c.Value)
		}
	}
	if strings.Count(c.Value, ".") != 2 {
		t.Errorf("cookie value %q is not hash.expiry.mac", c.Value)
	}
}

func TestLoginSecureCookie(t *testing.T) {
	f := newFixtureWith(t, Options{Secure: true})
	res, _ := f.client(t).post(t, loginPath, url.Values{"token": {rwToken}})
	checkSessionCookie(t, res, true)
}

func TestLoginPage(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	res, body := c.get(t, loginPath+"?next=%2Fdashboard%2Fo%2FPg4eV6k&ended=1")
	wantPage(t, res, body, http.StatusOK)
	golden(t, "login.html", body)

	_, body = c.get(t, loginPath+"?next=https%3A%2F%2Fevil.example%2F")
	if strings.Contains(body, `name="next"`) {
		t.Errorf("a foreign next was kept:\n%s", body)
	}
}

func TestSignedOutVisitorIsSentToSignIn(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	card := "/dashboard/o/Pg4eV6k/jobs/WTTJ_KmqkD1Y/card/wttj-0123?a=b"
	res, _ := c.get(t, card)
	wantRedirect(t, res, http.StatusSeeOther, loginPath+"?next="+url.QueryEscape(card))

	res, body := c.post(t, "/dashboard/o/Pg4eV6k/jobs/WTTJ_KmqkD1Y/card/wttj-0123/stage", url.Values{"stage": {"42"}})
	wantPage(t, res, body, http.StatusUnauthorized)
	if !strings.Contains(body, "Your session has ended. Sign in again, then retry.") || !strings.Contains(body, `href="/dashboard/login"`) {
		t.Errorf("unauthenticated post:\n%s", body)
	}
}

func TestRootRedirects(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	res, _ := c.get(t, "/")
	wantRedirect(t, res, http.StatusFound, "/dashboard/")
	res, _ = c.get(t, "/dashboard/")
	wantRedirect(t, res, http.StatusSeeOther, loginPath+"?next=%2Fdashboard%2F")

	c = f.signedIn(t, rwToken)
	res, _ = c.get(t, "/dashboard/")
	wantRedirect(t, res, http.StatusFound, homePath(org))
}

func TestRevokedKeyEndsSession(t *testing.T) {
	f := newFixture(t)
	c := f.signedIn(t, doomedToken)
	res, body := c.get(t, homePath(org))
	wantPage(t, res, body, http.StatusOK)

	p := f.principal(t, doomedToken)
	if err := f.env.Service.RevokeAPIKey(t.Context(), org, p.Key.ID); err != nil {
		t.Fatal(err)
	}
	res, _ = c.get(t, homePath(org))
	wantRedirect(t, res, http.StatusSeeOther, loginPath+"?ended=1&next=%2Fdashboard%2Fo%2FPg4eV6k")
	if cs := res.Cookies(); len(cs) != 1 || cs[0].MaxAge != -1 {
		t.Errorf("the dead session's cookie was not cleared: %v", cs)
	}

	res, body = f.client(t).post(t, loginPath, url.Values{"token": {doomedToken}})
	wantPage(t, res, body, http.StatusUnauthorized)

	if _, err := f.env.Service.AuthenticateHash(t.Context(), p.Key.Hash); intake.ErrorCodeOf(err) != intake.EUnauthenticated {
		t.Errorf("AuthenticateHash of a revoked key: %v", err)
	}
}

func TestAuthenticateHash(t *testing.T) {
	f := newFixture(t)
	p, err := f.env.Service.AuthenticateHash(t.Context(), intake.HashToken(rwToken))
	if err != nil || p.Org.Reference != org || p.Key.Name != "recruiting" {
		t.Fatalf("AuthenticateHash = %+v, %v", p, err)
	}
	for _, hash := range []string{"", intake.HashToken("nope"), rwToken} {
		if _, err := f.env.Service.AuthenticateHash(t.Context(), hash); intake.ErrorCodeOf(err) != intake.EUnauthenticated {
			t.Errorf("AuthenticateHash(%q) = %v, want unauthenticated", hash, err)
		}
	}
}

func TestBadSessionCookie(t *testing.T) {
	f := newFixture(t)
	good := f.signedIn(t, rwToken)
	u, _ := url.Parse(f.srv.URL + rootPath)
	value := good.hc.Jar.Cookies(u)[0].Value
	hash, rest, _ := strings.Cut(value, ".")
	exp, mac, _ := strings.Cut(rest, ".")
	otherHash := intake.HashToken(readToken)

	tests := []struct{ name, value string }{
		{"garbage", "x"},
		{"empty mac", hash + "." + exp + "."},
		{"another key's hash", otherHash + "." + exp + "." + mac},
		{"later expiry", hash + "." + exp + "0." + mac},
		{"token instead of hash", rwToken + "." + exp + "." + mac},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, f.srv.URL+homePath(org), nil)
			req.AddCookie(&http.Cookie{Name: cookieName, Value: tt.value})
			res, _ := f.client(t).do(t, req)
			wantRedirect(t, res, http.StatusSeeOther, loginPath+"?ended=1&next=%2Fdashboard%2Fo%2FPg4eV6k")
		})
	}

	t.Run("expired", func(t *testing.T) {
		f.env.Clock.Advance(SessionTTL)
		defer f.env.Clock.Advance(-SessionTTL)
		res, _ := good.get(t, homePath(org))
		wantRedirect(t, res, http.StatusSeeOther, loginPath+"?ended=1&next=%2Fdashboard%2Fo%2FPg4eV6k")
	})
}

func TestLogout(t *testing.T) {
	f := newFixture(t)
	c := f.signedIn(t, rwToken)
	csrf := c.csrf(t)

	res, body := c.post(t, logoutPath, url.Values{"csrf": {"forged"}})
	wantPage(t, res, body, http.StatusForbidden)

	res, _ = c.post(t, logoutPath, url.Values{"csrf": {csrf}})
	wantRedirect(t, res, http.StatusSeeOther, loginPath)
	res, _ = c.get(t, homePath(org))
	wantRedirect(t, res, http.StatusSeeOther, loginPath+"?next=%2Fdashboard%2Fo%2FPg4eV6k")
}
