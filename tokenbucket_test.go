package intake

import (
	"testing"
	"time"
)

func TestTokenBucket(t *testing.T) {
	tb := NewTokenBucket(2, 3) // 2/s, bursts of 3
	t0 := time.Unix(1000, 0)
	for i := range 3 {
		rl, ok := tb.Take(1, t0)
		if !ok || rl.Remaining != 2-i || rl.Limit != 3 {
			t.Fatalf("take %d: %+v %v", i, rl, ok)
		}
	}
	rl, ok := tb.Take(1, t0)
	if ok || rl.RetryAfter != 500*time.Millisecond || rl.Remaining != 0 {
		t.Fatalf("4th take at once: %+v %v, want refused with RetryAfter 500ms", rl, ok)
	}
	if _, ok := tb.Take(2, t0); !ok {
		t.Fatal("another key shares the bucket")
	}
	if _, ok := tb.Take(1, t0.Add(500*time.Millisecond)); !ok {
		t.Fatal("not refilled after RetryAfter")
	}
	rl, _ = tb.Take(1, t0.Add(10*time.Second))
	if rl.Remaining != 2 || rl.Reset != 500*time.Millisecond {
		t.Fatalf("after a long pause: %+v", rl)
	}
	tb.Take(3, t0.Add(10*time.Second))
	tb.Take(1, t0.Add(2*time.Minute))
	if _, kept := tb.keys[3]; kept {
		t.Error("full bucket of an idle key kept after the sweep")
	}
}
