package intake

import (
	"time"
)

// RateLimit is where a key stands against its request budget; adapters show
// it in rate-limit headers.
type RateLimit struct {
	Limit     int           // burst size: requests allowed at once
	Remaining int           // requests allowed right now
	Reset     time.Duration // until the bucket is full again
	// RetryAfter is how long a refused request should wait; 0 when allowed.
	RetryAfter time.Duration
}

// RateLimiter decides whether a key may make one more request.
type RateLimiter interface {
	Take(keyID int64, now time.Time) (RateLimit, bool)
}
