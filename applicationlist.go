package intake

import (
	"context"
	"time"
)

// ApplicationFilter selects applications of one organization. Nil pointers
// do not filter.
type ApplicationFilter struct {
	OrgID        int64
	JobID        *int64
	Email        *string // case-insensitive exact match
	Origin       *string
	Referrer     *string
	StageID      *int64
	Archived     *bool
	CreatedAfter *time.Time // strictly after
	UpdatedAfter *time.Time // strictly after
	CreatedByKey *int64
	Offset       int
	Limit        int // 0 means no rows, only the total
}

// WholeJob reports whether f selects every application of one job, whose
// total the stores keep rather than count.
func (f ApplicationFilter) WholeJob() bool {
	return f.JobID != nil && f.Email == nil && f.Origin == nil && f.Referrer == nil && f.StageID == nil &&
		f.Archived == nil && f.CreatedAfter == nil && f.UpdatedAfter == nil && f.CreatedByKey == nil
}

// ApplicationQuery is a list request; the job is required (WelcomeKit lists
// per job).
type ApplicationQuery struct {
	Job            *Job
	Email          *string
	Origin         *string
	Referrer       *string
	StageID        *int64
	StageReference *string
	Archived       *bool
	CreatedAfter   *time.Time
	UpdatedAfter   *time.Time
	Offset, Limit  int
}

// Applications lists the applications of a job visible to the principal and
// the total count. Errors: EForbidden (scope), ENotFound (job).
func (s *Service) Applications(ctx context.Context, p *Principal, q ApplicationQuery) ([]*Candidate, int, error) {
	ok, own := p.canRead()
	if !ok {
		return nil, 0, p.Allow(ActionRead)
	}
	if q.Job == nil || q.Job.OrgID != p.Org.ID {
		return nil, 0, Errorf(ENotFound, "Job not found")
	}
	f := ApplicationFilter{
		OrgID: p.Org.ID, JobID: &q.Job.ID, Email: q.Email, Origin: q.Origin,
		Referrer: q.Referrer, StageID: q.StageID, Archived: q.Archived,
		CreatedAfter: q.CreatedAfter, UpdatedAfter: q.UpdatedAfter,
		Offset: q.Offset, Limit: q.Limit,
	}
	if own {
		f.CreatedByKey = &p.Key.ID
	}
	if q.StageReference != nil {
		st, ok := q.Job.StageByReference(*q.StageReference)
		if !ok || (q.StageID != nil && *q.StageID != st.ID) {
			return []*Candidate{}, 0, nil
		}
		f.StageID = &st.ID
	}
	apps, total, err := s.store.Applications(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	out := make([]*Candidate, len(apps))
	for i, a := range apps {
		out[i] = &Candidate{Application: a, Job: q.Job, Org: p.Org}
	}
	return out, total, nil
}
