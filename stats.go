package intake

import (
	"context"
	"time"
)

// StageCount is how many applications of a job sit in one stage.
type StageCount struct {
	StageID  int64
	Active   int
	Archived int
}

// DayCountFilter selects the applications DayCounts counts.
type DayCountFilter struct {
	OrgID int64
	JobID *int64
	// From and To are UTC days (time.Time at midnight UTC), To exclusive.
	From, To time.Time
}

// DayCount is how many applications came through one source on one UTC
// day.
type DayCount struct {
	Day    time.Time
	Source Source
	Count  int
}

// StatsDays bounds the days a chart may span.
const StatsDays = 366

// JobFunnel counts a job's applications per stage, in the job's stage
// order (a stage holding none has zeros). Errors: EForbidden (scope),
// ENotFound (job).
func (s *Service) JobFunnel(ctx context.Context, p *Principal, job *Job) ([]StageCount, error) {
	if err := s.canReadAll(p); err != nil {
		return nil, err
	}
	if job == nil || job.OrgID != p.Org.ID {
		return nil, Errorf(ENotFound, "Job not found")
	}
	counts, err := s.store.FunnelCounts(ctx, p.Org.ID, job.ID)
	if err != nil {
		return nil, err
	}
	by := make(map[int64]StageCount, len(counts))
	for _, c := range counts {
		by[c.StageID] = c
	}
	out := make([]StageCount, len(job.Stages))
	for i, st := range job.Stages {
		out[i] = by[st.ID]
		out[i].StageID = st.ID
	}
	return out, nil
}

// ApplicationDays counts the applications created per UTC day and source
// over the days days ending with today's (UTC), of one job or, job nil,
// of the whole organization. Errors: EForbidden (scope), ENotFound (job),
// EInvalid (days out of 1..StatsDays).
func (s *Service) ApplicationDays(ctx context.Context, p *Principal, job *Job, days int) ([]DayCount, DayCountFilter, error) {
	if err := s.canReadAll(p); err != nil {
		return nil, DayCountFilter{}, err
	}
	if days < 1 || days > StatsDays {
		return nil, DayCountFilter{}, Errorf(EInvalid, "A chart spans 1 to %d days.", StatsDays)
	}
	to := UTCDay(s.now()).AddDate(0, 0, 1)
	f := DayCountFilter{OrgID: p.Org.ID, From: to.AddDate(0, 0, -days), To: to}
	if job != nil {
		if job.OrgID != p.Org.ID {
			return nil, f, Errorf(ENotFound, "Job not found")
		}
		f.JobID = &job.ID
	}
	counts, err := s.store.DayCounts(ctx, f)
	return counts, f, err
}

// UTCDay is the midnight UTC starting t's UTC day.
func UTCDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// canReadAll allows principals that read every candidate: counts cannot be
// restricted to a key's own candidates.
func (s *Service) canReadAll(p *Principal) error {
	ok, own := p.canRead()
	if !ok {
		return p.Allow(ActionRead)
	}
	if own {
		return Errorf(EForbidden, "Charts count every candidate of the organization: they need a key that reads all candidates.")
	}
	return nil
}
