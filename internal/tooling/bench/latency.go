package bench

import (
	"math"
	"slices"
	"time"
)

// Latencies is a sorted set of recorded latencies: quantiles are exact, not
// estimated from buckets.
type Latencies []time.Duration

// NewLatencies sorts d in place and returns it as Latencies.
func NewLatencies(d []time.Duration) Latencies {
	slices.Sort(d)
	return Latencies(d)
}

// Quantile returns the nearest-rank q-quantile (0 < q ≤ 1): the smallest
// recorded latency that at least q of all latencies do not exceed. It is 0
// when nothing was recorded.
func (l Latencies) Quantile(q float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	rank := int(math.Ceil(q*float64(len(l)))) - 1
	rank = max(0, min(rank, len(l)-1))
	return l[rank]
}

// Max returns the largest latency, 0 when none.
func (l Latencies) Max() time.Duration {
	if len(l) == 0 {
		return 0
	}
	return l[len(l)-1]
}

// Mean returns the arithmetic mean, 0 when none.
func (l Latencies) Mean() time.Duration {
	if len(l) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range l {
		sum += d
	}
	return sum / time.Duration(len(l))
}

// Millis renders d in milliseconds with two decimals' worth of precision.
func Millis(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}
