package dashboard

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"intake"
)

// user reads a user of the test world by email.
func (f *fixture) user(t testing.TB, email string) *intake.User {
	t.Helper()
	for _, o := range []string{org, otherOrg} {
		users, err := f.env.Service.Users(t.Context(), o)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range users {
			if strings.EqualFold(u.Email, email) {
				return u
			}
		}
	}
	t.Fatalf("no user %s", email)
	return nil
}

// shownLink reads the password link a users page shows once.
func shownLinkOf(t testing.TB, body string) string {
	t.Helper()
	m := regexp.MustCompile(`id="shown-link" class="link" type="text" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link shown:\n%s", body)
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

// pathOf returns the path and query of an absolute URL of the fixture.
func (f *fixture) pathOf(t testing.TB, link string) string {
	t.Helper()
	if !strings.HasPrefix(link, f.srv.URL+"/") {
		t.Fatalf("link %q is not under %s", link, f.srv.URL)
	}
	return strings.TrimPrefix(link, f.srv.URL)
}

// choosePassword opens a password link and sets password with it.
func (f *fixture) choosePassword(t testing.TB, link, password string) {
	t.Helper()
	c := f.client(t)
	path := f.pathOf(t, link)
	res, body := c.get(t, path)
	wantPage(t, res, body, http.StatusOK)
	u, _ := url.Parse(path)
	res, body = c.submit(t, path, url.Values{"token": {u.Query().Get("token")}, "password": {password}, "confirm": {password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set password: %d\n%s", res.StatusCode, body)
	}
	wantRedirect(t, res, http.StatusSeeOther, loginPath+"?done=password")
}

// signIn posts the sign-in form and returns its status.
func (f *fixture) signIn(t testing.TB, email, password string) (*client, int) {
	t.Helper()
	c := f.client(t)
	res, _ := c.submit(t, loginPath, url.Values{"email": {email}, "password": {password}})
	return c, res.StatusCode
}

func TestUsersPageAccess(t *testing.T) {
	f := newFixture(t)
	users := usersPath(org)
	for _, tt := range []struct {
		role   intake.Role
		status int
	}{
		{intake.RoleOwner, http.StatusOK},
		{intake.RoleAdmin, http.StatusOK},
		{intake.RoleRecruiter, http.StatusForbidden},
		{intake.RoleViewer, http.StatusForbidden},
	} {
		t.Run(string(tt.role), func(t *testing.T) {
			c := f.signedInAs(t, tt.role)
			res, body := c.get(t, users)
			wantPage(t, res, body, tt.status)
			_, home := c.get(t, homePath(org))
			if link := `<a href="` + users + `">Users</a>`; strings.Contains(home, link) != (tt.status == http.StatusOK) {
				t.Errorf("Users link shown: %v", !(tt.status == http.StatusOK))
			}
			if tt.status == http.StatusForbidden {
				if !strings.Contains(body, "Only admins and owners manage users.") {
					t.Errorf("403 page:\n%s", body)
				}
				return
			}
			for _, want := range []string{"owner@acme.test", "Olive Owner", "disabled@acme.test</td>", "<td>disabled</td>", `<span class="badge you">you</span>`} {
				if !strings.Contains(body, want) {
					t.Errorf("the users page lacks %q", want)
				}
			}
			if strings.Contains(body, "globex") {
				t.Error("the users page shows another organization's user")
			}
		})
	}

	t.Run("another organization", func(t *testing.T) {
		c := f.signedInAs(t, intake.RoleOwner)
		res, body := c.get(t, usersPath(otherOrg))
		wantPage(t, res, body, http.StatusNotFound)
	})
	t.Run("signed out", func(t *testing.T) {
		res, _ := f.client(t).get(t, users)
		wantRedirect(t, res, http.StatusSeeOther, loginPath+"?next="+url.QueryEscape(users))
	})
	t.Run("golden", func(t *testing.T) {
		_, body := f.signedInAs(t, intake.RoleAdmin).get(t, users)
		golden(t, "users.html", body)
	})
}

// TestUserRules posts each management form as each role: the Service's
// rules answer, and nothing changes on a refusal.
func TestUserRules(t *testing.T) {
	type post struct {
		as     intake.Role
		target string // email; "" for the other organization's owner
		action string // role, disabled, link
		value  string
		status int
		// message is on the 403 page.
		message string
	}
	const (
		owner     = "owner@acme.test"
		admin     = "admin@acme.test"
		recruiter = "recruiter@acme.test"
		viewer    = "viewer@acme.test"
	)
	tests := []struct {
		name string
		post
	}{
		{"admin changes a recruiter's role", post{intake.RoleAdmin, recruiter, "role", "viewer", http.StatusSeeOther, ""}},
		{"admin changes another admin's role", post{intake.RoleAdmin, admin, "role", "recruiter", http.StatusSeeOther, ""}},
		{"admin grants owner", post{intake.RoleAdmin, viewer, "role", "owner", http.StatusForbidden, "Only an owner"}},
		{"admin demotes the owner", post{intake.RoleAdmin, owner, "role", "admin", http.StatusForbidden, "Only an owner"}},
		{"admin disables the owner", post{intake.RoleAdmin, owner, "disabled", "true", http.StatusForbidden, "Only an owner"}},
		{"admin sends the owner a link", post{intake.RoleAdmin, owner, "link", "", http.StatusForbidden, "Only an owner"}},
		{"admin disables themselves", post{intake.RoleAdmin, admin, "disabled", "true", http.StatusForbidden, "You cannot disable yourself."}},
		{"admin disables a viewer", post{intake.RoleAdmin, viewer, "disabled", "true", http.StatusSeeOther, ""}},
		{"admin enables a disabled user", post{intake.RoleAdmin, disabledEmail, "disabled", "false", http.StatusSeeOther, ""}},
		{"admin sends a disabled user a link", post{intake.RoleAdmin, disabledEmail, "link", "", http.StatusBadRequest, ""}},
		{"recruiter changes a role", post{intake.RoleRecruiter, viewer, "role", "admin", http.StatusForbidden, "Only admins and owners manage users."}},
		{"recruiter disables a viewer", post{intake.RoleRecruiter, viewer, "disabled", "true", http.StatusForbidden, "Only admins and owners manage users."}},
		{"recruiter sends a link", post{intake.RoleRecruiter, viewer, "link", "", http.StatusForbidden, "Only admins and owners manage users."}},
		{"viewer changes their own role", post{intake.RoleViewer, viewer, "role", "admin", http.StatusForbidden, "Only admins and owners manage users."}},
		{"owner grants owner", post{intake.RoleOwner, admin, "role", "owner", http.StatusSeeOther, ""}},
		{"the last owner demotes themselves", post{intake.RoleOwner, owner, "role", "admin", http.StatusForbidden, "last owner"}},
		{"owner disables themselves", post{intake.RoleOwner, owner, "disabled", "true", http.StatusForbidden, "You cannot disable yourself."}},
		{"an unknown role", post{intake.RoleOwner, viewer, "role", "god", http.StatusBadRequest, ""}},
		{"a bad disabled value", post{intake.RoleOwner, viewer, "disabled", "maybe", http.StatusBadRequest, ""}},
		{"another organization's user: role", post{intake.RoleOwner, "", "role", "viewer", http.StatusNotFound, ""}},
		{"another organization's user: disable", post{intake.RoleOwner, "", "disabled", "true", http.StatusNotFound, ""}},
		{"another organization's user: link", post{intake.RoleOwner, "", "link", "", http.StatusNotFound, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			email := tt.target
			if email == "" {
				email = otherOrgEmail
			}
			before := f.user(t, email)
			c := f.signedInAs(t, tt.as)
			form := url.Values{"csrf": {c.csrf(t)}}
			switch tt.action {
			case "role":
				form.Set("role", tt.value)
			case "disabled":
				form.Set("disabled", tt.value)
			}
			res, body := c.post(t, userPath(org, before.ID)+"/"+tt.action, form)
			after := f.user(t, email)
			if tt.status == http.StatusSeeOther {
				if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), usersPath(org)+"?done=") {
					t.Fatalf("got %d to %q\n%s", res.StatusCode, res.Header.Get("Location"), body)
				}
				if tt.action == "role" && string(after.Role) != tt.value || tt.action == "disabled" && strconv.FormatBool(after.Disabled) != tt.value {
					t.Errorf("the user did not change: %+v", after)
				}
				return
			}
			if tt.action == "link" && tt.status == http.StatusOK {
				return
			}
			wantPage(t, res, body, tt.status)
			if !strings.Contains(body, tt.message) {
				t.Errorf("the page lacks %q:\n%s", tt.message, body)
			}
			if after.Role != before.Role || after.Disabled != before.Disabled || !after.UpdatedAt.Equal(before.UpdatedAt) {
				t.Errorf("a refused change changed the user: %+v -> %+v", before, after)
			}
		})
	}
}

// TestUserChangesApply checks the effects of allowed changes: a new role
// applies to the user's open session at once, a disabled user's session
// ends and they cannot sign in, an enabled one can again.
func TestUserChangesApply(t *testing.T) {
	f := newFixture(t)
	admin := f.signedInAs(t, intake.RoleAdmin)
	csrf := admin.csrf(t)
	rec := f.user(t, roleEmail[intake.RoleRecruiter])
	recruiter := f.signedInAs(t, intake.RoleRecruiter)
	old := recruiter.sessionCookie(t)

	res, _ := admin.post(t, userPath(org, rec.ID)+"/role", url.Values{"csrf": {csrf}, "role": {"viewer"}})
	wantRedirect(t, res, http.StatusSeeOther, usersPath(org)+"?done=role")
	_, body := recruiter.get(t, homePath(org))
	if !strings.Contains(body, "Rita Recruiter · viewer") {
		t.Errorf("the new role does not show in the open session:\n%s", body)
	}
	_, page := admin.get(t, usersPath(org)+"?done=role")
	if !strings.Contains(page, `<p class="notice" role="status">Role changed.</p>`) {
		t.Error("no notice after the change")
	}

	res, _ = admin.post(t, userPath(org, rec.ID)+"/disabled", url.Values{"csrf": {csrf}, "disabled": {"true"}})
	wantRedirect(t, res, http.StatusSeeOther, usersPath(org)+"?done=disabled")
	res, _ = recruiter.get(t, homePath(org))
	wantRedirect(t, res, http.StatusSeeOther, loginPath+"?ended=1&next=%2Fdashboard%2Fo%2FPg4eV6k")
	if _, status := f.signIn(t, rec.Email, testPassword); status != http.StatusUnauthorized {
		t.Errorf("a disabled user signed in: %d", status)
	}

	res, _ = admin.post(t, userPath(org, rec.ID)+"/disabled", url.Values{"csrf": {csrf}, "disabled": {"false"}})
	wantRedirect(t, res, http.StatusSeeOther, usersPath(org)+"?done=enabled")
	if _, status := f.signIn(t, rec.Email, testPassword); status != http.StatusSeeOther {
		t.Errorf("an enabled user cannot sign in: %d", status)
	}
	// The session of before the disabling stays ended.
	res, _ = f.withCookie(t, old).get(t, homePath(org))
	wantRedirect(t, res, http.StatusSeeOther, loginPath+"?ended=1&next=%2Fdashboard%2Fo%2FPg4eV6k")
}

// TestUsersCSRF posts every users form without, and with a wrong, CSRF
// token: 403, and nothing changes.
func TestUsersCSRF(t *testing.T) {
	f := newFixture(t)
	c := f.signedInAs(t, intake.RoleOwner)
	other := f.signedInAs(t, intake.RoleAdmin).csrf(t)
	viewer := f.user(t, roleEmail[intake.RoleViewer])
	forms := map[string]url.Values{
		usersPath(org) + "/invite":             {"email": {"new@acme.test"}, "role": {"viewer"}},
		userPath(org, viewer.ID) + "/role":     {"role": {"admin"}},
		userPath(org, viewer.ID) + "/disabled": {"disabled": {"true"}},
		userPath(org, viewer.ID) + "/link":     {},
	}
	for path, form := range forms {
		for name, token := range map[string]string{"missing": "", "wrong": "forged", "another session's": other} {
			t.Run(path+" "+name, func(t *testing.T) {
				f := form
				if token != "" {
					f = url.Values{"csrf": {token}}
					for k, v := range form {
						f[k] = v
					}
				}
				res, body := c.post(t, path, f)
				wantPage(t, res, body, http.StatusForbidden)
				if strings.Contains(body, "shown-link") {
					t.Error("a link was made")
				}
			})
		}
	}
	if got := f.user(t, viewer.Email); got.Role != intake.RoleViewer || got.Disabled || !got.UpdatedAt.Equal(viewer.UpdatedAt) {
		t.Errorf("the viewer changed: %+v", got)
	}
	users, _ := f.env.Service.Users(t.Context(), org)
	for _, u := range users {
		if u.Email == "new@acme.test" {
			t.Error("an invitation was made without a CSRF token")
		}
	}
}

// TestInviteShownLink invites without a mail server: the link is shown
// once to the admin, works once, and the new user signs in.
func TestInviteShownLink(t *testing.T) {
	f := newFixture(t)
	admin := f.signedInAs(t, intake.RoleAdmin)
	csrf := admin.csrf(t)
	res, body := admin.post(t, usersPath(org)+"/invite", url.Values{"csrf": {csrf},
		"email": {" Nina@Acme.test "}, "firstname": {"Nina"}, "lastname": {"<b>New</b>"}, "role": {"recruiter"}})
	wantPage(t, res, body, http.StatusOK)
	if !strings.Contains(body, "Invitation made for Nina@Acme.test.") || !strings.Contains(body, "Nina &lt;b&gt;New&lt;/b&gt;") || !strings.Contains(body, "<td>invited</td>") {
		t.Errorf("after the invitation:\n%s", body)
	}
	link := shownLinkOf(t, body)
	if !strings.HasPrefix(link, f.srv.URL+passwordPath+"?token=") {
		t.Fatalf("link %q", link)
	}
	_, again := admin.get(t, usersPath(org))
	if strings.Contains(again, "shown-link") {
		t.Error("the link is shown again")
	}
	if _, status := f.signIn(t, "nina@acme.test", ""); status != http.StatusBadRequest {
		t.Errorf("an invited user signs in without a password: %d", status)
	}

	_, page := f.client(t).get(t, f.pathOf(t, link))
	if !strings.Contains(page, "Welcome, choose your password") || !strings.Contains(page, "For Nina@Acme.test") {
		t.Errorf("invitation page:\n%s", page)
	}
	f.choosePassword(t, link, "a-brand-new-password")
	c, status := f.signIn(t, "nina@acme.test", "a-brand-new-password")
	if status != http.StatusSeeOther {
		t.Fatalf("the invited user cannot sign in: %d", status)
	}
	_, home := c.get(t, homePath(org))
	if !strings.Contains(home, "Nina &lt;b&gt;New&lt;/b&gt; · recruiter") {
		t.Errorf("the header after sign-in:\n%s", home)
	}
	res, body = f.client(t).get(t, f.pathOf(t, link))
	wantPage(t, res, body, http.StatusNotFound)
	if !strings.Contains(body, "This link is invalid, expired or already used.") {
		t.Errorf("a used link:\n%s", body)
	}
}

func TestInviteErrors(t *testing.T) {
	tests := []struct {
		name    string
		as      intake.Role
		form    url.Values
		status  int
		message string
	}{
		{"bad email", intake.RoleAdmin, url.Values{"email": {"not-an-email"}, "role": {"viewer"}}, http.StatusBadRequest, "Email "},
		{"email of another organization", intake.RoleAdmin, url.Values{"email": {otherOrgEmail}, "role": {"viewer"}}, http.StatusBadRequest, "Email has already been taken."},
		{"email taken, other case", intake.RoleAdmin, url.Values{"email": {"VIEWER@acme.test"}, "role": {"viewer"}}, http.StatusBadRequest, "Email has already been taken."},
		{"unknown role", intake.RoleAdmin, url.Values{"email": {"x@acme.test"}, "role": {"god"}}, http.StatusBadRequest, "Role must be"},
		{"admin invites an owner", intake.RoleAdmin, url.Values{"email": {"x@acme.test"}, "role": {"owner"}}, http.StatusForbidden, "Only an owner"},
		{"recruiter invites", intake.RoleRecruiter, url.Values{"email": {"x@acme.test"}, "role": {"viewer"}}, http.StatusForbidden, "Only admins and owners manage users."},
	}
	f := newFixture(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := f.signedInAs(t, tt.as)
			tt.form.Set("csrf", c.csrf(t))
			res, body := c.post(t, usersPath(org)+"/invite", tt.form)
			wantPage(t, res, body, tt.status)
			if !strings.Contains(body, tt.message) {
				t.Errorf("the page lacks %q:\n%s", tt.message, body)
			}
			if tt.status == http.StatusBadRequest && !strings.Contains(body, `value="`+tt.form.Get("email")+`"`) {
				t.Error("the typed email was lost")
			}
		})
	}
	t.Run("owner invites an owner", func(t *testing.T) {
		c := f.signedInAs(t, intake.RoleOwner)
		res, body := c.post(t, usersPath(org)+"/invite", url.Values{"csrf": {c.csrf(t)}, "email": {"co-owner@acme.test"}, "role": {"owner"}})
		wantPage(t, res, body, http.StatusOK)
		if f.user(t, "co-owner@acme.test").Role != intake.RoleOwner {
			t.Error("not an owner")
		}
	})
}

// TestResetLinkShown: an admin makes a reset link for a recruiter; setting
// the password with it ends the recruiter's sessions and the old password.
func TestResetLinkShown(t *testing.T) {
	f := newFixture(t)
	recruiter := f.signedInAs(t, intake.RoleRecruiter)
	admin := f.signedInAs(t, intake.RoleAdmin)
	rec := f.user(t, roleEmail[intake.RoleRecruiter])
	res, body := admin.post(t, userPath(org, rec.ID)+"/link", url.Values{"csrf": {admin.csrf(t)}})
	wantPage(t, res, body, http.StatusOK)
	if !strings.Contains(body, "Reset link made for recruiter@acme.test.") {
		t.Errorf("after the link:\n%s", body)
	}
	link := shownLinkOf(t, body)
	// Making a link changes nothing yet.
	if res, _ := recruiter.get(t, homePath(org)); res.StatusCode != http.StatusOK {
		t.Fatalf("a link alone ended the session: %d", res.StatusCode)
	}
	_, page := f.client(t).get(t, f.pathOf(t, link))
	if !strings.Contains(page, "Choose a new password") {
		t.Errorf("reset page:\n%s", page)
	}
	f.choosePassword(t, link, "another-long-password")
	res, _ = recruiter.get(t, homePath(org))
	wantRedirect(t, res, http.StatusSeeOther, loginPath+"?ended=1&next=%2Fdashboard%2Fo%2FPg4eV6k")
	if _, status := f.signIn(t, rec.Email, testPassword); status != http.StatusUnauthorized {
		t.Errorf("the old password still works: %d", status)
	}
	if _, status := f.signIn(t, rec.Email, "another-long-password"); status != http.StatusSeeOther {
		t.Errorf("the new password does not work: %d", status)
	}
	if res, _ := admin.get(t, homePath(org)); res.StatusCode != http.StatusOK {
		t.Errorf("the admin's session ended: %d", res.StatusCode)
	}
}

// TestPasswordLinkForm checks the set-password form's failures: they keep
// the link alive; expiry and use kill it.
func TestPasswordLinkForm(t *testing.T) {
	f := newFixture(t)
	admin := f.signedInAs(t, intake.RoleAdmin)
	rec := f.user(t, roleEmail[intake.RoleRecruiter])
	_, body := admin.post(t, userPath(org, rec.ID)+"/link", url.Values{"csrf": {admin.csrf(t)}})
	link := shownLinkOf(t, body)
	u, _ := url.Parse(link)
	token := u.Query().Get("token")
	c := f.client(t)

	for _, tt := range []struct {
		name, password, confirm, message string
	}{
		{"different confirmation", "long-enough-password", "long-enough-passwore", "The two passwords differ. Type the same password twice."},
		{"too short", "short", "short", "The password is too short (minimum is 10 characters)."},
		{"too long", strings.Repeat("x", 73), strings.Repeat("x", 73), "The password is too long (maximum is 72 bytes)."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, body := c.submit(t, f.pathOf(t, link), url.Values{"token": {token}, "password": {tt.password}, "confirm": {tt.confirm}})
			wantPage(t, res, body, http.StatusBadRequest)
			if !strings.Contains(body, `<p class="alert" role="alert">`+tt.message+`</p>`) || !strings.Contains(body, `name="token" value="`+token+`"`) {
				t.Errorf("page:\n%s", body)
			}
		})
	}
	for _, bad := range []string{"", "nope", token + "x"} {
		res, body := c.submit(t, f.pathOf(t, link), url.Values{"token": {bad}, "password": {"long-enough-password"}, "confirm": {"long-enough-password"}})
		wantPage(t, res, body, http.StatusNotFound)
		res, body = c.get(t, passwordPath+"?token="+url.QueryEscape(bad))
		wantPage(t, res, body, http.StatusNotFound)
	}

	t.Run("expired", func(t *testing.T) {
		f.env.Clock.Advance(intake.ResetLinkTTL)
		defer f.env.Clock.Advance(-intake.ResetLinkTTL)
		res, body := c.get(t, f.pathOf(t, link))
		wantPage(t, res, body, http.StatusNotFound)
		res, body = c.submit(t, f.pathOf(t, link), url.Values{"token": {token}, "password": {"long-enough-password"}, "confirm": {"long-enough-password"}})
		wantPage(t, res, body, http.StatusNotFound)
	})
	t.Run("a newer link kills it", func(t *testing.T) {
		_, body := admin.post(t, userPath(org, rec.ID)+"/link", url.Values{"csrf": {admin.csrf(t)}})
		newer := shownLinkOf(t, body)
		f.choosePassword(t, newer, "long-enough-password")
		res, body := c.get(t, f.pathOf(t, link))
		wantPage(t, res, body, http.StatusNotFound)
	})
	t.Run("golden", func(t *testing.T) {
		_, body := admin.post(t, userPath(org, f.user(t, roleEmail[intake.RoleViewer]).ID)+"/link", url.Values{"csrf": {admin.csrf(t)}})
		link := shownLinkOf(t, body)
		_, page := f.client(t).get(t, f.pathOf(t, link))
		u, _ := url.Parse(link)
		golden(t, "password.html", page, u.Query().Get("token"), "TOKEN")
	})
}

// TestInvitationExpires: an invitation works 72 hours.
func TestInvitationExpires(t *testing.T) {
	f := newFixture(t)
	admin := f.signedInAs(t, intake.RoleAdmin)
	_, body := admin.post(t, usersPath(org)+"/invite", url.Values{"csrf": {admin.csrf(t)}, "email": {"late@acme.test"}, "role": {"viewer"}})
	link := shownLinkOf(t, body)
	f.env.Clock.Advance(intake.InviteLinkTTL - 1)
	if res, body := f.client(t).get(t, f.pathOf(t, link)); res.StatusCode != http.StatusOK {
		t.Fatalf("just before expiry: %d\n%s", res.StatusCode, body)
	}
	f.env.Clock.Advance(1)
	res, body := f.client(t).get(t, f.pathOf(t, link))
	wantPage(t, res, body, http.StatusNotFound)
}
