package intake

import (
	"context"
	"strings"
	"time"
)

// Message is an email to or about a candidate: WelcomeKit's emails and
// Flatchr's messages are one list. It is stored whether or not it is sent;
// Sending says what became of the sending.
type Message struct {
	ID            int64
	OrgID         int64
	ApplicationID int64
	Author        string
	AuthorKeyID   int64
	FromEmail     string
	To            []string
	Subject       string
	Body          string
	// HTML says Body is HTML (Flatchr html) rather than text.
	HTML    bool
	Source  Source
	Sending Sending
	// CreatedAt is when it was stored.
	CreatedAt time.Time
	// Outbox carries the new_message event to the store's transaction.
	Outbox
}

// MessageData is the Data of new_message events: the message as stored
// (before any sending), the application with its job and organization, and
// who wrote it.
type MessageData struct {
	Candidate *Candidate
	Message   *Message
	// Actor is the signed-in user who wrote it, nil for an API key
	// (Message.AuthorKeyID names the key).
	Actor *EventUser `json:",omitempty"`
}

// SendStatus is what became of sending a message.
type SendStatus string

// Send statuses. A message is never dropped: without a mailer, or when
// the client did not ask to send it, it is stored as not sent.
const (
	SendNotSent SendStatus = "not_sent"
	SendPending SendStatus = "pending"
	SendSent    SendStatus = "sent"
	SendFailed  SendStatus = "failed"
)

// Sending is the sending state of a message.
type Sending struct {
	Status SendStatus
	// Error is why sending failed (the SMTP server's answer), or why a
	// message asked to be sent was not.
	Error  string
	SentAt *time.Time
}

// Mail is a message as a Mailer sends it.
type Mail struct {
	From    string
	ReplyTo string
	To      []string
	Subject string
	Body    string
	HTML    bool
}

// Mailer sends mail through an SMTP server.
type Mailer interface {
	// Send delivers m to the server and returns once it accepted it.
	Send(ctx context.Context, m *Mail) error
}

// NewMessage is the input of SendMessage.
type NewMessage struct {
	FromEmail string
	// To defaults to the candidate's email.
	To      []string
	Subject string
	Body    string
	HTML    bool
	// Send asks for the message to be mailed, not only stored.
	Send   bool
	Source Source
}

// Limits of a message.
const (
	MaxMessageRecipients = 20
	MaxSubjectLength     = 998 // RFC 5322 line length
)

// SendMessage stores a message on an application visible to the principal
// (a candidates write scope), then, if asked and a Mailer is set, sends it
// and records the outcome: a failed send is a stored message with status
// failed, not an error. Errors: EForbidden, ENotFound, EInvalid.
func (s *Service) SendMessage(ctx context.Context, p *Principal, ref CandidateRef, in *NewMessage) (*Candidate, *Message, error) {
	if err := p.Require(PermMessage); err != nil {
		return nil, nil, err
	}
	cand, err := s.activityTarget(ctx, p, ref, true)
	if err != nil {
		return nil, nil, err
	}
	if in.FromEmail == "" && p.User != nil {
		in.FromEmail = p.User.Email
	}
	to := in.To
	if len(to) == 0 && cand.Person.Email != "" {
		to = []string{cand.Person.Email}
	}
	bodyField, toField := "body", "to"
	if in.Source == SourceFlatchr {
		bodyField, toField = "html", "email"
	}
	f := fieldErrors{}
	if strings.TrimSpace(in.Subject) == "" {
		f.add("subject", "can't be blank")
	} else if len(in.Subject) > MaxSubjectLength || strings.ContainsAny(in.Subject, "\r\n") {
		f.add("subject", "must be one line of at most 998 bytes")
	}
	if strings.TrimSpace(in.Body) == "" {
		f.add(bodyField, "can't be blank")
	}
	validText(f, bodyField, in.Body, MaxLongText)
	if in.FromEmail != "" {
		validEmail(f, "from_email", in.FromEmail)
	}
	switch {
	case len(to) == 0:
		f.add(toField, "can't be blank: the candidate has no email")
	case len(to) > MaxMessageRecipients:
		f.add(toField, "has too many recipients (maximum is 20)")
	}
	for _, addr := range to {
		validEmail(f, toField, addr)
	}
	if err := f.err(); err != nil {
		return nil, nil, err
	}
	m := &Message{
		OrgID: p.Org.ID, ApplicationID: cand.ID,
		FromEmail: in.FromEmail, To: to, Subject: in.Subject, Body: in.Body, HTML: in.HTML,
		Source: in.Source, CreatedAt: s.Now(), Sending: Sending{Status: SendNotSent},
	}
	m.Author, m.AuthorKeyID = author(p)
	switch {
	case in.Send && s.activity.Mailer != nil:
		m.Sending.Status = SendPending
	case in.Send:
		m.Sending.Error = "no SMTP server is configured (--smtp-url)"
	}
	m.Record(&Event{OrgID: p.Org.ID, Name: EventNewMessage, JobID: cand.JobID, StageID: cand.StageID,
		Data: &MessageData{Candidate: cand, Message: m, Actor: eventUser(p)}, CreatedAt: m.CreatedAt})
	if err := s.store.CreateMessage(ctx, m); err != nil {
		return nil, nil, notFound(err)
	}
	if m.Sending.Status == SendPending {
		s.deliver(ctx, m)
	}
	return cand, m, nil
}

// deliver sends a stored message and records the outcome. The message is
// stored first, so a crash while sending leaves it pending, never lost.
func (s *Service) deliver(ctx context.Context, m *Message) {
	mail := &Mail{From: m.FromEmail, To: m.To, Subject: m.Subject, Body: m.Body, HTML: m.HTML}
	if s.activity.MailFrom != "" {
		// The configured sender is the one the relay accepts; the
		// client's address gets the replies.
		mail.From, mail.ReplyTo = s.activity.MailFrom, m.FromEmail
	}
	d := Sending{Status: SendSent}
	if mail.From == "" {
		d = Sending{Status: SendFailed, Error: "no sender address: set --smtp-from or send from_email"}
	} else if err := s.activity.Mailer.Send(ctx, mail); err != nil {
		s.log.Warn("send message", "message_id", m.ID, "err", err)
		d = Sending{Status: SendFailed, Error: err.Error()}
	} else {
		at := s.Now()
		d.SentAt = &at
	}
	if len(d.Error) > MaxShortText*4 {
		d.Error = strings.ToValidUTF8(d.Error[:MaxShortText*4], "")
	}
	if err := s.store.SetMessageDelivery(context.WithoutCancel(ctx), m.OrgID, m.ID, d); err != nil {
		s.log.Error("record message delivery", "message_id", m.ID, "err", err)
		return
	}
	m.Sending = d
}

// Messages lists the messages of an application visible to the principal,
// oldest first, and their total. Errors: EForbidden, ENotFound.
func (s *Service) Messages(ctx context.Context, p *Principal, ref CandidateRef, pg Page) (*Candidate, []*Message, int, error) {
	cand, err := s.activityTarget(ctx, p, ref, false)
	if err != nil {
		return nil, nil, 0, err
	}
	pg = pg.clamp()
	msgs, total, err := s.store.Messages(ctx, p.Org.ID, cand.ID, pg.Offset, pg.Limit)
	if err != nil {
		return nil, nil, 0, err
	}
	return cand, msgs, total, nil
}
