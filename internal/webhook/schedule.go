package webhook

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// DefaultSchedule is the retry schedule: the delays after the first, second…
// failed attempt, 27 h 35 min in all, after which a delivery is failed.
const DefaultSchedule = "5s,5m,30m,2h,5h,10h,10h"

// ParseSchedule reads comma-separated durations ("5s,5m,30m").
func ParseSchedule(s string) ([]time.Duration, error) {
	var out []time.Duration
	for part := range strings.SplitSeq(s, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("webhook retry schedule: %q is not a positive duration", part)
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("webhook retry schedule: empty")
	}
	return out, nil
}

// jitter spreads d by ±20 %, so that receivers coming back do not get every
// retry of every subscription at the same instant.
func jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}
