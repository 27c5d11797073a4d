package intake

import "time"

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
	Questions         []Question
	CreatedAt         time.Time
	UpdatedAt         time.Time
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
