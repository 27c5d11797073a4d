package dashboard

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"intake"
)

// forbiddenPage checks a 403 answer is the error page with the Service's
// reason for the role.
func forbiddenPage(t *testing.T, res *http.Response, body, what string, role intake.Role) {
	t.Helper()
	wantPage(t, res, body, http.StatusForbidden)
	want := "<p>" + html.EscapeString(what+" is not allowed with the "+string(role)+" role; it takes one of: owner or admin. Ask an administrator of your organization.") + "</p>"
	if !strings.Contains(body, want) || !strings.Contains(body, "<h1>Not allowed</h1>") {
		t.Errorf("the 403 page lacks %s:\n%s", want, body)
	}
}

func TestAPIKeysDenied(t *testing.T) {
	f := newFixture(t)
	for _, role := range []intake.Role{intake.RoleRecruiter, intake.RoleViewer} {
		t.Run(string(role), func(t *testing.T) {
			c := f.signedInAs(t, role)
			csrf := c.csrf(t)
			_, home := c.get(t, homePath(org))
			if strings.Contains(home, keysPath(org)) || strings.Contains(home, webhooksPath(org)) {
				t.Errorf("the %s sees administration links", role)
			}
			res, body := c.get(t, keysPath(org))
			forbiddenPage(t, res, body, "Managing API keys", role)
			res, body = c.post(t, keysPath(org), url.Values{"csrf": {csrf}, "name": {"sneaky"}, "scopes": {"candidates_rw"}})
			forbiddenPage(t, res, body, "Managing API keys", role)
			doomed := f.principal(t, doomedToken)
			res, body = c.get(t, revokeKeyPath(org, doomed.Key.ID))
			forbiddenPage(t, res, body, "Managing API keys", role)
			res, body = c.post(t, revokeKeyPath(org, doomed.Key.ID), url.Values{"csrf": {csrf}})
			forbiddenPage(t, res, body, "Managing API keys", role)
			if _, err := f.env.Service.Authenticate(t.Context(), doomedToken); err != nil {
				t.Errorf("a refused revocation revoked the key: %v", err)
			}
			keys, err := f.env.Service.APIKeys(t.Context(), org)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range keys {
				if k.Name == "sneaky" {
					t.Errorf("a refused create made a key")
				}
			}
		})
	}
}

func TestAPIKeys(t *testing.T) {
	f := newFixture(t)
	c := f.signedInAs(t, intake.RoleAdmin)
	csrf := c.csrf(t)

	_, home := c.get(t, homePath(org))
	if !strings.Contains(home, `<a href="`+keysPath(org)+`">API keys</a>`) {
		t.Errorf("no API keys link in the header:\n%s", home)
	}
	res, body := c.get(t, keysPath(org))
	wantPage(t, res, body, http.StatusOK)
	for _, want := range []string{"<td>recruiting</td>", "<td>reader</td>", `<input type="checkbox" id="scope-jobs_rw" name="scopes" value="jobs_rw">`} {
		if !strings.Contains(body, want) {
			t.Errorf("the keys page lacks %s", want)
		}
	}
	if strings.Contains(body, "su_organizations_r") {
		t.Errorf("the form offers an su_ scope")
	}

	t.Run("refused", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			form url.Values
			want string
		}{
			{"no name", url.Values{"scopes": {"candidates_r"}}, "Name can&#39;t be blank"},
			{"no scope", url.Values{"name": {"k"}}, "Scopes can&#39;t be empty"},
			{"su_ scope", url.Values{"name": {"k"}, "scopes": {"su_organizations_r"}}, "it reaches other organizations"},
			{"unknown scope", url.Values{"name": {"k"}, "scopes": {"root"}}, "has an unknown scope"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				tt.form.Set("csrf", csrf)
				res, body := c.post(t, keysPath(org), tt.form)
				wantPage(t, res, body, http.StatusUnprocessableEntity)
				if !strings.Contains(body, tt.want) {
					t.Errorf("no %q in\n%s", tt.want, body)
				}
			})
		}
	})

	var id int64
	t.Run("create", func(t *testing.T) {
		res, body := c.post(t, keysPath(org), url.Values{"csrf": {csrf}, "name": {"<b>zapier</b>"}, "scopes": {"candidates_r", "jobs_r"}})
		wantPage(t, res, body, http.StatusCreated)
		m := regexp.MustCompile(`id="token" class="token" value="(ik_[A-Za-z0-9_-]+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no token on the answer:\n%s", body)
		}
		token := m[1]
		p, err := f.env.Service.Authenticate(t.Context(), token)
		if err != nil {
			t.Fatal(err)
		}
		if p.Key.Name != "<b>zapier</b>" || len(p.Key.Scopes) != 2 || !p.Key.Has("jobs_r") || p.Owner == nil || p.Owner.Email != roleEmail[intake.RoleAdmin] {
			t.Errorf("the new key: %+v owner %+v", p.Key, p.Owner)
		}
		if p.Key.Hash != intake.HashToken(token) {
			t.Errorf("the key is not stored by its hash")
		}
		id = p.Key.ID
		res, body = c.get(t, keysPath(org))
		wantPage(t, res, body, http.StatusOK)
		if strings.Contains(body, token) || !strings.Contains(body, "<td>&lt;b&gt;zapier&lt;/b&gt;</td>") || !strings.Contains(body, "<td>"+roleEmail[intake.RoleAdmin]+"</td>") {
			t.Errorf("the list shows the token, or not the key and its owner:\n%s", body)
		}
		if strings.Index(body, "<td>&lt;b&gt;zapier&lt;/b&gt;</td>") > strings.Index(body, "<td>admin</td>") {
			t.Errorf("the new key is not listed first")
		}
	})

	t.Run("revoke", func(t *testing.T) {
		res, body := c.get(t, keysPath(org))
		wantPage(t, res, body, http.StatusOK)
		if !strings.Contains(body, `href="`+revokeKeyPath(org, id)+`"`) {
			t.Fatalf("no revoke link for key %d", id)
		}
		res, body = c.get(t, revokeKeyPath(org, id))
		wantPage(t, res, body, http.StatusOK)
		if !strings.Contains(body, `<form method="post" action="`+revokeKeyPath(org, id)+`"`) {
			t.Fatalf("no confirmation form:\n%s", body)
		}
		res, _ = c.post(t, revokeKeyPath(org, id), url.Values{"csrf": {csrf}})
		wantRedirect(t, res, http.StatusSeeOther, keysPath(org)+"?done=revoked")
		keys, err := f.env.Service.APIKeys(t.Context(), org)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if k.ID == id && k.RevokedAt == nil {
				t.Errorf("the key is not revoked")
			}
		}
		res, body = c.get(t, keysPath(org)+"?done=revoked")
		wantPage(t, res, body, http.StatusOK)
		if !strings.Contains(body, keyNotices["revoked"]) || strings.Contains(body, `href="`+revokeKeyPath(org, id)+`"`) {
			t.Errorf("after the revocation:\n%s", body)
		}
	})

	t.Run("another organization's key", func(t *testing.T) {
		theirs := f.principal(t, otherToken)
		for _, path := range []string{revokeKeyPath(org, theirs.Key.ID), keysPath(org) + "/x/revoke", revokeKeyPath(otherOrg, theirs.Key.ID)} {
			res, body := c.get(t, path)
			wantPage(t, res, body, http.StatusNotFound)
		}
		res, body := c.post(t, revokeKeyPath(org, theirs.Key.ID), url.Values{"csrf": {csrf}})
		wantPage(t, res, body, http.StatusNotFound)
		if _, err := f.env.Service.Authenticate(t.Context(), otherToken); err != nil {
			t.Errorf("another organization's key was revoked: %v", err)
		}
		if !strings.Contains(body, strconv.Quote("/dashboard/")) {
			t.Errorf("the 404 page has no way back")
		}
	})
}
