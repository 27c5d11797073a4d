// Package ratelimit writes intake's rate-limit standing into HTTP headers,
// the same way for every dialect.
package ratelimit

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"intake"
)

// SetHeaders adds X-RateLimit-Limit, -Remaining and -Reset (seconds until
// the budget is full again) for a principal's standing; nothing when its
// requests are not limited.
func SetHeaders(h http.Header, rl *intake.RateLimit) {
	if rl == nil {
		return
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(rl.Limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(rl.Remaining))
	h.Set("X-RateLimit-Reset", seconds(rl.Reset))
}

// SetRetryAfter adds Retry-After (whole seconds, at least 1) when err says
// when to retry.
func SetRetryAfter(h http.Header, err error) {
	if d := intake.RetryAfterOf(err); d > 0 {
		h.Set("Retry-After", seconds(d))
	}
}

func seconds(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}
