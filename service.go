package intake

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"
)

// ServiceConfig wires a Service.
type ServiceConfig struct {
	Store   Store
	Blobs   BlobStore
	Fetcher Fetcher
	// Now is the clock; time.Now when nil.
	Now    func() time.Time
	Logger *slog.Logger
	// RateLimiter limits requests per API key; nil disables the limit.
	RateLimiter RateLimiter
	// MaxConcurrentUploads caps the files being received or downloaded at
	// once, which bounds disk bandwidth and open files; 0 means 64.
	MaxConcurrentUploads int
	// JobCacheTTL bounds how long a job read from the store is reused. Jobs
	// change only when a world file is applied, possibly by another process
	// sharing the database.
	JobCacheTTL time.Duration
	Activity    ActivityConfig
}

// Service holds every rule of the domain: authentication, scopes, org
// isolation, validation, limits and references. Dialect adapters translate
// wire formats and call it; they never touch the Store.
type Service struct {
	store    Store
	blobs    BlobStore
	fetcher  Fetcher
	now      func() time.Time
	log      *slog.Logger
	jobs     jobCache
	keys     keyCache
	limiter  RateLimiter
	uploads  chan struct{}
	activity ActivityConfig
}

// NewService returns a Service over cfg.
func NewService(cfg ServiceConfig) *Service {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ttl := cfg.JobCacheTTL
	if ttl == 0 {
		ttl = 5 * time.Second
	}
	uploads := cfg.MaxConcurrentUploads
	if uploads <= 0 {
		uploads = 64
	}
	return &Service{
		limiter:  cfg.RateLimiter,
		activity: cfg.Activity,
		uploads:  make(chan struct{}, uploads),
		store:    cfg.Store,
		blobs:    cfg.Blobs,
		fetcher:  cfg.Fetcher,
		now:      now,
		log:      log,
		jobs:     jobCache{ttl: ttl, now: now, byID: map[int64]cachedJob{}, byRef: map[jobRefKey]cachedJob{}},
	}
}

// Now returns the service clock's current time, truncated to milliseconds
// (the precision every dialect shows and every store keeps).
func (s *Service) Now() time.Time { return s.now().Truncate(time.Millisecond) }

// Ready reports whether the store answers. Errors: EUnavailable.
func (s *Service) Ready(ctx context.Context) error { return s.store.Ping(ctx) }

// Authenticate resolves a plain token to a live key and its organization,
// and spends one request of the key's rate limit.
// Errors: EUnauthenticated for an empty, unknown or revoked token;
// ERateLimited (with RetryAfter) when the key is over its limit.
func (s *Service) Authenticate(ctx context.Context, token string) (*Principal, error) {
	if token == "" {
		return nil, Errorf(EUnauthenticated, "missing access token")
	}
	p, err := s.principal(ctx, HashToken(token), "invalid access token")
	if err != nil {
		return nil, err
	}
	if s.limiter != nil {
		rl, ok := s.limiter.Take(p.Key.ID, s.now())
		p.Rate = &rl
		if !ok {
			secs := int(math.Ceil(rl.RetryAfter.Seconds()))
			return nil, &Error{Code: ERateLimited, RetryAfter: rl.RetryAfter,
				Message: fmt.Sprintf("rate limit exceeded: %d requests per burst; retry in %d s", rl.Limit, secs)}
		}
	}
	return p, nil
}

// principal resolves a stored key hash to a live key and its organization;
// an unknown or revoked key fails with EUnauthenticated and refusal as its
// message. Live keys are cached for KeyCacheTTL; unknown and revoked ones
// are not, so they cost a store read every time but no memory.
func (s *Service) principal(ctx context.Context, hash, refusal string) (*Principal, error) {
	now := s.now()
	if key, org, ok := s.keys.get(hash, now); ok {
		// A new Principal per request: Authenticate sets its Rate.
		return &Principal{Key: key, Org: org}, nil
	}
	gen := s.keys.generation()
	key, org, err := s.store.APIKeyByHash(ctx, hash)
	switch {
	case ErrorCodeOf(err) == ENotFound:
		return nil, Errorf(EUnauthenticated, "%s", refusal)
	case err != nil:
		return nil, err
	case key.RevokedAt != nil:
		return nil, Errorf(EUnauthenticated, "%s", refusal)
	}
	s.keys.put(hash, key, org, now, gen)
	return &Principal{Key: key, Org: org}, nil
}

// Action is what a caller wants to do with candidates.
type Action int

// Actions checked by Allow.
const (
	ActionRead Action = iota
	ActionWrite
)

// Allow checks the principal's scopes for an action, before any input is
// read. Errors: EForbidden naming the scopes that would do.
func (p *Principal) Allow(a Action) error {
	var ok bool
	if a == ActionWrite {
		ok, _ = p.canWrite()
		if !ok {
			return Errorf(EForbidden, "this endpoint requires the candidates_rw or my_candidates_rw scope")
		}
		return nil
	}
	ok, _ = p.canRead()
	if !ok {
		return Errorf(EForbidden, "this endpoint requires a candidates_r(w) or my_candidates_r(w) scope")
	}
	return nil
}

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
		j, err = s.store.JobByVacancy(ctx, p.Org.ID, vacancy)
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
