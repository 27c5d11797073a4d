package blob

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// waitFor polls cond for up to ten seconds.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// waiting reports how many callers have joined the round after the one in
// flight.
func (s *dirSync) waiting() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.next == nil {
		return 0
	}
	return s.next.waiters
}

// gatedSync is an fsync that blocks until released, numbering its calls.
type gatedSync struct {
	started chan int   // receives the call's number as it starts
	release chan error // the call returns what it receives
	calls   atomic.Int32
}

func newGatedSync() *gatedSync {
	return &gatedSync{started: make(chan int, 100), release: make(chan error)}
}

func (g *gatedSync) fsync() error {
	g.started <- int(g.calls.Add(1))
	return <-g.release
}

func TestDirSyncAloneRunsItsOwn(t *testing.T) {
	calls := 0
	boom := errors.New("boom")
	s := &dirSync{fsync: func() error {
		calls++
		if calls == 2 {
			return boom
		}
		return nil
	}}
	for i, want := range []error{nil, boom, nil} {
		if err := s.Sync(); !errors.Is(err, want) {
			t.Errorf("Sync %d = %v, want %v", i+1, err, want)
		}
	}
	if calls != 3 {
		t.Errorf("%d fsyncs for 3 sequential Syncs, want 3", calls)
	}
}

// TestDirSyncArrivalDuringFlight: a caller arriving while an fsync is in
// flight is answered by the next one, never by the one in flight, and every
// caller of a round gets that round's error.
func TestDirSyncArrivalDuringFlight(t *testing.T) {
	g := newGatedSync()
	s := &dirSync{fsync: g.fsync}
	first := make(chan error, 1)
	go func() { first <- s.Sync() }()
	if n := <-g.started; n != 1 {
		t.Fatalf("fsync %d started, want 1", n)
	}

	const late = 8
	results := make(chan error, late)
	for range late {
		go func() { results <- s.Sync() }()
	}
	waitFor(t, "the late callers to join the next round", func() bool { return s.waiting() == late })

	g.release <- errors.New("round 1")
	if err := <-first; err == nil || err.Error() != "round 1" {
		t.Fatalf("first caller: %v, want round 1", err)
	}
	select {
	case err := <-results:
		t.Fatalf("a late caller returned %v with the fsync that was in flight when it arrived", err)
	case n := <-g.started:
		if n != 2 {
			t.Fatalf("fsync %d started, want 2", n)
		}
	}
	select {
	case err := <-results:
		t.Fatalf("a late caller returned %v before its fsync ended", err)
	case <-time.After(20 * time.Millisecond):
	}
	g.release <- errors.New("round 2")
	for range late {
		if err := <-results; err == nil || err.Error() != "round 2" {
			t.Errorf("late caller: %v, want round 2", err)
		}
	}
	if n := g.calls.Load(); n != 2 {
		t.Errorf("%d fsyncs, want 2", n)
	}
	if s.running || s.next != nil {
		t.Errorf("idle dirSync still running=%v next=%v", s.running, s.next)
	}
}

// TestDirSyncConcurrent checks, under load, that every Sync is covered by
// an fsync that started after it was called and ended before it returned,
// that fsyncs never overlap, and that they are shared.
func TestDirSyncConcurrent(t *testing.T) {
	var (
		mu      sync.Mutex
		pending = map[int]bool{} // callers that made a change and await Sync
		covered = map[int]bool{} // callers some completed fsync started after
	)
	var inFlight, calls atomic.Int32
	s := &dirSync{fsync: func() error {
		if inFlight.Add(1) > 1 {
			t.Error("two fsyncs in flight")
		}
		defer inFlight.Add(-1)
		calls.Add(1)
		mu.Lock()
		seen := make([]int, 0, len(pending))
		for id := range pending {
			seen = append(seen, id)
		}
		mu.Unlock()
		time.Sleep(500 * time.Microsecond)
		mu.Lock()
		for _, id := range seen {
			covered[id] = true
			delete(pending, id)
		}
		mu.Unlock()
		return nil
	}}
	const goroutines, each = 32, 50
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				id := g*each + i
				mu.Lock()
				pending[id] = true
				mu.Unlock()
				if err := s.Sync(); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				ok := covered[id]
				mu.Unlock()
				if !ok {
					t.Errorf("Sync %d returned before an fsync that started after it ended", id)
					return
				}
			}
		})
	}
	wg.Wait()
	n := calls.Load()
	t.Logf("%d Syncs, %d fsyncs", goroutines*each, n)
	if n >= goroutines*each/2 {
		t.Errorf("%d fsyncs for %d concurrent Syncs: not shared", n, goroutines*each)
	}
}

// TestDirSyncErrorReachesEveryWaiter fails one round among concurrent
// callers: each of its callers, and only those, sees the error.
func TestDirSyncErrorReachesEveryWaiter(t *testing.T) {
	g := newGatedSync()
	s := &dirSync{fsync: g.fsync}
	go s.Sync()
	<-g.started
	const n = 16
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = s.Sync() })
	}
	waitFor(t, "the callers to join", func() bool { return s.waiting() == n })
	g.release <- nil
	<-g.started
	boom := fmt.Errorf("sync staging: %w", errors.New("input/output error"))
	g.release <- boom
	wg.Wait()
	for i, err := range errs {
		if !errors.Is(err, boom) {
			t.Errorf("caller %d: %v, want %v", i, err, boom)
		}
	}
	after := make(chan error)
	go func() { after <- s.Sync() }()
	<-g.started
	g.release <- nil
	if err := <-after; err != nil {
		t.Errorf("Sync after the failed round: %v", err)
	}
}
