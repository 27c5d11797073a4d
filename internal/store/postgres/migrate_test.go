package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"intake/internal/store/postgres"
	"intake/internal/store/postgres/pgtest"
)

// TestOpenConcurrently starts several processes' worth of Opens on one
// fresh database at once: the advisory lock must let exactly one apply each
// migration while the others wait and then find the schema ready.
func TestOpenConcurrently(t *testing.T) {
	url := pgtest.NewDatabase(t)
	const n = 8
	stores := make([]*postgres.Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			stores[i], errs[i] = postgres.Open(t.Context(), url, postgres.WithMaxConns(2))
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open %d: %v", i, err)
		}
		t.Cleanup(func() { _ = stores[i].Close() })
	}
	for i, s := range stores {
		if err := s.Ping(t.Context()); err != nil {
			t.Errorf("Ping %d: %v", i, err)
		}
		if _, err := s.Orgs(t.Context()); err != nil {
			t.Errorf("Orgs %d: %v", i, err)
		}
	}
	conn := connect(t, url)
	rows, err := conn.Query(t.Context(), "SELECT version, count(*) OVER () FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	type applied struct{ Version, Total int }
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[applied])
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].Version != 1 || got[0].Total != len(got) {
		t.Errorf("schema_migrations = %+v, want each version once from 1", got)
	}
}

// TestOpenAgain checks that reopening a migrated database applies nothing
// and keeps the data.
func TestOpenAgain(t *testing.T) {
	s, url := open(t)
	if _, err := s.Orgs(t.Context()); err != nil {
		t.Fatal(err)
	}
	conn := connect(t, url)
	if _, err := conn.Exec(t.Context(), `INSERT INTO orgs (name, reference, company_key, slug, created_at, updated_at)
		VALUES ('Kept', 'kept', 'kept', 'kept', now(), now())`); err != nil {
		t.Fatal(err)
	}
	var before int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM schema_migrations").Scan(&before); err != nil {
		t.Fatal(err)
	}
	again, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer again.Close()
	orgs, err := again.Orgs(t.Context())
	if err != nil || len(orgs) != 1 || orgs[0].Name != "Kept" {
		t.Fatalf("Orgs after reopening = %v, %v; want the kept org", orgs, err)
	}
	var after int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM schema_migrations").Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("schema_migrations went from %d to %d rows on reopening", before, after)
	}
}

// TestSynchronousCommitForced checks that a database configured for
// unsafe commits still gets durable ones from the store.
func TestSynchronousCommitForced(t *testing.T) {
	url := pgtest.NewDatabase(t)
	conn := connect(t, url)
	var name string
	if err := conn.QueryRow(t.Context(), "SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(t.Context(), "ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+" SET synchronous_commit = off"); err != nil {
		t.Fatal(err)
	}
	plain := connect(t, url)
	var setting string
	if err := plain.QueryRow(t.Context(), "SHOW synchronous_commit").Scan(&setting); err != nil || setting != "off" {
		t.Fatalf("test setup: a plain session has synchronous_commit %q (%v), want off", setting, err)
	}
	s, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := postgres.Setting(t.Context(), s, "synchronous_commit"); got != "on" {
		t.Errorf("store session synchronous_commit = %q, want on", got)
	}
	if got := postgres.Setting(t.Context(), s, "idle_in_transaction_session_timeout"); got != "20s" {
		t.Errorf("store session idle_in_transaction_session_timeout = %q, want 20s (twice the call timeout)", got)
	}
}

func connect(t testing.TB, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
