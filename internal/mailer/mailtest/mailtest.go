// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp)
// on loopback for tests, and records what it receives.
package mailtest

import (
	"errors"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message the server accepted.
type Received struct {
	From string
	To   []string
	Data []byte
	User string // the authenticated user, "" without AUTH
}

// Server is a running SMTP server.
type Server struct {
	Addr string
	// User and Pass are the credentials it requires when not empty.
	User, Pass string
	// Reject, when set, makes the server refuse every RCPT with a 550.
	mu       sync.Mutex
	reject   bool
	received []Received
	notify   chan struct{}
}

// Start listens on 127.0.0.1:0 and serves until the test ends. With a
// user, clients must authenticate (PLAIN, allowed without TLS on loopback).
func Start(t testing.TB, user, pass string) *Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s := &Server{Addr: l.Addr().String(), User: user, Pass: pass, notify: make(chan struct{}, 1)}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(l)
	}()
	t.Cleanup(func() {
		_ = srv.Close()
		<-done
	})
	return s
}

// URL is the smtp:// URL of the server, with its credentials.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.Addr}
	if s.User != "" {
		u.User = url.UserPassword(s.User, s.Pass)
	}
	return u.String()
}

// RejectRecipients makes every later RCPT fail with 550.
func (s *Server) RejectRecipients() {
	s.mu.Lock()
	s.reject = true
	s.mu.Unlock()
}

// Messages returns what was received so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// Wait returns once n messages were received, or fails the test after d.
func (s *Server) Wait(t testing.TB, n int, d time.Duration) []Received {
	t.Helper()
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		if got := s.Messages(); len(got) >= n {
			return got
		}
		select {
		case <-s.notify:
		case <-deadline.C:
			t.Fatalf("mailtest: %d messages received after %v, want %d", len(s.Messages()), d, n)
		}
	}
}

type session struct {
	s    *Server
	user string
	msg  Received
}

func (se *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (se *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != se.s.User || pass != se.s.Pass {
			return errors.New("invalid credentials")
		}
		se.user = user
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if se.s.User != "" && se.user == "" {
		return smtp.ErrAuthRequired
	}
	se.msg = Received{From: from, User: se.user}
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.s.mu.Lock()
	reject := se.s.reject
	se.s.mu.Unlock()
	if reject {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}
	}
	se.msg.To = append(se.msg.To, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	se.msg.Data = b
	se.s.mu.Lock()
	se.s.received = append(se.s.received, se.msg)
	se.s.mu.Unlock()
	select {
	case se.s.notify <- struct{}{}:
	default:
	}
	return nil
}

func (se *session) Reset()        { se.msg = Received{User: se.user} }
func (se *session) Logout() error { return nil }
