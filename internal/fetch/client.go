package fetch

import (
	"net/http"
	"time"
)

// Client returns an HTTP client that dials through the guard's address
// check, like Fetch, but follows no redirect: a 3xx answer is returned as
// it is. Webhook deliveries post with it: a redirect would resend the body
// to a target nobody checked, so it counts as a failed attempt.
func (g *Guard) Client(timeout time.Duration) *http.Client {
	return &http.Client{
		Transport:     g.client.Transport,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
