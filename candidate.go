package intake

// Candidate is an application with the job and organization a dialect needs
// to render it.
type Candidate struct {
	*Application
	Job *Job
	Org *Org
}

// Stage returns the stage the application sits in.
func (c *Candidate) Stage() (Stage, bool) { return c.Job.StageByID(c.StageID) }
