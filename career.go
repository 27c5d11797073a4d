package intake

import "context"

// CareerJob returns a published, open job of the organization with that
// career-site slug, by vacancy slug or encoded id, for the public career
// site. Errors: ENotFound for an unknown organization, or a job that is
// unknown, unpublished or archived (the site does not reveal drafts).
func (s *Service) CareerJob(ctx context.Context, orgSlug, vacancy string) (*Org, *Job, error) {
	org, err := s.store.OrgBySlug(ctx, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	j := s.jobs.getRef(jobRefKey{orgID: org.ID, ref: vacancy, vacancy: true})
	if j == nil {
		if j, err = s.store.JobByVacancy(ctx, org.ID, vacancy); err != nil {
			if ErrorCodeOf(err) == ENotFound {
				return nil, nil, Errorf(ENotFound, "job not found")
			}
			return nil, nil, err
		}
		s.jobs.put(j, vacancy)
	}
	if !j.Published || j.Archived {
		return nil, nil, Errorf(ENotFound, "job not found")
	}
	return org, j, nil
}

// CareerJobs returns the organization with that career-site slug, with its
// content, and its published jobs, for the career site's list, sitemap and
// feed. Errors: ENotFound.
func (s *Service) CareerJobs(ctx context.Context, orgSlug string) (*Org, []*Job, error) {
	org, err := s.store.OrgBySlug(ctx, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	st := JobPublished
	jobs, _, err := s.store.ListJobs(ctx, JobFilter{OrgID: org.ID, Status: &st})
	return org, jobs, err
}

// CareerPrincipal returns the principal an application sent through the
// career site's form is made as: the organization with that career-site
// slug, allowed to create candidates and nothing else, on behalf of no API
// key (CreatedByKey 0, like the dashboard). The caller has verified the
// form's signed token, which is the credential. The job must be published
// and open. Errors: ENotFound.
func (s *Service) CareerPrincipal(ctx context.Context, orgSlug string, jobID int64) (*Principal, *Job, error) {
	org, err := s.store.OrgBySlug(ctx, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	j, err := s.job(ctx, org.ID, jobID)
	if err != nil {
		return nil, nil, err
	}
	if !j.Published || j.Archived {
		return nil, nil, Errorf(ENotFound, "job not found")
	}
	key := &APIKey{OrgID: org.ID, Name: "career site", Scopes: []Scope{ScopeCandidatesRW}}
	return &Principal{Key: key, Org: org}, j, nil
}
