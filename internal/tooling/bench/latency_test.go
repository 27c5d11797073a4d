package bench

import (
	"testing"
	"time"
)

func TestLatenciesQuantile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(100-i) * time.Millisecond
	}
	tests := []struct {
		name string
		in   []time.Duration
		q    float64
		want time.Duration
	}{
		{name: "empty", in: nil, q: 0.99, want: 0},
		{name: "one", in: ms(7), q: 0.5, want: 7 * time.Millisecond},
		{name: "median of odd count", in: ms(3, 1, 2), q: 0.5, want: 2 * time.Millisecond},
		{name: "median of even count is the lower", in: ms(4, 1, 3, 2), q: 0.5, want: 2 * time.Millisecond},
		{name: "p99 of 100", in: hundred, q: 0.99, want: 99 * time.Millisecond},
		{name: "p99.9 of 100 is the max", in: hundred, q: 0.999, want: 100 * time.Millisecond},
		{name: "p100", in: ms(5, 9, 1), q: 1, want: 9 * time.Millisecond},
		{name: "tiny q is the min", in: ms(5, 9, 1), q: 0.0001, want: time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewLatencies(append([]time.Duration(nil), tt.in...))
			if got := l.Quantile(tt.q); got != tt.want {
				t.Errorf("Quantile(%v) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}

func TestLatenciesMaxMean(t *testing.T) {
	l := NewLatencies([]time.Duration{3, 1, 2})
	if l.Max() != 3 || l.Mean() != 2 {
		t.Errorf("Max, Mean = %v, %v; want 3, 2", l.Max(), l.Mean())
	}
	var empty Latencies
	if empty.Max() != 0 || empty.Mean() != 0 {
		t.Errorf("empty Max, Mean = %v, %v; want 0, 0", empty.Max(), empty.Mean())
	}
}
