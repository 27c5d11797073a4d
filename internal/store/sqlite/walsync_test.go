package sqlite

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"intake"
)

// TestWALSyncFailureRefusesWrites breaks the WAL sync (its file can no
// longer be opened) and checks that the write waiting for it is not
// acknowledged, that later writes and Ping fail as unavailable, and that
// reads still work. A syncer that answered before syncing would let the
// first create succeed.
func TestWALSyncFailureRefusesWrites(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "intake.db"))
	org, job := seedTest(t, s)
	ok := newTestApp(org, job, "before@example.com")
	if err := s.CreateApplication(t.Context(), ok, nil); err != nil {
		t.Fatalf("create before the failure: %v", err)
	}

	s.w.sync.mu.Lock()
	s.w.sync.path = filepath.Join(t.TempDir(), "missing", "intake.db-wal")
	if s.w.sync.f != nil {
		_ = s.w.sync.f.Close()
		s.w.sync.f = nil
	}
	s.w.sync.mu.Unlock()

	err := s.CreateApplication(t.Context(), newTestApp(org, job, "unsynced@example.com"), nil)
	if intake.ErrorCodeOf(err) != intake.EUnavailable {
		t.Fatalf("create whose sync failed: %v, want EUnavailable", err)
	}
	err = s.CreateApplication(t.Context(), newTestApp(org, job, "later@example.com"), nil)
	if intake.ErrorCodeOf(err) != intake.EUnavailable {
		t.Fatalf("create after the failure: %v, want EUnavailable", err)
	}
	if err := s.Ping(t.Context()); intake.ErrorCodeOf(err) != intake.EUnavailable {
		t.Fatalf("Ping after the failure: %v, want EUnavailable", err)
	}
	if _, err := s.Application(t.Context(), org.ID, ok.Reference); err != nil {
		t.Fatalf("read after the failure: %v", err)
	}
}

// TestOptimisticBatchFailure puts a failing op between two good ones in a
// batch that runs without savepoints first. The failing op upserts its
// person and then fails on the application's reference: its person must
// not survive, the others' rows must exist exactly once, and the next
// batch must run with savepoints.
func TestOptimisticBatchFailure(t *testing.T) {
	var mu sync.Mutex
	var batches []int
	s := openTest(t, filepath.Join(t.TempDir(), "intake.db"), OnCommit(func(n int, _ time.Duration) {
		mu.Lock()
		batches = append(batches, n)
		mu.Unlock()
	}))
	org, job := seedTest(t, s)
	first := newTestApp(org, job, "first@example.com")
	if err := s.CreateApplication(t.Context(), first, nil); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	batches = nil
	mu.Unlock()

	release := hold(t, s)
	apps := []*intake.Application{
		newTestApp(org, job, "a@example.com"),
		newTestApp(org, job, "b@example.com"),
		newTestApp(org, job, "c@example.com"),
	}
	apps[1].Reference = first.Reference
	errs := make([]error, len(apps))
	var wg sync.WaitGroup
	for i, app := range apps {
		wg.Go(func() { errs[i] = s.CreateApplication(t.Context(), app, nil) })
		waitQueued(t, s, i+1)
	}
	release()
	wg.Wait()

	if errs[0] != nil || errs[2] != nil || intake.ErrorCodeOf(errs[1]) != intake.EConflict {
		t.Fatalf("creates: %v, want nil, conflict, nil", errs)
	}
	mu.Lock()
	got := slices.Clone(batches)
	mu.Unlock()
	if want := []int{1, 3}; !slices.Equal(got, want) {
		t.Errorf("batch sizes %v, want %v", got, want)
	}
	if s.w.optimistic {
		t.Error("the batch after a failure runs without savepoints, want with")
	}
	count := func(q string, args ...any) int {
		var n int
		if err := s.rdb.QueryRowContext(t.Context(), q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM persons WHERE email_norm = ?`, "b@example.com"); n != 0 {
		t.Errorf("%d persons left by the failed create, want 0", n)
	}
	for _, app := range []*intake.Application{apps[0], apps[2]} {
		if n := count(`SELECT count(*) FROM applications WHERE reference = ?`, app.Reference); n != 1 {
			t.Errorf("%s stored %d times, want once", app.Person.Email, n)
		}
	}
	if n := count(`SELECT total FROM job_application_counts WHERE job_id = ?`, job.ID); n != 3 {
		t.Errorf("job total %d, want 3", n)
	}

	// A clean batch with savepoints turns the optimistic mode back on.
	if err := s.CreateApplication(t.Context(), newTestApp(org, job, "d@example.com"), nil); err != nil {
		t.Fatal(err)
	}
	if !s.w.optimistic {
		t.Error("a clean batch did not restore the optimistic mode")
	}
}

// TestPipelinedCommitsUnderLoad runs many concurrent creates, with some
// duplicates among them, and checks every answer against what the file
// holds once reopened.
func TestPipelinedCommitsUnderLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "intake.db")
	s := openTest(t, path)
	org, job := seedTest(t, s)
	const n = 600
	errs := make([]error, n)
	refs := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		email := fmt.Sprintf("p%03d@example.com", i)
		if i%7 == 6 {
			email = fmt.Sprintf("p%03d@example.com", i-1)
		}
		app := newTestApp(org, job, email)
		refs[i] = app.Reference
		wg.Go(func() { errs[i] = s.CreateApplication(t.Context(), app, nil) })
	}
	wg.Wait()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, path)
	stored := 0
	for i, err := range errs {
		_, rerr := s.Application(t.Context(), org.ID, refs[i])
		switch {
		case err == nil && rerr != nil:
			t.Errorf("create %d answered ok but reads %v", i, rerr)
		case err != nil && intake.ErrorCodeOf(err) != intake.EConflict:
			t.Errorf("create %d: %v", i, err)
		case err != nil && rerr == nil:
			t.Errorf("create %d failed (%v) but its row exists", i, err)
		case err == nil:
			stored++
		}
	}
	_, total, err := s.Applications(t.Context(), intake.ApplicationFilter{OrgID: org.ID, JobID: &job.ID})
	if err != nil || total != stored || stored < n-n/7-1 {
		t.Errorf("total %d (%v), %d answered ok, want equal and ≥ %d", total, err, stored, n-n/7-1)
	}
}

// TestWALRestartsUnderLoad writes without pause and checks that the WAL
// file stops growing: without the writer's RESTART checkpoints, PASSIVE
// checkpoints alone never let SQLite write the WAL from its start again.
func TestWALRestartsUnderLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "intake.db")
	const limit = 256 << 10
	var restarts atomic.Int64
	s := openTest(t, path, func(c *config) { c.walRestartSize, c.checkpointEvery = limit, 20*time.Millisecond },
		OnWALRestart(func(ok bool, _ time.Duration) {
			if ok {
				restarts.Add(1)
			}
		}))
	org, job := seedTest(t, s)
	deadline := time.Now().Add(3 * time.Second)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline) || restarts.Load() < 2; i++ {
				if time.Since(deadline) > 20*time.Second {
					return
				}
				app := newTestApp(org, job, fmt.Sprintf("g%d-%d@example.com", g, i))
				if err := s.CreateApplication(t.Context(), app, nil); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := restarts.Load(); n < 2 {
		t.Fatalf("%d WAL restarts, want at least 2", n)
	}
	fi, err := os.Stat(walPath(path))
	if err != nil {
		t.Fatal(err)
	}
	// Between two checks (20 ms here) the WAL grows by what the writer
	// commits meanwhile: this bound allows 800 MB/s of it. Without
	// restarts the WAL holds everything written in the 3 s.
	if fi.Size() > 64*limit {
		t.Errorf("WAL is %d bytes after restarts, want it bounded near %d", fi.Size(), limit)
	}

	// A restarted WAL keeps its file size: light writes that use little
	// of it must not restart it at every checkpoint.
	before := restarts.Load()
	for i := range 10 {
		if err := s.CreateApplication(t.Context(), newTestApp(org, job, fmt.Sprintf("light%d@example.com", i)), nil); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := restarts.Load() - before; n > 1 {
		t.Errorf("%d restarts during light writes after the load, want at most 1", n)
	}
}

// TestWALRestartDoesNotWaitForLongReads holds a read transaction open, as
// a backup does for its whole copy, while writes go on past the restart
// size: a RESTART checkpoint that waited for that reader with the
// connection's busy timeout (30 s here) would hold every write behind it.
func TestWALRestartDoesNotWaitForLongReads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "intake.db")
	var gaveUp, restarted atomic.Int64
	start := time.Now()
	s := openTest(t, path, BusyTimeout(30*time.Second), func(c *config) { c.walRestartSize = 64 << 10 },
		OnWALRestart(func(ok bool, _ time.Duration) {
			if ok {
				restarted.Add(1)
			} else {
				gaveUp.Add(1)
			}
		}))
	org, job := seedTest(t, s)
	tx, err := s.rdb.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(t.Context(), `SELECT count(*) FROM applications`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	var slowest time.Duration
	for i := 0; i < 400 || time.Since(start) < 1500*time.Millisecond; i++ {
		began := time.Now()
		if err := s.CreateApplication(t.Context(), newTestApp(org, job, fmt.Sprintf("r%d@example.com", i)), nil); err != nil {
			t.Fatal(err)
		}
		slowest = max(slowest, time.Since(began))
	}
	if slowest > 10*time.Second {
		t.Errorf("a create took %v while a reader held an old snapshot: the WAL restart waited for it", slowest)
	}
	if got := restarted.Load(); got != 0 {
		t.Errorf("%d restarts while a reader held the WAL, want 0", got)
	}
	if gaveUp.Load() == 0 {
		t.Error("no restart was tried: the test did not exercise it")
	}
	// Tries back off: not one per checkpoint (every 250 ms).
	if n, tries := gaveUp.Load(), time.Since(start)/restartBackoff+1; time.Duration(n) > tries+1 {
		t.Errorf("%d restarts gave up in %v, want at most %d: no backoff", n, time.Since(start).Round(time.Millisecond), tries+1)
	}
}
