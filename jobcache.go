package intake

import (
	"sync"
	"time"
)

// jobRefKey names a job by a string of its organization: its WelcomeKit
// reference, or (vacancy) the string a Flatchr client sent, slug or
// encoded id. Only strings that found a job are kept, so at most three
// per job.
type jobRefKey struct {
	orgID   int64
	ref     string
	vacancy bool
}

type cachedJob struct {
	job *Job
	at  time.Time
}

// jobCache keeps recently read jobs: every create and read needs its job,
// and jobs change only when a world is applied.
type jobCache struct {
	ttl   time.Duration
	now   func() time.Time
	mu    sync.RWMutex
	byID  map[int64]cachedJob
	byRef map[jobRefKey]cachedJob
}

func (c *jobCache) get(id int64) *Job {
	c.mu.RLock()
	e, ok := c.byID[id]
	c.mu.RUnlock()
	return c.fresh(e, ok)
}

func (c *jobCache) getRef(k jobRefKey) *Job {
	c.mu.RLock()
	e, ok := c.byRef[k]
	c.mu.RUnlock()
	return c.fresh(e, ok)
}

func (c *jobCache) fresh(e cachedJob, ok bool) *Job {
	if ok && c.now().Sub(e.at) < c.ttl {
		return e.job
	}
	return nil
}

// put caches j by id and reference, and by vacancy string if not "".
func (c *jobCache) put(j *Job, vacancy string) {
	e := cachedJob{job: j, at: c.now()}
	c.mu.Lock()
	c.byID[j.ID] = e
	c.byRef[jobRefKey{orgID: j.OrgID, ref: j.Reference}] = e
	if vacancy != "" {
		c.byRef[jobRefKey{orgID: j.OrgID, ref: vacancy, vacancy: true}] = e
	}
	c.mu.Unlock()
}

func (c *jobCache) clear() {
	c.mu.Lock()
	c.byID = map[int64]cachedJob{}
	c.byRef = map[jobRefKey]cachedJob{}
	c.mu.Unlock()
}
