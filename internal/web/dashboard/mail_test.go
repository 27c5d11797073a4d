package dashboard

import (
	"bytes"
	"io"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"intake"
	"intake/internal/mailer"
	"intake/internal/mailer/mailtest"
)

// mailWait bounds the wait for a mail the server must receive; it only
// fails a test that would otherwise hang.
const mailWait = 30 * time.Second

// newMailFixture is a fixture whose Service mails through a real SMTP
// server.
func newMailFixture(t testing.TB) (*fixture, *mailtest.Server) {
	t.Helper()
	smtp := mailtest.Start(t, "", "")
	m, err := mailer.Parse(smtp.URL())
	if err != nil {
		t.Fatal(err)
	}
	f := newFixtureWith(t, Options{}, func(c *intake.ServiceConfig) {
		c.Activity.Mailer = m
		c.Activity.MailFrom = "intake@acme.test"
	})
	return f, smtp
}

// sentMail is a received message, decoded.
type sentMail struct {
	To, Subject, ReplyTo, Body string
}

func decodeMail(t testing.TB, r mailtest.Received) sentMail {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatal(err)
	}
	return sentMail{To: m.Header.Get("To"), Subject: m.Header.Get("Subject"), ReplyTo: m.Header.Get("Reply-To"),
		Body: strings.ReplaceAll(string(body), "\r\n", "\n")}
}

// mailedLink reads the password link of a mail.
func mailedLink(t testing.TB, f *fixture, m sentMail) string {
	t.Helper()
	link := regexp.MustCompile(regexp.QuoteMeta(f.srv.URL+passwordPath) + `\?token=[A-Za-z0-9_-]+`).FindString(m.Body)
	if link == "" {
		t.Fatalf("no link in the mail:\n%s", m.Body)
	}
	return link
}

// TestInviteMailed invites with a mail server: the link is mailed, not
// shown, and works.
func TestInviteMailed(t *testing.T) {
	f, smtp := newMailFixture(t)
	admin := f.signedInAs(t, intake.RoleAdmin)
	res, body := admin.post(t, usersPath(org)+"/invite", url.Values{"csrf": {admin.csrf(t)},
		"email": {"mia@acme.test"}, "firstname": {"Mia"}, "role": {"viewer"}})
	wantPage(t, res, body, http.StatusOK)
	if !strings.Contains(body, "Invitation made for mia@acme.test. It was mailed to them.") || strings.Contains(body, "shown-link") {
		t.Errorf("after a mailed invitation:\n%s", body)
	}
	msgs := smtp.Wait(t, 1, mailWait)
	m := decodeMail(t, msgs[0])
	if m.To != "<mia@acme.test>" || m.Subject != "Your invitation to Acme on intake" || m.ReplyTo != "<admin@acme.test>" || msgs[0].From != "intake@acme.test" {
		t.Errorf("mail %+v from %s", m, msgs[0].From)
	}
	for _, want := range []string{"Adam Admin (admin@acme.test) invited you to Acme on intake, as viewer.", "within 72 hours", "Your sign-in email is mia@acme.test."} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("the mail lacks %q:\n%s", want, m.Body)
		}
	}
	link := mailedLink(t, f, m)
	if strings.Contains(body, link) {
		t.Error("the mailed link is on the admin's page too")
	}
	f.choosePassword(t, link, "mias-own-password")
	if _, status := f.signIn(t, "mia@acme.test", "mias-own-password"); status != http.StatusSeeOther {
		t.Errorf("the invited user cannot sign in: %d", status)
	}
}

// TestInviteMailRefused: when the mail server refuses, the admin gets the
// link and the reason.
func TestInviteMailRefused(t *testing.T) {
	f, smtp := newMailFixture(t)
	smtp.RejectRecipients()
	admin := f.signedInAs(t, intake.RoleAdmin)
	res, body := admin.post(t, usersPath(org)+"/invite", url.Values{"csrf": {admin.csrf(t)}, "email": {"bounce@acme.test"}, "role": {"viewer"}})
	wantPage(t, res, body, http.StatusOK)
	if !strings.Contains(body, "The mail server refused the message") {
		t.Errorf("no reason shown:\n%s", body)
	}
	f.choosePassword(t, shownLinkOf(t, body), "bounced-but-fine")
}

// TestForgotPassword asks for reset links: an unknown, a disabled and an
// invited email get the same page as a real one and no mail; the real
// one's mail carries a link that works once and ends the user's sessions.
func TestForgotPassword(t *testing.T) {
	f, smtp := newMailFixture(t)
	admin := f.signedInAs(t, intake.RoleAdmin)
	if res, body := admin.post(t, usersPath(org)+"/invite", url.Values{"csrf": {admin.csrf(t)}, "email": {"pending@acme.test"}, "role": {"viewer"}}); res.StatusCode != http.StatusOK {
		t.Fatalf("invite: %d\n%s", res.StatusCode, body)
	}
	smtp.Wait(t, 1, mailWait)
	session := f.signedInAs(t, intake.RoleRecruiter)

	res, form := f.client(t).get(t, forgotPath)
	wantPage(t, res, form, http.StatusOK)
	ask := func(email string) string {
		t.Helper()
		res, body := f.client(t).submit(t, forgotPath, url.Values{"email": {email}})
		wantPage(t, res, body, http.StatusOK)
		return maskCSRF(strings.ReplaceAll(body, email, "EMAIL"))
	}
	want := ask("nobody@acme.test")
	if !strings.Contains(want, "If EMAIL has an account, a link to choose a new password is on its way.") {
		t.Errorf("answer:\n%s", want)
	}
	for _, email := range []string{disabledEmail, "pending@acme.test", "RECRUITER@acme.test"} {
		if got := ask(email); got != want {
			t.Errorf("%s answers differently:\n%s", email, got)
		}
	}
	// Only the last request mails: the others never start a send.
	msgs := smtp.Wait(t, 2, mailWait)
	m := decodeMail(t, msgs[1])
	if m.To != "<recruiter@acme.test>" || !strings.Contains(m.Body, "within 60 minutes") {
		t.Errorf("reset mail %+v", m)
	}
	link := mailedLink(t, f, m)
	f.choosePassword(t, link, "recovered-password")
	res, _ = session.get(t, homePath(org))
	wantRedirect(t, res, http.StatusSeeOther, loginPath+"?ended=1&next=%2Fdashboard%2Fo%2FPg4eV6k")
	if _, status := f.signIn(t, "recruiter@acme.test", "recovered-password"); status != http.StatusSeeOther {
		t.Errorf("the new password does not work: %d", status)
	}
	res, body := f.client(t).get(t, f.pathOf(t, link))
	wantPage(t, res, body, http.StatusNotFound)
	if n := len(smtp.Messages()); n != 2 {
		t.Errorf("%d mails, want 2", n)
	}
}

// TestForgotPasswordLimit: past ResetRequestsPerEmail requests for one
// email within the window, requests send nothing; another email still
// gets its mail.
func TestForgotPasswordLimit(t *testing.T) {
	f, smtp := newMailFixture(t)
	for range intake.ResetRequestsPerEmail + 2 {
		f.client(t).submit(t, forgotPath, url.Values{"email": {"viewer@acme.test"}})
	}
	smtp.Wait(t, intake.ResetRequestsPerEmail, mailWait)
	f.client(t).submit(t, forgotPath, url.Values{"email": {"admin@acme.test"}})
	msgs := smtp.Wait(t, intake.ResetRequestsPerEmail+1, mailWait)
	var admins int
	for _, r := range msgs {
		if decodeMail(t, r).To == "<admin@acme.test>" {
			admins++
		}
	}
	if admins != 1 || len(msgs) != intake.ResetRequestsPerEmail+1 {
		t.Errorf("%d mails, %d to the admin; want %d and 1", len(msgs), admins, intake.ResetRequestsPerEmail+1)
	}
}

// TestForgotPasswordWithoutPublicURL: without a public URL the reset link's
// address would come from the Host header, which the requester picks, so
// nothing is sent.
func TestForgotPasswordWithoutPublicURL(t *testing.T) {
	f, smtp := newMailFixture(t)
	bare := httptest.NewServer(NewHandler(f.env.Service, Options{SessionSecret: testSecret}))
	t.Cleanup(bare.Close)
	noURL := &fixture{env: f.env, srv: bare}
	res, body := noURL.client(t).submit(t, forgotPath, url.Values{"email": {"viewer@acme.test"}})
	wantPage(t, res, body, http.StatusOK)
	// A request through the fixture, which has a public URL, mails; had
	// the first one sent, its mail would come first.
	f.client(t).submit(t, forgotPath, url.Values{"email": {"admin@acme.test"}})
	msgs := smtp.Wait(t, 1, mailWait)
	if m := decodeMail(t, msgs[0]); m.To != "<admin@acme.test>" {
		t.Errorf("mail %+v", m)
	}
}
