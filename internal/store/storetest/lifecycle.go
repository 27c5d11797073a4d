package storetest

import (
	"fmt"
	"testing"

	"intake"
)

func lifecycleTests() []test {
	return []test{
		{"Ping", testPing},
		{"CloseWithPendingWrites", testClose},
	}
}

func testPing(t *testing.T, s intake.Store) {
	noErr(t, "Ping", s.Ping(t.Context()))
}

// testClose closes the store while creates are in flight: each must return,
// and the closed store must say it is unavailable rather than hang.
func testClose(t *testing.T, s intake.Store) {
	f := seed(t, s)
	const n = 30
	done := make(chan error, n)
	for i := range n {
		go func() {
			done <- s.CreateApplication(t.Context(), bareApp(f.A, f.A1, fmt.Sprintf("c%02d@example.com", i), 1), nil)
		}()
	}
	noErr(t, "Close", s.Close())
	for range n {
		<-done
	}
	wantCode(t, "Ping after Close", s.Ping(t.Context()), intake.EUnavailable)
}
