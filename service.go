package intake

import (
	"context"
	"log/slog"
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
	// Passwords hashes user passwords; nil disables user accounts.
	Passwords PasswordHasher
	// UserTokens signs user tokens; nil disables POST /user/login.
	UserTokens UserTokens
	// UserTokenTTL is a user token's lifetime; DefaultUserTokenTTL when 0.
	UserTokenTTL time.Duration
	Activity     ActivityConfig
}

// Service holds every rule of the domain: authentication, scopes, org
// isolation, validation, limits and references. Dialect adapters translate
// wire formats and call it; they never touch the Store.
type Service struct {
	store   Store
	blobs   BlobStore
	fetcher Fetcher
	now     func() time.Time
	log     *slog.Logger
	jobs    jobCache
	keys    keyCache
	limiter RateLimiter
	uploads chan struct{}

	passwords PasswordHasher
	tokens    UserTokens
	tokenTTL  time.Duration
	logins    loginLimiter
	resets    loginLimiter
	dummyOnce sync.Once
	dummy     string
	activity  ActivityConfig
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
	tokenTTL := cfg.UserTokenTTL
	if tokenTTL <= 0 {
		tokenTTL = DefaultUserTokenTTL
	}
	return &Service{
		passwords: cfg.Passwords,
		tokens:    cfg.UserTokens,
		tokenTTL:  tokenTTL,
		limiter:   cfg.RateLimiter,
		uploads:   make(chan struct{}, uploads),
		store:     cfg.Store,
		blobs:     cfg.Blobs,
		fetcher:   cfg.Fetcher,
		now:       now,
		log:       log,
		jobs:      jobCache{ttl: ttl, now: now, byID: map[int64]cachedJob{}, byRef: map[jobRefKey]cachedJob{}},
		activity:  cfg.Activity,
	}
}

// Now returns the service clock's current time, truncated to milliseconds
// (the precision every dialect shows and every store keeps).
func (s *Service) Now() time.Time { return s.now().Truncate(time.Millisecond) }

// Ready reports whether the store answers. Errors: EUnavailable.
func (s *Service) Ready(ctx context.Context) error { return s.store.Ping(ctx) }
