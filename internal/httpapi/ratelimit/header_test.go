package ratelimit

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"intake"
)

func TestSetHeaders(t *testing.T) {
	h := http.Header{}
	SetHeaders(h, &intake.RateLimit{Limit: 400, Remaining: 12, Reset: 1900 * time.Millisecond})
	want := http.Header{"X-Ratelimit-Limit": {"400"}, "X-Ratelimit-Remaining": {"12"}, "X-Ratelimit-Reset": {"2"}}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Error(diff)
	}
	h = http.Header{}
	SetHeaders(h, nil)
	if len(h) != 0 {
		t.Errorf("headers without a limit: %v", h)
	}
}

func TestSetRetryAfter(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"rounded up", &intake.Error{Code: intake.ERateLimited, RetryAfter: 2100 * time.Millisecond}, "3"},
		{"at least one second", &intake.Error{Code: intake.ERateLimited, RetryAfter: time.Millisecond}, "1"},
		{"wrapped", errors.Join(&intake.Error{Code: intake.EUnavailable, RetryAfter: time.Second}), "1"},
		{"none", intake.Errorf(intake.EInvalid, "x"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			SetRetryAfter(h, tt.err)
			if got := h.Get("Retry-After"); got != tt.want {
				t.Errorf("Retry-After = %q, want %q", got, tt.want)
			}
		})
	}
}
