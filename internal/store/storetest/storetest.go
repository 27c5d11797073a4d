// Package storetest is the conformance suite every intake.Store must pass.
// A store's test passes an opener to Run; the suite defines the contract the
// Store interface documents, so that SQLite and PostgreSQL behave alike.
package storetest

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"intake"
)

// suiteDeadline bounds the whole suite. A store that deadlocks (a writer
// waiting on itself, a pool exhausted by a leaked transaction) would
// otherwise hang until go test's own timeout, far later and with less
// context. Twenty minutes: the suite now covers jobs, users, activity,
// webhooks, search and charts, each case on a fresh PostgreSQL database
// with every migration, under -race beside other packages on two cores
// (it took 7–10 minutes while other builds loaded the machine); go test's
// -timeout, when shorter, still wins (see watchdog).
const suiteDeadline = 20 * time.Minute

type test struct {
	name string
	run  func(t *testing.T, s intake.Store)
}

// Run runs the suite. open must return a fresh, empty store for each named
// subtest and register its cleanup with t.Cleanup; the suite may Close the
// store itself, so that cleanup must tolerate a second Close (ignore its
// error). If the suite runs past its deadline, every goroutine's stack is
// written to stderr and the test binary panics.
func Run(t *testing.T, open func(t *testing.T) intake.Store) {
	t.Helper()
	watchdog(t)
	groups := []struct {
		name  string
		tests []test
	}{
		{"SaveWorld", worldTests()},
		{"APIKey", apiKeyTests()},
		{"Job", jobTests()},
		{"CreateApplication", createTests()},
		{"Application", readTests()},
		{"Applications", listTests()},
		{"UpdateApplication", updateTests()},
		{"Idempotency", idempotencyTests()},
		{"ReferencedBlobs", blobTests()},
		{"Concurrency", concurrencyTests()},
		{"Isolation", isolationTests()},
		{"Lifecycle", lifecycleTests()},
		{"Activity", activityTests()},
		{"User", userTests()},
		{"PasswordLink", passwordLinkTests()},
		{"Search", searchTests()},
		{"Find", findTests()},
		{"Consent", consentTests()},
		{"Event", eventTests()},
		{"Webhook", webhookTests()},
		{"JobContent", jobContentTests()},
		{"JobPipeline", jobPipelineTests()},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tt := range g.tests {
				t.Run(tt.name, func(t *testing.T) {
					tt.run(t, open(t))
				})
			}
		})
	}
}

// watchdog dumps all goroutines and aborts when the suite overruns, before
// go test's -timeout would, so the dump shows the store's goroutines while
// they are still stuck.
func watchdog(t *testing.T) {
	d := suiteDeadline
	if dl, ok := t.Deadline(); ok {
		if left := time.Until(dl) - 10*time.Second; left > 0 && left < d {
			d = left
		}
	}
	timer := time.AfterFunc(d, func() {
		buf := make([]byte, 1<<20)
		for {
			n := runtime.Stack(buf, true)
			if n < len(buf) {
				buf = buf[:n]
				break
			}
			buf = make([]byte, 2*len(buf))
		}
		fmt.Fprintf(os.Stderr, "storetest: suite ran past %v; goroutines:\n%s\n", d, buf)
		panic(fmt.Sprintf("storetest: suite ran past %v", d))
	})
	t.Cleanup(func() { timer.Stop() })
}
