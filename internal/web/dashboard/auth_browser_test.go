package dashboard

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"intake"
)

// authBrowser drives one browser through the sign-in and user pages.
type authBrowser struct {
	t   *testing.T
	ctx context.Context
	f   *fixture
	axe string
}

func newAuthBrowser(t *testing.T, f *fixture) *authBrowser {
	ctx := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatalf("viewport: %v", err)
	}
	return &authBrowser{t: t, ctx: ctx, f: f, axe: axeSource(t)}
}

// do runs steps, failing with the page's text when one fails.
func (b *authBrowser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
		b.t.Fatalf("%s: %v\nat %s:\n%s", what, err, loc, text)
	}
}

func (b *authBrowser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func (b *authBrowser) location() string {
	b.t.Helper()
	u, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return u
}

// check runs axe-core on the page (no serious or critical violation) and
// saves its screenshot.
func (b *authBrowser) check(name string) {
	b.t.Helper()
	screenshot(b.t, b.ctx, "dashboard-"+name+".png")
	axeCheck(b.t, b.ctx, b.axe, name, "")
}

// typeSignIn fills the sign-in form and submits it.
func (b *authBrowser) typeSignIn(email, password string, wait chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	b.do("sign in as "+email,
		chromedp.Navigate(b.f.srv.URL+loginPath),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS(`form.stack button[type=submit]`)),
		wait,
	)
}

func (b *authBrowser) signOut() {
	b.t.Helper()
	b.do("sign out", chromedp.Click(chromedp.CSS(`.who button[type=submit]`)), chromedp.WaitVisible(chromedp.ID("email")))
}

// choosePassword opens a password link and sets password with it.
func (b *authBrowser) choosePassword(link, password, page string) {
	b.t.Helper()
	b.do("open the link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("confirm")))
	b.check(page)
	b.do("set the password",
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.SendKeys(chromedp.ID("confirm"), password),
		chromedp.Click(chromedp.CSS(`form.stack button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.login .notice`)),
	)
	if got := b.text(".login .notice"); got != "Your password is set. Sign in with it." {
		b.t.Errorf("after setting the password: %q", got)
	}
}

// TestBrowserSignIn signs in with a wrong password, as a disabled user and
// rightly; then checks that disabling the user ends the open session.
func TestBrowserSignIn(t *testing.T) {
	f := newFixture(t)
	b := newAuthBrowser(t, f)

	b.do("open the sign-in page", chromedp.Navigate(f.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("email")))
	b.check("login")
	for _, tt := range []struct{ name, email string }{
		{"wrong password", roleEmail[intake.RoleRecruiter]},
		{"disabled user", disabledEmail},
	} {
		password := testPassword
		if tt.name == "wrong password" {
			password = "not-the-password"
		}
		b.typeSignIn(tt.email, password, chromedp.WaitVisible(chromedp.CSS(`.login .alert`)))
		if got := b.text(".login .alert"); got != loginRefusedText {
			t.Errorf("%s: alert %q", tt.name, got)
		}
		if v, _ := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID("email"))); v != tt.email {
			t.Errorf("%s: the email field holds %q", tt.name, v)
		}
	}
	b.check("login-refused")

	browserSignIn(t, b.ctx, f, intake.RoleRecruiter)
	if got := b.text(".who .user"); got != "Rita Recruiter · recruiter" {
		t.Errorf("header %q", got)
	}
	if n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll('nav.org a[href$="/users"]').length`)); n != 0 {
		t.Error("a recruiter sees the Users link")
	}
	if _, err := f.env.Service.DisableUser(t.Context(), org, roleEmail[intake.RoleRecruiter]); err != nil {
		t.Fatal(err)
	}
	b.do("reload", chromedp.Navigate(f.srv.URL+homePath(org)), chromedp.WaitVisible(chromedp.CSS(`.login .notice`)))
	if got := b.text(".login .notice"); got != "Your session has ended. Sign in again to continue." {
		t.Errorf("a disabled user's session: %q at %s", got, b.location())
	}
}

// TestBrowserUsers: an owner opens the users page, changes a role, invites
// someone (the link is shown, no mail server), and the invitee sets a
// password and signs in.
func TestBrowserUsers(t *testing.T) {
	f := newFixture(t)
	b := newAuthBrowser(t, f)
	browserSignIn(t, b.ctx, f, intake.RoleOwner)
	b.do("open users", chromedp.Click(chromedp.CSS(`nav.org a[href$="/users"]`)), chromedp.WaitVisible(chromedp.CSS(`table.users`)))
	b.check("users")

	viewer := f.user(t, roleEmail[intake.RoleViewer])
	sel := "#role-" + itoa(viewer.ID)
	b.do("change a role",
		chromedp.SetValue(chromedp.CSS(sel), "recruiter"),
		chromedp.Click(chromedp.CSS(`#user-`+itoa(viewer.ID)+` form[action$="/role"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice`)),
	)
	if got := f.user(t, viewer.Email).Role; got != intake.RoleRecruiter {
		t.Errorf("the role is %s", got)
	}

	b.do("invite",
		chromedp.SendKeys(chromedp.CSS(`.invite-form input[name=email]`), "ivy@acme.test"),
		chromedp.SendKeys(chromedp.CSS(`.invite-form input[name=firstname]`), "Ivy"),
		chromedp.SendKeys(chromedp.CSS(`.invite-form input[name=lastname]`), "<i>Invited</i>"),
		chromedp.SetValue(chromedp.CSS(`.invite-form select[name=role]`), "admin"),
		chromedp.Click(chromedp.CSS(`.invite-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("shown-link")),
	)
	b.check("users-invited")
	link, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID("shown-link")))
	if err != nil || !strings.HasPrefix(link, f.srv.URL+passwordPath+"?token=") {
		t.Fatalf("shown link %q, %v", link, err)
	}
	b.signOut()
	b.choosePassword(link, "ivy-chose-this", "password-invite")
	b.typeSignIn("ivy@acme.test", "ivy-chose-this", chromedp.WaitVisible(chromedp.CSS(`.jobs`)))
	if got := b.text(".who .user"); got != "Ivy <i>Invited</i> · admin" {
		t.Errorf("the invitee's header: %q", got)
	}
	b.do("open the used link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`.login .alert`)))
	b.check("password-dead")
}

// TestBrowserPasswordReset: "forgot password" mails a link through a real
// SMTP server; the user follows it, sets a password and signs in with it.
func TestBrowserPasswordReset(t *testing.T) {
	f, smtp := newMailFixture(t)
	b := newAuthBrowser(t, f)
	b.do("open forgot",
		chromedp.Navigate(f.srv.URL+loginPath),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.Click(chromedp.CSS(`a[href="`+forgotPath+`"]`)),
		chromedp.WaitVisible(chromedp.ID("email")),
	)
	b.check("forgot")
	b.do("ask for a link",
		chromedp.SendKeys(chromedp.ID("email"), roleEmail[intake.RoleViewer]),
		chromedp.Click(chromedp.CSS(`form.stack button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.login .notice`)),
	)
	b.check("forgot-sent")
	link := mailedLink(t, f, decodeMail(t, smtp.Wait(t, 1, mailWait)[0]))
	b.choosePassword(link, "viewer-new-password", "password-reset")
	b.typeSignIn(roleEmail[intake.RoleViewer], "viewer-new-password", chromedp.WaitVisible(chromedp.CSS(`.jobs`)))
	if got := b.text(".who .user"); got != "Victor Viewer · viewer" {
		t.Errorf("header %q", got)
	}
}

// TestBrowserInviteMailed: an admin invites through the form; the mail
// arrives through a real SMTP server and its link works in the browser.
func TestBrowserInviteMailed(t *testing.T) {
	f, smtp := newMailFixture(t)
	b := newAuthBrowser(t, f)
	browserSignIn(t, b.ctx, f, intake.RoleAdmin)
	b.do("invite",
		chromedp.Navigate(f.srv.URL+usersPath(org)),
		chromedp.WaitVisible(chromedp.CSS(`.invite-form`)),
		chromedp.SendKeys(chromedp.CSS(`.invite-form input[name=email]`), "max@acme.test"),
		chromedp.Click(chromedp.CSS(`.invite-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice`)),
	)
	if got := b.text(".notice"); got != "Invitation made for max@acme.test. It was mailed to them." {
		t.Errorf("notice %q", got)
	}
	link := mailedLink(t, f, decodeMail(t, smtp.Wait(t, 1, mailWait)[0]))
	b.signOut()
	b.choosePassword(link, "max-password-1", "password-invite-mailed")
	b.typeSignIn("max@acme.test", "max-password-1", chromedp.WaitVisible(chromedp.CSS(`.jobs`)))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
