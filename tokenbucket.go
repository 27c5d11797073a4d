package intake

import (
	"math"
	"sync"
	"time"
)

// TokenBucket is a RateLimiter refilling every key's bucket at Rate
// requests per second up to Burst.
type TokenBucket struct {
	rate  float64
	burst float64
	mu    sync.Mutex
	keys  map[int64]*bucket
	sweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewTokenBucket returns a limiter allowing rate requests per second per
// key with bursts of burst. rate must be positive.
func NewTokenBucket(rate float64, burst int) *TokenBucket {
	if burst < 1 {
		burst = 1
	}
	return &TokenBucket{rate: rate, burst: float64(burst), keys: map[int64]*bucket{}}
}

// Take spends one token of keyID's bucket if it has one.
func (tb *TokenBucket) Take(keyID int64, now time.Time) (RateLimit, bool) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.forgetFull(now)
	b, ok := tb.keys[keyID]
	if !ok {
		b = &bucket{tokens: tb.burst, at: now}
		tb.keys[keyID] = b
	}
	if elapsed := now.Sub(b.at).Seconds(); elapsed > 0 {
		b.tokens = math.Min(tb.burst, b.tokens+elapsed*tb.rate)
		b.at = now
	}
	allowed := b.tokens >= 1
	if allowed {
		b.tokens--
	}
	rl := RateLimit{
		Limit:     int(tb.burst),
		Remaining: int(b.tokens),
		Reset:     tb.seconds(tb.burst - b.tokens),
	}
	if !allowed {
		rl.RetryAfter = tb.seconds(1 - b.tokens)
	}
	return rl, allowed
}

func (tb *TokenBucket) seconds(tokens float64) time.Duration {
	return time.Duration(math.Ceil(tokens / tb.rate * float64(time.Second)))
}

// forgetFull drops, once a minute, the buckets that have refilled: they
// hold no information, and keeping them would let the map grow with every
// key ever seen.
func (tb *TokenBucket) forgetFull(now time.Time) {
	if now.Sub(tb.sweep) < time.Minute {
		return
	}
	tb.sweep = now
	for id, b := range tb.keys {
		if b.tokens+now.Sub(b.at).Seconds()*tb.rate >= tb.burst {
			delete(tb.keys, id)
		}
	}
}
