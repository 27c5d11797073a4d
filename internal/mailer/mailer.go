// Package mailer sends intake's messages through an SMTP server given as a
// URL: smtp://[user:pass@]host[:port] (STARTTLS when the server offers it,
// required before credentials are sent to a non-loopback host) or
// smtps://[user:pass@]host[:port] (TLS from the first byte).
package mailer

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"intake"
)

// DefaultTimeout bounds one delivery (connect, TLS, auth, data) when the
// caller's context allows longer: a stuck server must not hold a request.
const DefaultTimeout = 30 * time.Second

// Mailer delivers mail to one SMTP server. It implements intake.Mailer and
// is safe for concurrent use: each Send opens its own connection.
type Mailer struct {
	addr        string
	host        string
	implicitTLS bool
	user, pass  string
	// TLSConfig is used for TLS and STARTTLS; nil verifies the server's
	// name with the system roots. Tests set it.
	TLSConfig *tls.Config
	// Timeout bounds one delivery; DefaultTimeout when zero.
	Timeout time.Duration
	// Now stamps the Date header; time.Now when nil.
	Now func() time.Time
}

// Parse reads an SMTP URL. Errors name what is wrong without echoing the
// password.
func Parse(raw string) (*Mailer, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("smtp url: cannot parse it (want smtp://user:pass@host:port or smtps://…)")
	}
	m := &Mailer{host: u.Hostname()}
	port := u.Port()
	switch u.Scheme {
	case "smtp":
		if port == "" {
			port = "587"
		}
	case "smtps":
		m.implicitTLS = true
		if port == "" {
			port = "465"
		}
	default:
		return nil, fmt.Errorf("smtp url: scheme must be smtp or smtps, not %q", u.Scheme)
	}
	if m.host == "" {
		return nil, fmt.Errorf("smtp url: host is missing")
	}
	if u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("smtp url: unexpected path %q", u.Path)
	}
	if u.User != nil {
		m.user = u.User.Username()
		m.pass, _ = u.User.Password()
	}
	m.addr = net.JoinHostPort(m.host, port)
	return m, nil
}

// String is the server's address, without credentials, for logs.
func (m *Mailer) String() string {
	scheme := "smtp"
	if m.implicitTLS {
		scheme = "smtps"
	}
	return scheme + "://" + m.addr
}

// Send delivers msg: it connects, upgrades to TLS as configured,
// authenticates if the URL has credentials, and sends the message. An
// error carries the server's answer.
func (m *Mailer) Send(ctx context.Context, msg *intake.Mail) error {
	body, err := m.compose(msg)
	if err != nil {
		return err
	}
	timeout := m.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", m.addr)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", m.addr, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	// Closing the connection when ctx ends unblocks any read or write.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	cfg := m.tlsConfig()
	var nc net.Conn = conn
	if m.implicitTLS {
		nc = tls.Client(conn, cfg)
	}
	c, err := smtp.NewClient(nc, m.host)
	if err != nil {
		return fmt.Errorf("smtp greeting: %w", err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("smtp hello: %w", err)
	}
	_, secure := c.TLSConnectionState()
	if !secure {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(cfg); err != nil {
				return fmt.Errorf("smtp starttls: %w", err)
			}
			secure = true
		}
	}
	if m.user != "" {
		if !secure && !loopback(m.host) {
			return fmt.Errorf("smtp: refusing to send credentials without TLS to %s", m.addr)
		}
		// net/smtp's PLAIN itself refuses to run without TLS except
		// towards localhost, as checked above.
		if err := c.Auth(smtp.PlainAuth("", m.user, m.pass, m.host)); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	if err := c.Mail(msg.From); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	for _, rcpt := range msg.To {
		if err := c.Rcpt(rcpt); err != nil {
			return fmt.Errorf("smtp RCPT TO %s: %w", rcpt, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if err := c.Quit(); err != nil {
		return fmt.Errorf("smtp quit: %w", err)
	}
	return nil
}

func (m *Mailer) tlsConfig() *tls.Config {
	if m.TLSConfig != nil {
		return m.TLSConfig.Clone()
	}
	return &tls.Config{ServerName: m.host, MinVersion: tls.VersionTLS12}
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// compose writes an RFC 5322 message: UTF-8 body in quoted-printable,
// headers encoded as RFC 2047 words where they are not ASCII.
func (m *Mailer) compose(msg *intake.Mail) ([]byte, error) {
	from, err := mail.ParseAddress(msg.From)
	if err != nil {
		return nil, fmt.Errorf("sender address %q: %w", msg.From, err)
	}
	var to []string
	for _, addr := range msg.To {
		a, err := mail.ParseAddress(addr)
		if err != nil {
			return nil, fmt.Errorf("recipient address %q: %w", addr, err)
		}
		to = append(to, a.String())
	}
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	var id [12]byte
	_, _ = rand.Read(id[:])
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", from.String())
	header("To", strings.Join(to, ", "))
	if msg.ReplyTo != "" {
		if a, err := mail.ParseAddress(msg.ReplyTo); err == nil {
			header("Reply-To", a.String())
		}
	}
	header("Subject", mime.QEncoding.Encode("utf-8", msg.Subject))
	header("Date", now().Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(id[:])+"@"+domain+">")
	header("MIME-Version", "1.0")
	ctype := "text/plain"
	if msg.HTML {
		ctype = "text/html"
	}
	header("Content-Type", ctype+"; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(msg.Body, "\r\n", "\n"), "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
