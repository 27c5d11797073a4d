package welcomekit

import (
	"net/http"
	"testing"

	"intake"
)

func TestRateLimitPerKey(t *testing.T) {
	limiter := intake.NewTokenBucket(0.001, 2)
	f := newFixtureWith(t, Options{}, func(c *intake.ServiceConfig) { c.RateLimiter = limiter })
	list := candidates + "?job_reference=" + seedJob

	for i, wantRemaining := range []string{"1", "0"} {
		res := f.do(t, request{path: list, token: rwToken})
		if res.status != http.StatusOK || res.header.Get("X-RateLimit-Limit") != "2" || res.header.Get("X-RateLimit-Remaining") != wantRemaining {
			t.Fatalf("request %d: %d %v", i, res.status, res.header)
		}
	}
	res := f.do(t, request{path: list, token: rwToken})
	if res.status != http.StatusTooManyRequests {
		t.Fatalf("over the limit: status %d %s", res.status, res.body)
	}
	// The env's clock stands still: an empty bucket refilling at 0.001/s
	// has its next request in exactly 1000 s.
	if got := res.header.Get("Retry-After"); got != "1000" {
		t.Errorf("Retry-After = %q, want 1000", got)
	}
	checkError(t, res, http.StatusTooManyRequests, "rate_limited", "rate limit exceeded: 2 requests per burst; retry in 1000 s")
	if other := f.do(t, request{path: list, token: readToken}); other.status != http.StatusOK {
		t.Errorf("another key was limited too: %d", other.status)
	}
}
