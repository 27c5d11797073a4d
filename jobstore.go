package intake

import (
	"context"
	"time"
)

// JobFilter selects jobs for ListJobs. Nil pointers do not filter.
type JobFilter struct {
	// OrgID limits the list to one organization; 0 lists every
	// organization's jobs (the su_jobs_r listing).
	OrgID          int64
	Status         *JobStatus
	ContractType   *string
	CreatedAfter   *time.Time // strictly after
	UpdatedAfter   *time.Time
	PublishedAfter *time.Time
	Offset, Limit  int
}

// JobStore keeps jobs written through the API and the organizations'
// content. It is part of Store.
type JobStore interface {
	// CreateJob stores a new job with its stages and questions, filling the
	// ids and timestamps as stored. Errors: EConflict (Fields names the
	// reference, vacancy or external_reference taken in the organization).
	CreateJob(ctx context.Context, j *Job) error
	// UpdateJob loads the job, lets fn change it and saves it, atomically;
	// fn may be called again and must not have side effects. Id, org,
	// reference, vacancy key and creation time are kept. Stages are saved as
	// by SaveWorld. Errors: ENotFound, whatever fn returns, EConflict when
	// the external reference is taken, EInvalid when a stage that
	// applications sit in would be removed.
	UpdateJob(ctx context.Context, orgID int64, reference string, fn func(*Job) error) (*Job, error)
	// ListJobs lists matching jobs by id with stages and questions, and the
	// number of matches ignoring Offset and Limit.
	ListJobs(ctx context.Context, f JobFilter) ([]*Job, int, error)
	// OrgByReference finds an organization, with its content, by its
	// WelcomeKit reference. Errors: ENotFound.
	OrgByReference(ctx context.Context, reference string) (*Org, error)
	// StageCounts returns how many applications sit in each stage of a job
	// of the organization; stages without any are absent.
	StageCounts(ctx context.Context, orgID, jobID int64) (map[int64]int, error)
}
