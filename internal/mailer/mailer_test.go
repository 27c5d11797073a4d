package mailer_test

import (
	"bytes"
	"io"
	"net/mail"
	"strings"
	"testing"
	"time"

	"intake"
	"intake/internal/mailer"
	"intake/internal/mailer/mailtest"
)

func TestSend(t *testing.T) {
	srv := mailtest.Start(t, "bot", "s3cret")
	m, err := mailer.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	msg := &intake.Mail{From: "hr@acme.test", ReplyTo: "jane@acme.test", To: []string{"cand@example.com"},
		Subject: "Entretien – prochaine étape", Body: "Bonjour,\nà bientôt.", HTML: false}
	if err := m.Send(t.Context(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.Wait(t, 1, 5*time.Second)[0]
	if got.From != "hr@acme.test" || strings.Join(got.To, ",") != "cand@example.com" || got.User != "bot" {
		t.Errorf("envelope = %+v", got)
	}
	parsed, err := mail.ReadMessage(bytes.NewReader(got.Data))
	if err != nil {
		t.Fatalf("received message does not parse: %v", err)
	}
	subject, err := new(mimeDecoder).DecodeHeader(parsed.Header.Get("Subject"))
	if err != nil || subject != msg.Subject {
		t.Errorf("Subject = %q (%v), want %q", subject, err, msg.Subject)
	}
	if got := parsed.Header.Get("Reply-To"); got != "<jane@acme.test>" {
		t.Errorf("Reply-To = %q", got)
	}
	if got := parsed.Header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	body, _ := io.ReadAll(quotedPrintable(parsed.Body))
	if strings.TrimSuffix(string(body), "\r\n") != "Bonjour,\r\nà bientôt." {
		t.Errorf("body = %q", body)
	}
}

func TestSendErrors(t *testing.T) {
	srv := mailtest.Start(t, "bot", "s3cret")
	tests := []struct {
		name, url, want string
		reject          bool
	}{
		{"wrong password", "smtp://bot:nope@" + srv.Addr, "smtp auth", false},
		{"recipient refused", srv.URL(), "550", true},
		{"nothing listening", "smtp://127.0.0.1:1", "connect", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reject {
				srv.RejectRecipients()
			}
			m, err := mailer.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			err = m.Send(t.Context(), &intake.Mail{From: "a@acme.test", To: []string{"b@example.com"}, Subject: "s", Body: "b"})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Send error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"smtp://mail.example.com", "smtp://mail.example.com:587", ""},
		{"smtps://u:p@mail.example.com", "smtps://mail.example.com:465", ""},
		{"smtp://u:p@127.0.0.1:2525", "smtp://127.0.0.1:2525", ""},
		{"http://mail.example.com", "", "scheme"},
		{"smtp://", "", "host"},
		{"smtp://h/x", "", "path"},
	}
	for _, tt := range tests {
		m, err := mailer.Parse(tt.in)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) || strings.Contains(err.Error(), ":p@") {
				t.Errorf("Parse(%q) error = %v, want one about %s", tt.in, err, tt.err)
			}
		case err != nil:
			t.Errorf("Parse(%q): %v", tt.in, err)
		case m.String() != tt.want:
			t.Errorf("Parse(%q) = %s, want %s", tt.in, m, tt.want)
		}
	}
}
