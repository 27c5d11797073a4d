package intake

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Scopes of the job, organization and user endpoints (spec welcomekit §1).
const (
	ScopeJobsR            Scope = "jobs_r"
	ScopeJobsRW           Scope = "jobs_rw"
	ScopeSuJobsR          Scope = "su_jobs_r"
	ScopeSuOrganizationsR Scope = "su_organizations_r"
	ScopeMeR              Scope = "me_r"
	errNotMember                = "You are not member of this organization"
)

// AllowAny checks that the principal's key carries one of scopes, before
// any input is read. Errors: EForbidden naming the scopes that would do.
func (p *Principal) AllowAny(scopes ...Scope) error {
	if slices.ContainsFunc(scopes, p.Key.Has) {
		return nil
	}
	names := make([]string, len(scopes))
	for i, s := range scopes {
		names[i] = string(s)
	}
	return Errorf(EForbidden, "this endpoint requires the %s scope", strings.Join(names, " or "))
}

// ListJobs lists the jobs of the principal's organization, named by orgRef
// (spec welcomekit §4 GET /jobs). Errors: EForbidden for another
// organization (checked before anything is looked up, §9 #7).
func (s *Service) ListJobs(ctx context.Context, p *Principal, orgRef string, f JobFilter) ([]*Job, int, error) {
	if orgRef != p.Org.Reference {
		return nil, 0, Errorf(EForbidden, errNotMember)
	}
	f.OrgID = p.Org.ID
	return s.store.ListJobs(ctx, f)
}

// ListAllJobs lists the jobs of every organization (su_jobs_r), with the
// organizations they belong to by id.
func (s *Service) ListAllJobs(ctx context.Context, f JobFilter) ([]*Job, map[int64]*Org, int, error) {
	f.OrgID = 0
	jobs, total, err := s.store.ListJobs(ctx, f)
	if err != nil {
		return nil, nil, 0, err
	}
	orgs, err := s.orgsByID(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	return jobs, orgs, total, nil
}

func (s *Service) orgsByID(ctx context.Context) (map[int64]*Org, error) {
	list, err := s.store.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*Org, len(list))
	for _, o := range list {
		out[o.ID] = o
	}
	return out, nil
}

// Job returns a job of the principal's organization by reference, read
// from the store (not the cache: its content is shown).
// Errors: ENotFound.
func (s *Service) Job(ctx context.Context, p *Principal, ref string) (*Job, error) {
	j, err := s.store.JobByReference(ctx, p.Org.ID, ref)
	if ErrorCodeOf(err) == ENotFound {
		return nil, Errorf(ENotFound, "Job not found")
	}
	return j, err
}

// StageCounts counts the applications in each stage of a job of the
// principal's organization.
func (s *Service) StageCounts(ctx context.Context, p *Principal, j *Job) (map[int64]int, error) {
	return s.store.StageCounts(ctx, p.Org.ID, j.ID)
}

// CreateJob creates a job in the principal's organization, named by orgRef,
// from a client's fields; it starts as a draft unless in says otherwise,
// with the default pipeline unless in gives one.
// Errors: EForbidden (PermManageJobs, organization), EInvalid naming every
// bad field, EConflict (external_reference).
func (s *Service) CreateJob(ctx context.Context, p *Principal, orgRef string, in *JobInput) (*Job, error) {
	if err := p.Require(PermManageJobs); err != nil {
		return nil, err
	}
	if orgRef != p.Org.Reference {
		return nil, Errorf(EForbidden, errNotMember)
	}
	org, err := s.store.OrgByReference(ctx, orgRef)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	f := fieldErrors{}
	in.checkRequired(f)
	key := NewEncodedID()
	j := &Job{
		OrgID:      org.ID,
		Reference:  "WTTJ_" + key[:7],
		VacancyKey: key,
		CreatedAt:  now,
		UpdatedAt:  now,
		Stages:     DefaultStages(),
	}
	for i := range j.Stages {
		j.Stages[i].Position = i
	}
	in.apply(f, j, org, now)
	if err := f.err(); err != nil {
		return nil, err
	}
	j.VacancySlug = VacancySlug(j.VacancyKey, j.Title)
	recordVacancy(j, EventNewVacancy, org, p, now)
	if err := s.store.CreateJob(ctx, j); err != nil {
		return nil, err
	}
	s.jobs.clear()
	return j, nil
}

// UpdateJob changes a job of the principal's organization.
// Errors: EForbidden (PermManageJobs), ENotFound, EInvalid naming every bad
// field (also a stage that applications sit in and would be removed),
// EConflict.
func (s *Service) UpdateJob(ctx context.Context, p *Principal, ref string, in *JobInput) (*Job, error) {
	if err := p.Require(PermManageJobs); err != nil {
		return nil, err
	}
	org, err := s.store.OrgByReference(ctx, p.Org.Reference)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	j, err := s.store.UpdateJob(ctx, p.Org.ID, ref, func(j *Job) error {
		f := fieldErrors{}
		stored, wasArchived := j.Stages, j.Archived
		in.apply(f, j, org, now)
		if in.Stages != nil {
			for i, st := range j.Stages {
				if st.ID != 0 && !slices.ContainsFunc(stored, func(old Stage) bool { return old.ID == st.ID }) {
					f.add(fmt.Sprintf("stages[%d].id", i), "is not a stage of the job")
				}
			}
		}
		if err := f.err(); err != nil {
			return err
		}
		j.UpdatedAt = now
		j.Events = nil
		name := EventUpdateVacancy
		if j.Archived && !wasArchived {
			name = EventArchiveVacancy
		}
		recordVacancy(j, name, org, p, now)
		return nil
	})
	if ErrorCodeOf(err) == ENotFound {
		return nil, Errorf(ENotFound, "Job not found")
	}
	if err != nil {
		return nil, err
	}
	s.jobs.clear()
	return j, nil
}

// UpdateJobStatus moves a job of the principal's organization to status.
// Errors: EForbidden (PermManageJobs), ENotFound, EInvalid.
func (s *Service) UpdateJobStatus(ctx context.Context, p *Principal, ref, status string) (*Job, error) {
	if err := p.Require(PermManageJobs); err != nil {
		return nil, err
	}
	if strings.TrimSpace(status) == "" {
		return nil, FieldErrors(map[string]string{"status": "is required"})
	}
	return s.UpdateJob(ctx, p, ref, &JobInput{Status: &status})
}

// Org returns an organization with its content by reference; the
// principal must hold su_organizations_r or be a member.
// Errors: ENotFound.
func (s *Service) Org(ctx context.Context, p *Principal, ref string) (*Org, error) {
	if ref != p.Org.Reference && !p.Key.Has(ScopeSuOrganizationsR) {
		return nil, Errorf(ENotFound, "Organization not found")
	}
	o, err := s.store.OrgByReference(ctx, ref)
	if ErrorCodeOf(err) == ENotFound {
		return nil, Errorf(ENotFound, "Organization not found")
	}
	return o, err
}

// OrgQuery selects organizations for the su_organizations_r listing: by
// exact name (case-insensitive) or website.
type OrgQuery struct {
	Name    *string
	Website *string
}

// Orgs lists the organizations matching q, by name.
func (s *Service) Orgs(ctx context.Context, q OrgQuery) ([]*Org, error) {
	list, err := s.store.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, o := range list {
		switch {
		case q.Name != nil && !strings.EqualFold(o.Name, strings.TrimSpace(*q.Name)):
		case q.Website != nil && !sameSite(o.Content.Website, *q.Website):
		default:
			out = append(out, o)
		}
	}
	return out, nil
}

// sameSite compares two website URLs ignoring scheme, case and a trailing
// slash, as clients spell them differently.
func sameSite(a, b string) bool {
	norm := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
		return strings.TrimSuffix(s, "/")
	}
	return a != "" && norm(a) == norm(b)
}

// CurrentOrg returns the principal's organization with its content.
func (s *Service) CurrentOrg(ctx context.Context, p *Principal) (*Org, error) {
	return s.store.OrgByReference(ctx, p.Org.Reference)
}

// PublicJobs returns an organization by reference and its published jobs,
// for the unauthenticated embed. Errors: ENotFound.
func (s *Service) PublicJobs(ctx context.Context, orgRef string) (*Org, []*Job, error) {
	org, err := s.store.OrgByReference(ctx, orgRef)
	if ErrorCodeOf(err) == ENotFound {
		return nil, nil, Errorf(ENotFound, "Organization not found")
	}
	if err != nil {
		return nil, nil, err
	}
	st := JobPublished
	jobs, _, err := s.store.ListJobs(ctx, JobFilter{OrgID: org.ID, Status: &st})
	return org, jobs, err
}

// VacancyData is the Data of vacancy events: the job as it stands after
// the change, its organization, and the key that made it.
type VacancyData struct {
	Job *Job
	Org *Org
	// ActorKeyID is the API key that made the change; 0 from the world file.
	ActorKeyID int64 `json:",omitempty"`
}

// recordVacancy records a vacancy event on j, encoded when the store
// writes j (with its ids filled).
func recordVacancy(j *Job, name EventName, org *Org, p *Principal, at time.Time) {
	var actor int64
	if p != nil && p.Key != nil {
		actor = p.Key.ID
	}
	j.Record(&Event{OrgID: j.OrgID, Name: name, JobID: j.ID,
		Data: &VacancyData{Job: j, Org: org, ActorKeyID: actor}, CreatedAt: at})
}
