package intake

import (
	"context"
	"time"
)

// Job is a position of one organization that candidates apply to. Its stages
// are the ordered pipeline an application moves through.
type Job struct {
	ID    int64 // WelcomeKit job_id; also the Flatchr clear vacancy_id
	OrgID int64
	// Reference is the WelcomeKit job_reference, unique within the org.
	Reference string
	Title     string
	// VacancyKey is the Flatchr encoded vacancy id (16 base62 chars).
	VacancyKey string
	// VacancySlug is the Flatchr vacancy slug: lowercase(VacancyKey)-title-slug.
	VacancySlug string
	// Published says whether the Flatchr public feed lists the job.
	Published bool
	// Archived jobs accept no new applications.
	Archived bool
	// PublishedAt is when the job was first published; ArchivedAt when it
	// was archived (nil while it is not).
	PublishedAt *time.Time
	ArchivedAt  *time.Time
	// ExternalReference is the client's own id of the job, unique within
	// the organization when not empty.
	ExternalReference string
	Content           JobContent
	Stages            []Stage
	// Outbox holds the events to append with the next CreateJob or
	// UpdateJob of the job.
	Outbox
	Questions []Question
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Stage is one step of a job's pipeline. IDs are global positive integers.
type Stage struct {
	ID       int64
	JobID    int64
	Position int
	Name     string
	// Reference is a well-known code such as "initial" or "refused"; empty for
	// custom stages (WelcomeKit answers null).
	Reference string
	Visible   bool
}

// Question is a screening question of a job, answered on Flatchr creates.
type Question struct {
	ID       string
	Text     string
	Type     string
	Required bool
	Options  []string
	Position int
}

// FirstStage returns the stage new applications land in by default.
func (j *Job) FirstStage() (Stage, bool) {
	if len(j.Stages) == 0 {
		return Stage{}, false
	}
	return j.Stages[0], true
}

// StageByID returns the job's stage with that id.
func (j *Job) StageByID(id int64) (Stage, bool) {
	for _, s := range j.Stages {
		if s.ID == id {
			return s, true
		}
	}
	return Stage{}, false
}

// StageByReference returns the job's stage with that reference. The moves
// example of the WelcomeKit docs spells `to-meet` where stages say `to_meet`,
// so hyphens and underscores are interchangeable.
func (j *Job) StageByReference(ref string) (Stage, bool) {
	norm := normalizeStageReference(ref)
	for _, s := range j.Stages {
		if s.Reference != "" && normalizeStageReference(s.Reference) == norm {
			return s, true
		}
	}
	return Stage{}, false
}

func normalizeStageReference(ref string) string {
	b := []byte(ref)
	for i, c := range b {
		if c == '-' {
			b[i] = '_'
		}
	}
	return string(b)
}

// DefaultStages is the pipeline a job gets when the world file declares none
// (spec welcomekit §3, decision on the default pipeline).
func DefaultStages() []Stage {
	return []Stage{
		{Name: "New", Reference: "initial", Visible: true},
		{Name: "To meet", Reference: "to_meet", Visible: true},
		{Name: "Interviewed", Reference: "interviewed", Visible: true},
		{Name: "Offer", Reference: "made_offer", Visible: true},
		{Name: "Hired", Reference: "hired", Visible: true},
		{Name: "Refused", Reference: "refused", Visible: true},
	}
}

func (s *Service) job(ctx context.Context, orgID, jobID int64) (*Job, error) {
	if j := s.jobs.get(jobID); j != nil && j.OrgID == orgID {
		return j, nil
	}
	j, err := s.store.Job(ctx, orgID, jobID)
	if err != nil {
		return nil, err
	}
	s.jobs.put(j, "")
	return j, nil
}

// Jobs lists the principal's organization's jobs.
func (s *Service) Jobs(ctx context.Context, p *Principal) ([]*Job, error) {
	return s.store.Jobs(ctx, p.Org.ID)
}

// JobByReference resolves a WelcomeKit organization and job reference. The
// organization is checked first so that unknown and foreign organizations
// look the same (spec welcomekit §9 #7).
// Errors: EForbidden when orgRef is not the principal's organization,
// ENotFound when the job does not exist there.
func (s *Service) JobByReference(ctx context.Context, p *Principal, orgRef, jobRef string) (*Job, error) {
	if orgRef != p.Org.Reference {
		return nil, Errorf(EForbidden, "You are not member of this organization")
	}
	if j := s.jobs.getRef(jobRefKey{orgID: p.Org.ID, ref: jobRef}); j != nil {
		return j, nil
	}
	j, err := s.store.JobByReference(ctx, p.Org.ID, jobRef)
	if err != nil {
		if ErrorCodeOf(err) == ENotFound {
			return nil, Errorf(ENotFound, "Job not found")
		}
		return nil, err
	}
	s.jobs.put(j, "")
	return j, nil
}

// JobByVacancy resolves a Flatchr vacancy slug or encoded id within the
// principal's organization. Errors: ENotFound (also for archived jobs).
func (s *Service) JobByVacancy(ctx context.Context, p *Principal, vacancy string) (*Job, error) {
	j := s.jobs.getRef(jobRefKey{orgID: p.Org.ID, ref: vacancy, vacancy: true})
	if j == nil {
		var err error
		j, err = s.lookupVacancy(ctx, p.Org.ID, vacancy)
		if err != nil {
			if ErrorCodeOf(err) == ENotFound {
				return nil, Errorf(ENotFound, "vacancy not found")
			}
			return nil, err
		}
		s.jobs.put(j, vacancy)
	}
	if j.Archived {
		return nil, Errorf(ENotFound, "vacancy not found")
	}
	return j, nil
}

// PublicCompany returns an organization by career-site slug and its
// published, non-archived jobs (the public Flatchr feed). Errors: ENotFound.
func (s *Service) PublicCompany(ctx context.Context, slug string) (*Org, []*Job, error) {
	org, err := s.store.OrgBySlug(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	jobs, err := s.store.Jobs(ctx, org.ID)
	if err != nil {
		return nil, nil, err
	}
	published := jobs[:0]
	for _, j := range jobs {
		if j.Published && !j.Archived {
			published = append(published, j)
		}
	}
	return org, published, nil
}
