package intake

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// MaxSearchResults caps the answer of one applicant search. The vendor
// documents no paging; a search narrow enough to be useful (an email, a
// day's applicants) stays far below it, and a client asking for more gets
// the oldest MaxSearchResults.
const MaxSearchResults = 1000

// ApplicantStore is the part of Store serving the Flatchr management API.
type ApplicantStore interface {
	// SearchApplications lists the organization's applications matching
	// f, oldest first, at most f.Limit (0: none).
	SearchApplications(ctx context.Context, f SearchFilter) ([]*Application, error)
	// SetCandidateMeta stores m on the person m.PersonID of m.OrgID,
	// replacing the value under the same (AppName, Type, Name); it reports
	// whether the value is new. Errors: ENotFound (person of another
	// organization or unknown).
	SetCandidateMeta(ctx context.Context, m *CandidateMeta) (created bool, err error)
	// CandidateMeta lists a person's values, oldest first.
	CandidateMeta(ctx context.Context, orgID, personID int64) ([]CandidateMeta, error)
}

// SearchFilter selects applications of one organization; nil fields do not
// filter.
type SearchFilter struct {
	OrgID     int64
	Email     *string // case-insensitive exact match
	Firstname *string // case-insensitive exact match (ASCII case in SQLite)
	Lastname  *string
	JobID     *int64
	// StageIDs keeps applications in one of these stages; nil does not
	// filter, an empty non-nil list matches nothing.
	StageIDs      []int64
	CreatedFrom   *time.Time // inclusive
	CreatedBefore *time.Time // exclusive
	CreatedByKey  *int64
	Limit         int
}

// CandidateMeta is a value an integration attached to a person (Flatchr
// "meta information", e.g. a parser's output).
type CandidateMeta struct {
	OrgID     int64
	PersonID  int64
	AppName   string
	Type      string
	Name      string
	Value     string // a JSON object, as sent
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ApplicantSearch is a Flatchr applicant search (spec flatchr §5).
type ApplicantSearch struct {
	Email, Firstname, Lastname *string
	// Hired keeps applicants in (true) or out of (false) a hired stage:
	// one whose reference is "hired".
	Hired *bool
	// Column keeps applicants in a stage of that name (case-insensitive).
	Column *string
	// Vacancy is an encoded vacancy id or a slug.
	Vacancy *string
	// Company is a company key; only the principal's own is allowed.
	Company       *string
	CreatedFrom   *time.Time
	CreatedBefore *time.Time
}

// SearchApplicants finds the principal's organization's applicants,
// archived ones included, oldest first, at most MaxSearchResults.
// Errors: EForbidden (scope), ENotFound (foreign company, unknown vacancy).
func (s *Service) SearchApplicants(ctx context.Context, p *Principal, q ApplicantSearch) ([]*Candidate, error) {
	ok, own := p.canRead()
	if !ok {
		return nil, p.Allow(ActionRead)
	}
	if q.Company != nil && *q.Company != "" && *q.Company != p.Org.CompanyKey {
		return nil, Errorf(ENotFound, "company not found")
	}
	f := SearchFilter{OrgID: p.Org.ID, Email: q.Email, Firstname: q.Firstname, Lastname: q.Lastname,
		CreatedFrom: q.CreatedFrom, CreatedBefore: q.CreatedBefore, Limit: MaxSearchResults}
	if own {
		f.CreatedByKey = &p.Key.ID
	}
	// The organization's jobs are read only for the filters that need
	// them; results find theirs in the job cache, so that a search by
	// email (a connector's call after every create) costs one index probe.
	byID := map[int64]*Job{}
	if q.Vacancy != nil || q.Hired != nil || q.Column != nil {
		jobs, err := s.store.Jobs(ctx, p.Org.ID)
		if err != nil {
			return nil, err
		}
		for _, j := range jobs {
			byID[j.ID] = j
		}
		if err := searchStages(&f, jobs, q); err != nil {
			return nil, err
		}
	}
	apps, err := s.store.SearchApplications(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]*Candidate, 0, len(apps))
	for _, a := range apps {
		j := byID[a.JobID]
		if j == nil {
			if j, err = s.job(ctx, p.Org.ID, a.JobID); err != nil {
				return nil, err
			}
		}
		out = append(out, &Candidate{Application: a, Job: j, Org: p.Org})
	}
	return out, nil
}

// searchStages narrows f to the vacancy, hired and column filters of q.
// Errors: ENotFound (vacancy).
func searchStages(f *SearchFilter, jobs []*Job, q ApplicantSearch) error {
	if q.Vacancy != nil && *q.Vacancy != "" {
		j := vacancyOf(jobs, *q.Vacancy)
		if j == nil {
			return Errorf(ENotFound, "vacancy not found")
		}
		f.JobID = &j.ID
	}
	if q.Hired == nil && q.Column == nil {
		return nil
	}
	f.StageIDs = []int64{}
	for _, j := range jobs {
		for _, st := range j.Stages {
			if q.Hired != nil && (st.Reference == "hired") != *q.Hired {
				continue
			}
			if q.Column != nil && !strings.EqualFold(strings.TrimSpace(st.Name), strings.TrimSpace(*q.Column)) {
				continue
			}
			f.StageIDs = append(f.StageIDs, st.ID)
		}
	}
	return nil
}

// vacancyOf finds a job by encoded vacancy id (any case) or slug.
func vacancyOf(jobs []*Job, vacancy string) *Job {
	for _, j := range jobs {
		if j.VacancyKey == vacancy || j.VacancySlug == vacancy {
			return j
		}
	}
	for _, j := range jobs {
		if strings.EqualFold(j.VacancyKey, vacancy) {
			return j
		}
	}
	return nil
}

// Applicant returns an application by its encoded id. When vacancy is not
// empty it must be the application's job (encoded id, any case, or slug).
// Errors: EForbidden (scope), ENotFound.
func (s *Service) Applicant(ctx context.Context, p *Principal, vacancy, applicantKey string) (*Candidate, error) {
	ok, own := p.canRead()
	if !ok {
		return nil, p.Allow(ActionRead)
	}
	app, err := s.store.ApplicationByKey(ctx, p.Org.ID, applicantKey)
	if err != nil {
		if ErrorCodeOf(err) == ENotFound {
			return nil, Errorf(ENotFound, "applicant not found")
		}
		return nil, err
	}
	if own && app.CreatedByKey != p.Key.ID {
		return nil, Errorf(ENotFound, "applicant not found")
	}
	job, err := s.job(ctx, p.Org.ID, app.JobID)
	if err != nil {
		return nil, err
	}
	if vacancy != "" && vacancyOf([]*Job{job}, vacancy) == nil {
		return nil, Errorf(ENotFound, "applicant not found")
	}
	return &Candidate{Application: app, Job: job, Org: p.Org}, nil
}

// MoveApplicant moves an applicant to another stage of its job (a Flatchr
// column). The store records the move. Errors: EForbidden, ENotFound
// (applicant, or not in that vacancy), EInvalid (a stage of another job or
// no stage at all: spec flatchr §6 "Unknown column → 400").
func (s *Service) MoveApplicant(ctx context.Context, p *Principal, vacancy, applicantKey string, stageID int64) (*Candidate, error) {
	if err := p.Allow(ActionWrite); err != nil {
		return nil, err
	}
	c, err := s.Applicant(ctx, p, vacancy, applicantKey)
	if err != nil {
		return nil, err
	}
	if _, ok := c.Job.StageByID(stageID); !ok {
		return nil, FieldErrors(map[string]string{"column_id": "is not a column of this vacancy"})
	}
	if c.StageID == stageID {
		return c, nil
	}
	return s.UpdateApplication(ctx, p, c.Reference, &ApplicationUpdate{StageID: &stageID})
}

// ArchiveApplicant archives an applicant; archiving an archived one
// changes nothing and returns it as it is (spec flatchr §7).
// Errors: EForbidden, ENotFound.
func (s *Service) ArchiveApplicant(ctx context.Context, p *Principal, vacancy, applicantKey string) (*Candidate, error) {
	if err := p.Allow(ActionWrite); err != nil {
		return nil, err
	}
	c, err := s.Applicant(ctx, p, vacancy, applicantKey)
	if err != nil || c.Archived {
		return c, err
	}
	archived := true
	return s.UpdateApplication(ctx, p, c.Reference, &ApplicationUpdate{Archived: &archived})
}

// MaxMetaValue caps a meta information value (its JSON text).
const MaxMetaValue = 64 << 10

// SetCandidateMeta stores a meta information value on a candidate named by
// reference: its email, its integer candidate id or an applicant's encoded
// id (spec flatchr §12 #14). It reports whether the value is new.
// Errors: EForbidden, EInvalid, ENotFound (candidate).
func (s *Service) SetCandidateMeta(ctx context.Context, p *Principal, reference string, m CandidateMeta) (bool, error) {
	if err := p.Require(PermTag); err != nil {
		return false, err
	}
	f := fieldErrors{}
	reference = strings.TrimSpace(reference)
	if reference == "" {
		f.add("reference", "is required")
	}
	validText(f, "app_name", m.AppName, MaxShortText)
	validText(f, "type", m.Type, MaxShortText)
	validText(f, "name", m.Name, MaxShortText)
	if m.Value == "" {
		f.add("value", "is required")
	} else if len(m.Value) > MaxMetaValue {
		f.add("value", "is too long (maximum is 65536 bytes)")
	}
	if err := f.err(); err != nil {
		return false, err
	}
	personID, err := s.personOf(ctx, p, reference)
	if err != nil {
		return false, err
	}
	now := s.Now()
	m.OrgID, m.PersonID, m.CreatedAt, m.UpdatedAt = p.Org.ID, personID, now, now
	created, err := s.store.SetCandidateMeta(ctx, &m)
	if ErrorCodeOf(err) == ENotFound {
		return false, Errorf(ENotFound, "candidate not found")
	}
	return created, err
}

// CandidateMeta lists the meta information of the candidate named by
// reference (as SetCandidateMeta). Errors: EForbidden, ENotFound.
func (s *Service) CandidateMeta(ctx context.Context, p *Principal, reference string) ([]CandidateMeta, error) {
	if err := p.Allow(ActionRead); err != nil {
		return nil, err
	}
	personID, err := s.personOf(ctx, p, strings.TrimSpace(reference))
	if err != nil {
		return nil, err
	}
	return s.store.CandidateMeta(ctx, p.Org.ID, personID)
}

func (s *Service) personOf(ctx context.Context, p *Principal, reference string) (int64, error) {
	_, own := p.canRead()
	var f SearchFilter
	switch {
	case strings.Contains(reference, "@"):
		f = SearchFilter{OrgID: p.Org.ID, Email: &reference, Limit: 1}
	default:
		if id, err := strconv.ParseInt(reference, 10, 64); err == nil && id > 0 {
			if own {
				// A my_candidates key names candidates by what it
				// created; a bare id could be another key's.
				break
			}
			return id, nil
		}
		app, err := s.store.ApplicationByKey(ctx, p.Org.ID, reference)
		if err != nil {
			if ErrorCodeOf(err) == ENotFound {
				return 0, Errorf(ENotFound, "candidate not found")
			}
			return 0, err
		}
		if own && app.CreatedByKey != p.Key.ID {
			return 0, Errorf(ENotFound, "candidate not found")
		}
		return app.Person.ID, nil
	}
	if f.Email == nil {
		return 0, Errorf(ENotFound, "candidate not found")
	}
	if own {
		f.CreatedByKey = &p.Key.ID
	}
	apps, err := s.store.SearchApplications(ctx, f)
	if err != nil {
		return 0, err
	}
	if len(apps) == 0 {
		return 0, Errorf(ENotFound, "candidate not found")
	}
	return apps[0].Person.ID, nil
}
