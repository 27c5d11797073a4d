package flatchr

import (
	"context"
	"maps"
	"net/http"
	"strings"

	"intake"
	"intake/internal/httpapi/plumbing"
	"intake/internal/httpapi/ratelimit"
)

// createMode tells the three create endpoints apart (spec flatchr §2).
type createMode int

const (
	modeJSON   createMode = iota // an integration's API request
	modeCustom                   // a customer's own HTML form
	modeTest                     // a dry run: nothing stored, same answer
)

// created is the outcome of a create: the JSON answer, and what the
// thank-you page of /custom shows.
type created struct {
	status       int
	body         []byte
	replayed     bool
	job          *intake.Job
	org          *intake.Org
	responseText string
}

// createCandidate handles POST /vacancy/candidate/{json,custom,test}. A
// browser posting a form to /custom gets pages; everyone else JSON.
func (h *handler) createCandidate(mode createMode) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		page := mode == modeCustom && !wantsJSON(r)
		if page {
			if err := h.limitAddress(r); err != nil {
				h.writeCareerFailure(w, r, nil, &careerPost{}, err)
				return
			}
		}
		var post *careerPost
		c, err := h.create(w, r, mode, &post)
		if err != nil && page {
			drainForBrowser(r, err)
		}
		switch {
		case post != nil && err != nil:
			h.writeCareerFailure(w, r, post.in, post, err)
		case post != nil && page:
			h.career.Pages.Thanks(w, r, c.org, c.job)
		case err != nil && page:
			h.writeErrorPage(w, r, err)
		case err != nil:
			h.writeError(w, r, err)
		case page:
			h.writeThanks(w, r, c)
		default:
			if c.replayed {
				w.Header().Set("Idempotent-Replayed", "true")
			}
			plumbing.WriteBody(w, c.status, plumbing.ContentTypeJSON, c.body)
		}
	}
}

// create runs a create in the spec's validation order (spec flatchr §2):
// credential, body, vacancy, then every parameter at once. A staged resume
// is discarded on every path that does not hand it to the Service.
// A post of intake's career-site form sets *career.
func (h *handler) create(w http.ResponseWriter, r *http.Request, mode createMode, career **careerPost) (*created, error) {
	ctx := r.Context()
	p, err := h.principal(ctx, r)
	if err != nil {
		return nil, err
	}
	up := serviceUploads{ctx: ctx, svc: h.svc}
	in := &createInput{}
	defer in.release(up)
	digest, bodyErr := h.readCreate(w, r, in, up)
	switch body := deref(in.Token); {
	case mode == modeCustom && h.career != nil && p == nil && body == "" && deref(in.Career.Token) != "":
		post := &careerPost{in: in}
		*career = post
		if p, err = h.careerPrincipal(ctx, in, post); err != nil || bodyErr != nil {
			// A body over its cap is the failure to show, on the page
			// of the job when the token could name it.
			if bodyErr != nil {
				return nil, bodyErr
			}
			return nil, err
		}
	case body != "":
		if p, err = h.authenticate(ctx, p, []string{body}); err != nil {
			return nil, err
		}
	case p == nil && bodyErr != nil:
		// No credential could be read: the body's own fault tells the
		// client more than a 401 would.
		return nil, bodyErr
	case p == nil:
		return nil, errNoCredential
	}
	ratelimit.SetHeaders(w.Header(), p.Rate)
	if err := p.Allow(intake.ActionWrite); err != nil {
		return nil, err
	}
	if bodyErr != nil {
		return nil, bodyErr
	}
	if in.fatal != nil {
		return nil, in.fatal
	}
	vacancy := strings.TrimSpace(deref(in.Vacancy))
	if vacancy == "" {
		return nil, intake.FieldErrors(map[string]string{"vacancy": "is required"})
	}
	job, err := h.svc.JobByVacancy(ctx, p, vacancy)
	if err != nil {
		return nil, err
	}
	if *career != nil {
		if err := checkCareerJob(in, *career, job); err != nil {
			return nil, err
		}
	}
	app := in.application(job)
	app.PrivacyConsent = *career != nil
	if len(in.problems) > 0 {
		return nil, h.invalid(p, app, in.problems)
	}
	// /test stores nothing, so it has nothing to replay.
	if keys := r.Header.Values("Idempotency-Key"); len(keys) > 0 && mode != modeTest {
		app.Idempotency = &intake.IdempotencyRequest{Key: keys[0], RequestHash: digest}
	}
	draft, err := h.svc.PrepareApplication(ctx, p, app)
	if err != nil {
		// The Service may fail before it takes the staged resume; the
		// deferred release discards it, which is harmless if the Service
		// already did (discarding an unknown key is a no-op).
		return nil, err
	}
	out := &created{status: http.StatusOK, job: job, org: p.Org, responseText: deref(in.ResponseText)}
	if draft.Replay != nil {
		// The retry's own resume is left to the deferred release.
		out.body, out.status, out.replayed = draft.Replay.Body, draft.Replay.Status, true
		return out, nil
	}
	// The draft owns the staged resume now: committed with it, or deleted
	// with it on a dry run or a failure.
	in.Resume.blob = nil
	defer h.svc.DiscardApplication(ctx, draft)
	// Rendered before the create: with an idempotency key it is stored
	// with it, so that the first answer and any replay are the same bytes.
	body, err := encodeJSON(h.createBody(r, draft.Candidate, in, mode == modeTest))
	if err != nil {
		return nil, err
	}
	if mode == modeTest {
		// The deferred discard deletes the files the dry run fetched.
		out.body = body
		return out, nil
	}
	var kept *intake.Response
	if app.Idempotency != nil {
		kept = &intake.Response{Status: http.StatusOK, Body: body}
	}
	res, err := h.svc.CommitApplication(ctx, draft, kept)
	switch {
	case err != nil:
		return nil, err
	case res.Replay != nil:
		out.body, out.status, out.replayed = res.Replay.Body, res.Replay.Status, true
		return out, nil
	case res.Merged:
		// A re-apply merged into an existing applicant was rendered as the
		// new applicant the store then refused: render the one that exists.
		if body, err = encodeJSON(h.createBody(r, res.Candidate, in, false)); err != nil {
			return nil, err
		}
	}
	out.body = body
	return out, nil
}

// principal authenticates the credentials a request carries outside its
// body; nil when it carries none.
func (h *handler) principal(ctx context.Context, r *http.Request) (*intake.Principal, error) {
	tokens, err := requestCredentials(r)
	if err != nil || len(tokens) == 0 {
		return nil, err
	}
	return h.authenticate(ctx, nil, tokens)
}

// invalid answers wire faults together with the Service's own validation of
// the same request, so that the client learns of every bad field at once
// whatever the order of the checks (spec flatchr §2 validation order).
// Validation reads, downloads and stores nothing.
func (h *handler) invalid(p *intake.Principal, app *intake.NewApplication, problems map[string]string) error {
	fields := map[string]string{}
	if err := h.svc.ValidateApplication(p, app); err != nil {
		if intake.ErrorCodeOf(err) != intake.EInvalid {
			return err
		}
		fields, _ = flatchrFields(intake.ErrorFields(err))
	}
	maps.Copy(fields, problems)
	return intake.FieldErrors(fields)
}
