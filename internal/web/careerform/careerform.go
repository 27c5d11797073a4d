// Package careerform signs and checks the hidden token of the career site's
// apply form. The token stands in for an API key on POST
// /vacancy/candidate/custom: it names the organization and the job the form
// was served for, and when, so that a post can be tied to one published job
// and refused when it comes back faster than a person types or after the
// page went stale.
package careerform

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"intake"
)

// Limits of the time-to-submit check.
const (
	// MinFillTime is the shortest time between serving the form and its
	// post that a person can fill it in; bots post at once.
	MinFillTime = 3 * time.Second
	// MaxFormAge is how long a served form stays valid.
	MaxFormAge = 24 * time.Hour
)

// FieldName is the name of the form's hidden token field.
const FieldName = "career_token"

// HoneypotName is the name of the form's trap field: hidden from people and
// assistive technology, filled in by bots that fill every field.
const HoneypotName = "website_url"

// ConsentName is the name of the privacy-consent checkbox.
const ConsentName = "privacy_consent"

// Errors of Verify.
var (
	ErrMalformed = errors.New("careerform: malformed or forged token")
	ErrTooFast   = errors.New("careerform: form posted faster than a person fills it")
	ErrExpired   = errors.New("careerform: form expired")
)

// Claims is what a token says.
type Claims struct {
	OrgSlug string
	JobID   int64
	Issued  time.Time
}

// Signer issues and verifies tokens with one key.
type Signer struct{ key []byte }

// NewSigner returns a Signer for key (at least 32 bytes in production).
func NewSigner(key []byte) *Signer { return &Signer{key: key} }

// Issue returns the token of a form served at issued for a job of the
// organization with that career-site slug.
func (s *Signer) Issue(orgSlug string, jobID int64, issued time.Time) string {
	payload := strconv.FormatInt(issued.UnixMilli(), 36) + "." + strconv.FormatInt(jobID, 36) + "." +
		base64.RawURLEncoding.EncodeToString([]byte(orgSlug))
	return payload + "." + s.mac(payload)
}

// Verify checks a token's signature and its age at now. A token that parses
// and is signed but posted too early or too late returns its claims with
// ErrTooFast or ErrExpired.
func (s *Signer) Verify(token string, now time.Time) (Claims, error) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 || len(token) > 512 {
		return Claims{}, ErrMalformed
	}
	payload, sig := token[:i], token[i+1:]
	if !hmac.Equal([]byte(sig), []byte(s.mac(payload))) {
		return Claims{}, ErrMalformed
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 3 {
		return Claims{}, ErrMalformed
	}
	ms, err1 := strconv.ParseInt(parts[0], 36, 64)
	job, err2 := strconv.ParseInt(parts[1], 36, 64)
	slug, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return Claims{}, ErrMalformed
	}
	c := Claims{OrgSlug: string(slug), JobID: job, Issued: time.UnixMilli(ms)}
	switch age := now.Sub(c.Issued); {
	case age < MinFillTime:
		return c, ErrTooFast
	case age > MaxFormAge:
		return c, ErrExpired
	}
	return c, nil
}

func (s *Signer) mac(payload string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("intake career form\x00"))
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Values are what the applicant typed, sent back into the form when a post
// fails so that nothing has to be typed again (the résumé excepted:
// browsers cannot refill a file input).
type Values struct {
	Firstname, Lastname, Email, Phone, Comment string
	// Answers maps a question id to its answer.
	Answers map[string]string
	Consent bool
}

// Failure is a refused career-form post as the career site shows it.
type Failure struct {
	// Org and Job are nil when the post could not be tied to a job (a
	// forged token, or a refusal before the body was read).
	Org *intake.Org
	Job *intake.Job
	// Status is the HTTP status of the answer.
	Status int
	// Message is the client-safe message of the error.
	Message string
	// Fields are the per-field errors, keyed by form field name.
	Fields map[string]string
	// Reason names a refusal of the form itself rather than of a field.
	Reason Reason
	Values Values
}

// Reason tells the form's own refusals apart, so the page can explain them.
type Reason int

// Reasons.
const (
	ReasonNone     Reason = iota
	ReasonTooFast         // posted faster than MinFillTime
	ReasonExpired         // posted after MaxFormAge
	ReasonForged          // token missing, malformed or forged
	ReasonHoneypot        // the trap field was filled
	ReasonMismatch        // the token was served for another job
)

// Pages renders the career site's answers to its form's posts; the Flatchr
// /custom handler calls it for posts that carry a career token, and for
// anonymous form posts it refuses before reading them.
type Pages interface {
	// Failed answers a refused post with the job page and its errors, or
	// an error page when f has no job.
	Failed(w http.ResponseWriter, r *http.Request, f *Failure)
	// Thanks answers an accepted application.
	Thanks(w http.ResponseWriter, r *http.Request, org *intake.Org, job *intake.Job)
}
