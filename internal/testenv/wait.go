package testenv

import (
	"testing"
	"time"
)

// WaitTimeout bounds WaitFor: long enough for a server started under -race
// on a loaded machine, short enough to fail a hung test well before go
// test's own timeout.
const WaitTimeout = 30 * time.Second

// WaitFor polls cond every few milliseconds until it holds, and fails t
// naming what it waited for when WaitTimeout passes first. Tests wait for
// a state with it rather than sleeping for a guessed duration.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(WaitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", WaitTimeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
