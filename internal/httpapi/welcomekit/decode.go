package welcomekit

import (
	"time"

	"intake"
)

// createRequest is a decoded create: the references to resolve, then the
// application to create on the job they name.
type createRequest struct {
	OrganizationReference string
	JobReference          string
	App                   intake.NewApplication
}

// decodeCreate reads the params of POST /candidates: every seed param and
// every later one (spec welcomekit §2). Required params are checked here,
// before the organization and job are looked up (spec §2 Check order); the
// Service checks their formats. Errors: EInvalid naming every bad field.
func decodeCreate(p params) (*createRequest, error) {
	f := newFields(p)
	req := &createRequest{
		OrganizationReference: f.required("organization_reference"),
		JobReference:          f.required("job_reference"),
		App: intake.NewApplication{
			Application: intake.Application{
				Person: intake.Person{
					Email:     f.required("email"),
					Firstname: f.required("firstname"),
					Lastname:  f.required("lastname"),
					Civility:  f.string("civility"),
					Phone:     f.string("phone"),
					Subtitle:  f.string("subtitle"),
					Media:     f.media(false),
				},
				Origin:      f.string("origin"),
				Referrer:    f.string("referrer"),
				CoverLetter: f.string("cover_letter"),
				Comment:     f.string("comment"),
				Source:      intake.SourceWelcomeKit,
			},
			StageID:     f.integer("job_stage_id"),
			Resume:      f.file("remote_resume_url"),
			Portfolio:   f.file("remote_portfolio_url"),
			Avatar:      f.file("remote_image_url"),
			OnDuplicate: intake.DuplicateReject,
		},
	}
	if tags := f.list("tag_list"); tags != nil {
		req.App.Application.Tags = *tags
	}
	if archived := f.boolean("archived"); archived != nil {
		req.App.Application.Archived = *archived
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	return req, nil
}

// decodeUpdate reads the params of PUT /candidates/:reference; all are
// optional and organization, job, comment, referrer and origin are not
// updatable (spec welcomekit §3 Update). Errors: EInvalid.
func decodeUpdate(p params) (*intake.ApplicationUpdate, error) {
	f := newFields(p)
	upd := &intake.ApplicationUpdate{
		StageID:     f.integer("job_stage_id"),
		Email:       f.optString("email"),
		Firstname:   f.optString("firstname"),
		Lastname:    f.optString("lastname"),
		Subtitle:    f.optString("subtitle"),
		Phone:       f.optString("phone"),
		CoverLetter: f.optString("cover_letter"),
		Tags:        f.list("tag_list"),
		Archived:    f.boolean("archived"),
		Media:       f.media(true),
		Resume:      f.file("remote_resume_url"),
		Portfolio:   f.file("remote_portfolio_url"),
		Avatar:      f.file("remote_image_url"),
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	return upd, nil
}

// view says which optional blocks a GET adds to each candidate.
type view struct {
	Stage bool
	Tags  bool
}

func (f *fields) view() view {
	var v view
	if b := f.boolean("stage"); b != nil {
		v.Stage = *b
	}
	if b := f.boolean("tags"); b != nil {
		v.Tags = *b
	}
	return v
}

// decodeView reads the params of GET /candidates/:reference.
// Errors: EInvalid.
func decodeView(p params) (view, error) {
	f := newFields(p)
	v := f.view()
	return v, f.err()
}

// Pagination bounds (spec welcomekit §1 Pagination, §9 #14).
const (
	defaultPerPage = 100
	maxPerPage     = 100
)

// listRequest is a decoded GET /candidates.
type listRequest struct {
	JobReference string
	// Query lacks the job, which the handler resolves, and the page window.
	Query   intake.ApplicationQuery
	Page    int64
	PerPage int64
	View    view
}

// decodeList reads the params of GET /candidates (spec welcomekit §3 List);
// dates are days in loc. Errors: EInvalid.
func decodeList(p params, loc *time.Location) (*listRequest, error) {
	f := newFields(p)
	req := &listRequest{
		JobReference: f.required("job_reference"),
		Query: intake.ApplicationQuery{
			Email:          f.filter("email"),
			Origin:         f.filter("origin"),
			Referrer:       f.filter("referrer"),
			StageID:        f.integer("job_stage_id"),
			StageReference: f.filter("job_stage_reference"),
			Archived:       f.boolean("archived"),
			CreatedAfter:   f.dayAfter("created_after", loc),
			UpdatedAfter:   f.dayAfter("updated_after", loc),
		},
		Page:    f.positive("page", 1),
		PerPage: min(f.positive("per_page", defaultPerPage), maxPerPage),
		View:    f.view(),
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	return req, nil
}

// positive returns an integer field of at least 1, def when absent.
func (f *fields) positive(name string, def int64) int64 {
	n := f.integer(name)
	switch {
	case n == nil:
		return def
	case *n < 1:
		f.fail(name, "must be greater than or equal to 1")
		return def
	}
	return *n
}

// dayAfter reads a YYYY-MM-DD filter as "strictly after that day": from
// 00:00 of the next day in loc (spec welcomekit §9 #17). The store's filter
// is itself strictly after, at millisecond precision, so the bound is the
// last millisecond of the given day.
func (f *fields) dayAfter(name string, loc *time.Location) *time.Time {
	s := f.filter(name)
	if s == nil {
		return nil
	}
	day, err := time.ParseInLocation(time.DateOnly, *s, loc)
	if err != nil {
		f.fail(name, "must be a date formatted as YYYY-MM-DD")
		return nil
	}
	next := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
	t := next.Add(-time.Millisecond)
	return &t
}
