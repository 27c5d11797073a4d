package flatchr

import (
	"net/http"
	"testing"

	"intake"
)

// A request spends one unit of its key's budget however many places repeat
// the token, and the refusal is a hapi 429 with Retry-After.
func TestRateLimitPerRequest(t *testing.T) {
	s := newServer(t, func(c *intake.ServiceConfig) { c.RateLimiter = intake.NewTokenBucket(0.001, 2) })
	body := `{"token":"` + seedToken + `","vacancy":"` + seedVacancy + `","firstname":"a","lastname":"b","type":"document","resume":{"data":"SGVsbG8h"}}`
	for i, remaining := range []string{"1", "0"} {
		res := s.postJSON(t, "/vacancy/candidate/test?token="+seedToken, body, "Authorization", "Bearer "+seedToken)
		if res.status != http.StatusOK || res.header.Get("X-RateLimit-Remaining") != remaining || res.header.Get("X-RateLimit-Limit") != "2" {
			t.Fatalf("request %d: %d %v %s", i, res.status, res.header, res.body)
		}
	}
	res := s.postJSON(t, "/vacancy/candidate/test", body, "Authorization", "Bearer "+seedToken)
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") != "1000" {
		t.Fatalf("over the limit: %d %v", res.status, res.header)
	}
	if got, want := compact(t, string(res.body)), hapi(http.StatusTooManyRequests, "rate limit exceeded: 2 requests per burst; retry in 1000 s"); got != want {
		t.Errorf("body = %s, want %s", got, want)
	}
}
