package dashboard

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"intake"
	"intake/internal/testenv"
)

func TestLogin(t *testing.T) {
	recruiter := roleEmail[intake.RoleRecruiter]
	tests := []struct {
		name     string
		form     url.Values
		status   int
		location string
		message  string
	}{
		{name: "ok", form: url.Values{"email": {recruiter}, "password": {testPassword}}, status: http.StatusSeeOther, location: homePath(org)},
		{name: "ok with spaces around and another case", form: url.Values{"email": {"  RECRUITER@acme.test\n"}, "password": {testPassword}}, status: http.StatusSeeOther, location: homePath(org)},
		{name: "ok back to the card", form: url.Values{"email": {recruiter}, "password": {testPassword}, "next": {"/dashboard/o/Pg4eV6k/jobs/WTTJ_KmqkD1Y/card/wttj-1?x=1"}},
			status: http.StatusSeeOther, location: "/dashboard/o/Pg4eV6k/jobs/WTTJ_KmqkD1Y/card/wttj-1?x=1"},
		{name: "next elsewhere is ignored", form: url.Values{"email": {recruiter}, "password": {testPassword}, "next": {"https://evil.example/dashboard/"}}, status: http.StatusSeeOther, location: homePath(org)},
		{name: "next protocol-relative is ignored", form: url.Values{"email": {recruiter}, "password": {testPassword}, "next": {"//evil.example/dashboard/"}}, status: http.StatusSeeOther, location: homePath(org)},
		{name: "next outside the dashboard is ignored", form: url.Values{"email": {recruiter}, "password": {testPassword}, "next": {"/api/v1/external/candidates"}}, status: http.StatusSeeOther, location: homePath(org)},
		{name: "other organization's user", form: url.Values{"email": {otherOrgEmail}, "password": {testPassword}}, status: http.StatusSeeOther, location: homePath(otherOrg)},
		{name: "wrong password", form: url.Values{"email": {recruiter}, "password": {testPassword + "x"}}, status: http.StatusUnauthorized, message: loginRefusedText},
		{name: "unknown email", form: url.Values{"email": {"nobody@acme.test"}, "password": {testPassword}}, status: http.StatusUnauthorized, message: loginRefusedText},
		{name: "disabled user", form: url.Values{"email": {disabledEmail}, "password": {testPassword}}, status: http.StatusUnauthorized, message: loginRefusedText},
		{name: "an API key as password", form: url.Values{"email": {"recruiting"}, "password": {rwToken}}, status: http.StatusUnauthorized, message: loginRefusedText},
		{name: "an API key alone", form: url.Values{"token": {rwToken}}, status: http.StatusBadRequest, message: loginBlankText},
		{name: "empty password", form: url.Values{"email": {recruiter}, "password": {""}}, status: http.StatusBadRequest, message: loginBlankText},
		{name: "missing", form: url.Values{}, status: http.StatusBadRequest, message: loginBlankText},
	}
	f := newFixture(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := f.client(t)
			res, body := c.submit(t, loginPath, tt.form)
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

// TestLoginSameAnswer checks that a wrong password, an unknown email and a
// disabled user get the same page, but for the email typed in.
func TestLoginSameAnswer(t *testing.T) {
	f := newFixture(t)
	answer := func(email, password string) string {
		res, body := f.client(t).submit(t, loginPath, url.Values{"email": {email}, "password": {password}})
		wantPage(t, res, body, http.StatusUnauthorized)
		return maskCSRF(strings.ReplaceAll(body, email, "EMAIL"))
	}
	want := answer(roleEmail[intake.RoleRecruiter], "wrong-password-123")
	for _, email := range []string{"nobody@acme.test", disabledEmail} {
		if got := answer(email, testPassword); got != want {
			t.Errorf("%s answers differently from a wrong password:\n%s\nvs\n%s", email, got, want)
		}
	}
}

// TestLoginRateLimit checks the limits on failed sign-ins: per email, then
// per address, and that a locked email stays locked even with its password.
func TestLoginRateLimit(t *testing.T) {
	f := newFixture(t)
	try := func(email, password string) (*http.Response, string) {
		return f.client(t).submit(t, loginPath, url.Values{"email": {email}, "password": {password}})
	}
	victim := roleEmail[intake.RoleRecruiter]
	for i := range intake.LoginFailuresPerEmail {
		if res, body := try(victim, "wrong-password-"+strconv.Itoa(i)); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d\n%s", i, res.StatusCode, body)
		}
	}
	res, body := try(victim, testPassword)
	wantPage(t, res, body, http.StatusTooManyRequests)
	if ra, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || ra <= 0 || ra > int(intake.LoginWindow/time.Second) {
		t.Errorf("Retry-After %q", res.Header.Get("Retry-After"))
	}
	if len(res.Cookies()) != 0 {
		t.Errorf("a locked email signed in: %v", res.Cookies())
	}
	// An unknown email locks the same way, with the same page.
	for i := range intake.LoginFailuresPerEmail {
		try("ghost@acme.test", "wrong-password-"+strconv.Itoa(i))
	}
	res, ghost := try("ghost@acme.test", testPassword)
	if res.StatusCode != http.StatusTooManyRequests || maskCSRF(strings.ReplaceAll(ghost, "ghost@acme.test", victim)) != maskCSRF(body) {
		t.Errorf("an unknown email's lock differs: %d\n%s", res.StatusCode, ghost)
	}

	// Another email of the same address still signs in...
	if res, _ := try(roleEmail[intake.RoleOwner], testPassword); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("another email was refused: %d", res.StatusCode)
	}
	// ...until the address has failed LoginFailuresPerAddress times.
	for i := 2 * intake.LoginFailuresPerEmail; i < intake.LoginFailuresPerAddress; i++ {
		try("spray"+strconv.Itoa(i)+"@acme.test", "wrong-password")
	}
	res, body = try(roleEmail[intake.RoleOwner], testPassword)
	wantPage(t, res, body, http.StatusTooManyRequests)

	f.env.Clock.Advance(intake.LoginWindow)
	if res, _ := try(victim, testPassword); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after the window: %d", res.StatusCode)
	}
}

// checkSessionCookie asserts the attributes of the session cookie and that
// it carries no credential.
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
	for _, secret := range []string{testPassword, rwToken, otherToken} {
		if strings.Contains(c.Value, secret) {
			t.Errorf("cookie %q carries %q", c.Value, secret)
		}
	}
	if strings.Count(c.Value, ".") != 2 {
		t.Errorf("cookie value %q is not user.expiry.mac", c.Value)
	}
}

func TestLoginSecureCookie(t *testing.T) {
	f := newFixtureWith(t, Options{Secure: true})
	res, _ := f.client(t).submit(t, loginPath, url.Values{"email": {roleEmail[intake.RoleViewer]}, "password": {testPassword}})
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

// TestSessionShowsPerson checks the header names the signed-in person and
// their role, for each role.
func TestSessionShowsPerson(t *testing.T) {
	f := newFixture(t)
	for role, want := range map[intake.Role]string{
		intake.RoleOwner:     "Olive Owner · owner",
		intake.RoleAdmin:     "Adam Admin · admin",
		intake.RoleRecruiter: "Rita Recruiter · recruiter",
		intake.RoleViewer:    "Victor Viewer · viewer",
	} {
		res, body := f.signedInAs(t, role).get(t, homePath(org))
		wantPage(t, res, body, http.StatusOK)
		if !strings.Contains(body, `<span class="user">`+want+`</span>`) {
			t.Errorf("%s: the header lacks %q", role, want)
		}
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

	c = f.signedInAs(t, intake.RoleRecruiter)
	res, _ = c.get(t, "/dashboard/")
	wantRedirect(t, res, http.StatusFound, homePath(org))
}

// TestSessionEnds checks that disabling a user or changing their password
// ends their open sessions at once, for pages and forms alike.
func TestSessionEnds(t *testing.T) {
	tests := []struct {
		name string
		end  func(t *testing.T, f *fixture, email string)
	}{
		{"user disabled", func(t *testing.T, f *fixture, email string) {
			if _, err := f.env.Service.DisableUser(t.Context(), org, email); err != nil {
				t.Fatal(err)
			}
		}},
		{"password reset", func(t *testing.T, f *fixture, email string) {
			if _, _, err := f.env.Service.ResetPassword(t.Context(), org, email, ""); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			email := roleEmail[intake.RoleRecruiter]
			c := f.signedInAs(t, intake.RoleRecruiter)
			csrf := c.csrf(t)
			other := f.signedInAs(t, intake.RoleAdmin)
			value := c.sessionCookie(t)

			tt.end(t, f, email)
			res, _ := c.get(t, homePath(org))
			wantRedirect(t, res, http.StatusSeeOther, loginPath+"?ended=1&next=%2Fdashboard%2Fo%2FPg4eV6k")
			if cs := res.Cookies(); len(cs) != 1 || cs[0].MaxAge != -1 {
				t.Errorf("the dead session's cookie was not cleared: %v", cs)
			}
			// A stolen copy of the cookie, which was not cleared, is refused
			// on forms too.
			res, body := f.withCookie(t, value).post(t, logoutPath, url.Values{"csrf": {csrf}})
			wantPage(t, res, body, http.StatusUnauthorized)

			if res, body := other.get(t, homePath(org)); res.StatusCode != http.StatusOK {
				t.Errorf("another user's session ended too: %d\n%s", res.StatusCode, body)
			}
		})
	}
}

// sessionCookie returns the value of the client's session cookie.
func (c *client) sessionCookie(t testing.TB) string {
	t.Helper()
	u, _ := url.Parse(c.f.srv.URL + rootPath)
	for _, k := range c.hc.Jar.Cookies(u) {
		if k.Name == cookieName {
			return k.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

// withCookie returns a client holding a session cookie of the given value.
func (f *fixture) withCookie(t testing.TB, value string) *client {
	t.Helper()
	c := f.client(t)
	u, _ := url.Parse(f.srv.URL + rootPath)
	c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: cookieName, Value: value, Path: rootPath}})
	return c
}

// signV1 makes a cookie as the dashboard signed them when API keys opened
// it: a key hash and an expiry under the test secret.
func signV1(hash, exp string) string {
	m := hmac.New(sha256.New, testSecret)
	m.Write([]byte("intake dashboard session v1\x00" + hash + "\x00" + exp + "\x00"))
	return hash + "." + exp + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func TestBadSessionCookie(t *testing.T) {
	f := newFixture(t)
	good := f.signedInAs(t, intake.RoleRecruiter)
	value := good.sessionCookie(t)
	id, rest, _ := strings.Cut(value, ".")
	exp, mac, _ := strings.Cut(rest, ".")
	users, err := f.env.Service.Users(t.Context(), org)
	if err != nil {
		t.Fatal(err)
	}
	var ownerID string
	for _, u := range users {
		if u.Role == intake.RoleOwner {
			ownerID = strconv.FormatInt(u.ID, 10)
		}
	}

	tests := []struct{ name, value string }{
		{"garbage", "x"},
		{"empty mac", id + "." + exp + "."},
		{"another user's id", ownerID + "." + exp + "." + mac},
		{"id with a leading zero", "0" + id + "." + exp + "." + mac},
		{"later expiry", id + "." + exp + "0." + mac},
		{"unknown user", "999999." + exp + "." + mac},
		{"API key session of before", signV1(intake.HashToken(rwToken), exp)},
		{"API key as cookie", rwToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := f.withCookie(t, tt.value).get(t, homePath(org))
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

// TestSessionCookieIsNoAPICredential checks that the cookie's value opens
// neither API.
func TestSessionCookieIsNoAPICredential(t *testing.T) {
	f := newFixture(t)
	value := f.signedInAs(t, intake.RoleOwner).sessionCookie(t)
	res := testenv.Do(t, f.srv.URL, testenv.Request{Path: "/api/v1/external/candidates?organization_reference=" + org, Token: value})
	if res.Status != http.StatusUnauthorized {
		t.Errorf("the cookie's value as a bearer token: %d %s", res.Status, res.Body)
	}
	res = testenv.Do(t, f.srv.URL, testenv.Request{Path: "/api/v1/external/candidates?organization_reference=" + org,
		Header: []string{"Cookie", cookieName + "=" + value}})
	if res.Status != http.StatusUnauthorized {
		t.Errorf("the cookie sent to the API: %d %s", res.Status, res.Body)
	}
}

func TestLogout(t *testing.T) {
	f := newFixture(t)
	c := f.signedInAs(t, intake.RoleRecruiter)
	csrf := c.csrf(t)

	res, body := c.post(t, logoutPath, url.Values{"csrf": {"forged"}})
	wantPage(t, res, body, http.StatusForbidden)
	res, body = c.post(t, logoutPath, url.Values{})
	wantPage(t, res, body, http.StatusForbidden)

	res, _ = c.post(t, logoutPath, url.Values{"csrf": {csrf}})
	wantRedirect(t, res, http.StatusSeeOther, loginPath)
	res, _ = c.get(t, homePath(org))
	wantRedirect(t, res, http.StatusSeeOther, loginPath+"?next=%2Fdashboard%2Fo%2FPg4eV6k")
}

// TestSignedOutFormsCSRF posts the signed-out forms without the form
// cookie's token, with a forged one and with another visitor's: 403, and
// no sign-in.
func TestSignedOutFormsCSRF(t *testing.T) {
	f := newFixture(t)
	other := f.client(t)
	_, page := other.get(t, loginPath)
	othersToken := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	forms := map[string]url.Values{
		loginPath:    {"email": {roleEmail[intake.RoleOwner]}, "password": {testPassword}},
		forgotPath:   {"email": {roleEmail[intake.RoleOwner]}},
		passwordPath: {"token": {"x"}, "password": {"long-enough-password"}, "confirm": {"long-enough-password"}},
	}
	for path, form := range forms {
		for name, token := range map[string]string{"missing": "", "forged": "forged", "another visitor's": othersToken} {
			t.Run(path+" "+name, func(t *testing.T) {
				c := f.client(t)
				c.get(t, loginPath) // the form cookie
				post := url.Values{}
				for k, v := range form {
					post[k] = v
				}
				if token != "" {
					post.Set("csrf", token)
				}
				res, body := c.post(t, path, post)
				wantPage(t, res, body, http.StatusForbidden)
				for _, k := range res.Cookies() {
					if k.Name == cookieName {
						t.Errorf("a session cookie was set: %v", k)
					}
				}
			})
		}
	}
	t.Run("no form cookie", func(t *testing.T) {
		res, body := f.client(t).post(t, loginPath, url.Values{"csrf": {othersToken}, "email": {roleEmail[intake.RoleOwner]}, "password": {testPassword}})
		wantPage(t, res, body, http.StatusForbidden)
	})
}
