package flatchr

import (
	"context"
	"errors"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"intake"
	"intake/internal/web/careerform"
)

// Career connects /custom to intake's own career site: its forms carry a
// signed token instead of an API key, and their answers are the site's
// pages rather than the plain ones of page.go.
type Career struct {
	// Signer verifies the forms' tokens.
	Signer *careerform.Signer
	// Pages renders the answers to the forms' posts.
	Pages careerform.Pages
	// Limiter caps anonymous form posts per client address; nil: no cap.
	Limiter intake.RateLimiter
	// Now is the clock of the time-to-submit check; time.Now when nil.
	Now func() time.Time
}

// careerInput is what a career-site form adds to a create.
type careerInput struct {
	Token    *string
	Honeypot *string
	Consent  *string
}

// careerPost is a post from the career site's form, once recognised.
type careerPost struct {
	in     *createInput
	claims careerform.Claims
	org    *intake.Org
	job    *intake.Job
	reason careerform.Reason
}

// careerError is a refusal of the career form itself, not of a field.
type careerError struct {
	reason careerform.Reason
	err    *intake.Error
}

func (e *careerError) Error() string { return e.err.Error() }
func (e *careerError) Unwrap() error { return e.err }

// limitAddress spends one unit of the client address's budget of anonymous
// form posts, before the body is read. Posts that carry an API key outside
// their body are the key's business (its own limit).
func (h *handler) limitAddress(r *http.Request) error {
	if h.career == nil || h.career.Limiter == nil {
		return nil
	}
	if tokens, err := requestCredentials(r); err != nil || len(tokens) > 0 {
		return nil
	}
	rl, ok := h.career.Limiter.Take(addressKey(r), h.now())
	if ok {
		return nil
	}
	e := intake.Errorf(intake.ERateLimited, "too many applications from this address: wait a moment and send again")
	e.RetryAfter = rl.RetryAfter
	return e
}

// addressKey hashes the client's address into a limiter key. The address
// is the connection's: a proxy in front of intake must be trusted
// explicitly, which this server does not do.
func addressKey(r *http.Request) int64 {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
		// An IPv6 client controls its /64: count the prefix.
		ip = ip.Mask(net.CIDRMask(64, 128))
		host = ip.String()
	}
	f := fnv.New64a()
	f.Write([]byte(host))
	return int64(f.Sum64() >> 1)
}

func (h *handler) now() time.Time {
	if h.career != nil && h.career.Now != nil {
		return h.career.Now()
	}
	return time.Now()
}

// careerPrincipal checks a career form's token, honeypot and consent and
// returns the principal the application is made as. The token is the
// credential: it names the organization and the job it was served for.
func (h *handler) careerPrincipal(ctx context.Context, in *createInput, post *careerPost) (*intake.Principal, error) {
	claims, err := h.career.Signer.Verify(deref(in.Career.Token), h.now())
	post.claims = claims
	switch {
	case errors.Is(err, careerform.ErrTooFast):
		return nil, refuse(careerform.ReasonTooFast, "the form was sent too quickly: wait a few seconds and send it again")
	case errors.Is(err, careerform.ErrExpired):
		return nil, refuse(careerform.ReasonExpired, "the form has expired: reload the page and send it again")
	case err != nil:
		return nil, refuse(careerform.ReasonForged, "the form is not valid: reload the page and send it again")
	}
	p, job, err := h.svc.CareerPrincipal(ctx, claims.OrgSlug, claims.JobID)
	if err != nil {
		return nil, err
	}
	post.org, post.job = p.Org, job
	if strings.TrimSpace(deref(in.Career.Honeypot)) != "" {
		return nil, refuse(careerform.ReasonHoneypot, "the application could not be sent")
	}
	return p, nil
}

// checkCareerJob requires the vacancy posted to be the one the form was
// served for, and what the form asks beyond the API: an email to answer
// the applicant, a résumé, and the applicant's consent.
func checkCareerJob(in *createInput, post *careerPost, job *intake.Job) error {
	if job.ID != post.claims.JobID {
		return refuse(careerform.ReasonMismatch, "the form is not valid: reload the page and send it again")
	}
	if strings.TrimSpace(deref(in.Email)) == "" {
		in.problem("email", "is required")
	}
	if in.Resume.shape == resumeNone {
		in.problem("resume", "is required")
	}
	if v := deref(in.Career.Consent); v == "" || v == "false" || v == "0" {
		in.problem(careerform.ConsentName, "is required")
	}
	return nil
}

func refuse(reason careerform.Reason, msg string) error {
	return &careerError{reason: reason, err: intake.Errorf(intake.EInvalid, "%s", msg)}
}

// writeCareerFailure answers a refused career post with the site's page.
func (h *handler) writeCareerFailure(w http.ResponseWriter, r *http.Request, in *createInput, post *careerPost, err error) {
	status, msg := h.describe(r, err)
	h.errorHeaders(w, err, status)
	f := &careerform.Failure{Org: post.org, Job: post.job, Status: status, Message: msg,
		Values: careerValues(in)}
	f.Fields, _ = flatchrFields(intake.ErrorFields(err))
	if ce, ok := errors.AsType[*careerError](err); ok {
		f.Reason = ce.reason
	}
	h.career.Pages.Failed(w, r, f)
}

// careerValues are the typed values a failed post sends back to its form.
func careerValues(in *createInput) careerform.Values {
	if in == nil {
		return careerform.Values{}
	}
	v := careerform.Values{
		Firstname: deref(in.Firstname), Lastname: deref(in.Lastname), Email: deref(in.Email),
		Phone: deref(in.Phone), Comment: deref(in.Comment), Answers: map[string]string{},
		Consent: deref(in.Career.Consent) != "",
	}
	for _, a := range in.Answers {
		v.Answers[a.Question] = a.Value
	}
	return v
}

// careerForm says whether r may be a post of the career site's form: then
// a body over the cap is read up to the cap rather than refused on its
// Content-Length, so that the form's token, sent first, names the job
// whose page shows the refusal.
func (h *handler) careerForm(r *http.Request) bool {
	return h.career != nil && r.URL.Path == customPath && !wantsJSON(r)
}

// maxDrain bounds what is read and dropped of a refused browser upload.
const maxDrain = 32 << 20

// drainForBrowser reads what is left of a refused upload before the answer
// goes out: a browser still sending its body when the server closes the
// connection shows a network error instead of the page explaining the
// refusal. Bodies larger than maxDrain beyond the cap are cut off all the
// same.
func drainForBrowser(r *http.Request, err error) {
	if intake.ErrorCodeOf(err) != intake.ETooLarge {
		return
	}
	_, _ = io.CopyN(io.Discard, r.Body, maxDrain)
}
