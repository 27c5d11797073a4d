package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"intake"
)

// The tests here hold the writer inside one op so that others queue up
// behind it, which makes batches deterministic.

func openTest(t *testing.T, path string, opts ...Option) *Store {
	t.Helper()
	s, err := Open(t.Context(), path, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func seedTest(t *testing.T, s *Store) (intake.Org, intake.Job) {
	t.Helper()
	now := time.UnixMilli(1_700_000_000_000).UTC()
	w := []intake.WorldOrg{{
		Org:  intake.Org{Name: "Acme", Reference: "acme", CompanyKey: "AcmeCompanyKey01", Slug: "acme", CreatedAt: now, UpdatedAt: now},
		Jobs: []intake.Job{{Reference: "J1", Title: "Gopher", VacancyKey: "VacancyKey000001", VacancySlug: "v1", Stages: intake.DefaultStages(), CreatedAt: now, UpdatedAt: now}},
	}}
	if err := s.SaveWorld(t.Context(), w); err != nil {
		t.Fatalf("SaveWorld: %v", err)
	}
	return w[0].Org, w[0].Jobs[0]
}

func newTestApp(org intake.Org, job intake.Job, email string) *intake.Application {
	return &intake.Application{
		Reference: intake.NewCandidateReference(), ApplicantKey: intake.NewEncodedID(),
		OrgID: org.ID, JobID: job.ID, StageID: job.Stages[0].ID,
		Person: intake.Person{OrgID: org.ID, Email: email, Firstname: "A", Lastname: "B"},
		Source: intake.SourceFlatchr,
	}
}

// hold occupies the writer until the returned release is called.
func hold(t *testing.T, s *Store) (release func()) {
	t.Helper()
	entered, gate := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.w.do(context.Background(), func(*wtx) error {
			close(entered)
			<-gate
			return nil
		})
	}()
	<-entered
	var once sync.Once
	release = func() {
		once.Do(func() {
			close(gate)
			if err := <-done; err != nil {
				t.Errorf("holding op: %v", err)
			}
		})
	}
	// A test that fails while holding must not leave Close waiting forever.
	t.Cleanup(release)
	return release
}

// waitQueued waits until n ops sit in the writer's queue.
func waitQueued(t *testing.T, s *Store, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(s.w.ops) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d ops queued after 10s, want %d", len(s.w.ops), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestGroupCommit queues creates behind a held writer and checks that they
// commit in batches of at most MaxBatch, and that the duplicates among them
// fail alone: the savepoint undoes only the failing op.
func TestGroupCommit(t *testing.T) {
	var mu sync.Mutex
	var batches []int
	s := openTest(t, filepath.Join(t.TempDir(), "intake.db"), MaxBatch(8), OnCommit(func(n int, _ time.Duration) {
		mu.Lock()
		batches = append(batches, n)
		mu.Unlock()
	}))
	org, job := seedTest(t, s)
	mu.Lock()
	batches = nil
	mu.Unlock()

	release := hold(t, s)
	const n = 13 // at most 2×MaxBatch: the queue's room
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		email := fmt.Sprintf("u%02d@example.com", i)
		if i%5 == 4 {
			email = fmt.Sprintf("u%02d@example.com", i-1) // a duplicate of the op just before
		}
		app := newTestApp(org, job, email)
		wg.Go(func() { errs[i] = s.CreateApplication(t.Context(), app, nil) })
		waitQueued(t, s, i+1) // one at a time keeps the queue in index order
	}
	release()
	wg.Wait()

	for i, err := range errs {
		wantDup := i%5 == 4
		if got := intake.ErrorCodeOf(err) == intake.EConflict; got != wantDup || (!wantDup && err != nil) {
			t.Errorf("create %d: %v, want conflict=%v", i, err, wantDup)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []int{1, 8, 5}; !slices.Equal(batches, want) {
		t.Errorf("batch sizes %v, want %v", batches, want)
	}
	_, total, err := s.Applications(t.Context(), intake.ApplicationFilter{OrgID: org.ID})
	if err != nil || total != n-n/5 {
		t.Errorf("Applications total %d (%v), want %d", total, err, n-n/5)
	}
}

// TestCancelledWhileQueued checks that an op whose context ends before the
// writer reaches it is skipped and reported unavailable.
func TestCancelledWhileQueued(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "intake.db"))
	org, job := seedTest(t, s)
	release := hold(t, s)
	ctx, cancel := context.WithCancel(t.Context())
	app := newTestApp(org, job, "late@example.com")
	done := make(chan error, 1)
	go func() { done <- s.CreateApplication(ctx, app, nil) }()
	waitQueued(t, s, 1)
	cancel()
	release()
	err := <-done
	if intake.ErrorCodeOf(err) != intake.EUnavailable || !errors.Is(err, context.Canceled) {
		t.Fatalf("CreateApplication: %v, want EUnavailable wrapping context.Canceled", err)
	}
	if _, err := s.Application(t.Context(), org.ID, app.Reference); intake.ErrorCodeOf(err) != intake.ENotFound {
		t.Fatalf("Application: %v, want ENotFound: a cancelled op must not be written", err)
	}
}

// TestCloseCommitsQueued checks that Close lets queued writes commit and
// that they are on disk when the file is opened again.
func TestCloseCommitsQueued(t *testing.T) {
	path := filepath.Join(t.TempDir(), "intake.db")
	s := openTest(t, path)
	org, job := seedTest(t, s)
	release := hold(t, s)
	const n = 10
	errs := make(chan error, n)
	for i := range n {
		go func() {
			errs <- s.CreateApplication(t.Context(), newTestApp(org, job, fmt.Sprintf("q%d@example.com", i)), nil)
		}()
	}
	waitQueued(t, s, n)
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	release()
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("queued create: %v", err)
		}
	}
	if err := s.CreateApplication(t.Context(), newTestApp(org, job, "after@example.com"), nil); intake.ErrorCodeOf(err) != intake.EUnavailable {
		t.Errorf("create after Close: %v, want EUnavailable", err)
	}
	s = openTest(t, path)
	_, total, err := s.Applications(t.Context(), intake.ApplicationFilter{OrgID: org.ID})
	if err != nil || total != n {
		t.Errorf("after reopen: %d applications (%v), want %d", total, err, n)
	}
}

// TestPragmas checks the settings every connection must carry, writer and
// readers alike.
func TestPragmas(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "intake.db"), BusyTimeout(1234*time.Millisecond))
	// The writer's commits are made durable by the WAL syncer
	// (walsync.go), hence NORMAL there; every other connection has FULL.
	want := map[string]int64{"busy_timeout": 1234, "foreign_keys": 1}
	wantSync := map[string]int64{"writer": 1, "reader": 2}
	read := func(q func(string) (any, error)) map[string]any {
		got := map[string]any{}
		for _, p := range []string{"busy_timeout", "foreign_keys", "synchronous", "journal_mode", "query_only"} {
			v, err := q("PRAGMA " + p)
			if err != nil {
				t.Fatalf("PRAGMA %s: %v", p, err)
			}
			got[p] = v
		}
		return got
	}
	var writer map[string]any
	err := s.w.do(t.Context(), func(tx *wtx) error {
		writer = read(func(q string) (any, error) {
			var v any
			return v, tx.conn.QueryRowContext(tx.ctx, q).Scan(&v)
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	reader := read(func(q string) (any, error) {
		var v any
		return v, s.rdb.QueryRowContext(t.Context(), q).Scan(&v)
	})
	for name, got := range map[string]map[string]any{"writer": writer, "reader": reader} {
		for p, v := range want {
			if got[p] != v {
				t.Errorf("%s: %s = %v, want %v", name, p, got[p], v)
			}
		}
		if got["synchronous"] != wantSync[name] {
			t.Errorf("%s: synchronous = %v, want %v", name, got["synchronous"], wantSync[name])
		}
		if got["journal_mode"] != "wal" {
			t.Errorf("%s: journal_mode = %v, want wal", name, got["journal_mode"])
		}
	}
	if writer["query_only"] != int64(0) || reader["query_only"] != int64(1) {
		t.Errorf("query_only: writer %v reader %v, want 0 and 1", writer["query_only"], reader["query_only"])
	}
}

// TestMigrationsOnce checks that reopening applies nothing twice.
func TestMigrationsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "intake.db")
	s := openTest(t, path)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, path)
	list, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.rdb.QueryRowContext(t.Context(), `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(list) {
		t.Errorf("%d rows in schema_migrations, want %d", n, len(list))
	}
}

// TestRestartPendingIsBounded: the checkpointer holds back while a restart
// it asked for waits for the writer, but not for longer than
// maxRestartPause, since an idle writer runs no restart.
func TestRestartPendingIsBounded(t *testing.T) {
	var w writer
	if w.restartPending() {
		t.Fatal("pending before any request")
	}
	w.requestRestart()
	if !w.restartPending() {
		t.Fatal("not pending right after a request")
	}
	w.restartAsked.Store(int64(time.Since(writerEpoch)-maxRestartPause) - 1)
	if w.restartPending() {
		t.Fatalf("still pending %v after the request", maxRestartPause)
	}
}
