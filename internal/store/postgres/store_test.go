package postgres_test

import (
	"context"
	"testing"

	"intake"
	"intake/internal/store/postgres"
	"intake/internal/store/postgres/pgtest"
	"intake/internal/store/storetest"
)

// open returns a store over a fresh database that lives as long as t.
func open(t testing.TB, opts ...postgres.Option) (*postgres.Store, string) {
	t.Helper()
	url := pgtest.NewDatabase(t)
	s, err := postgres.Open(context.Background(), url, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, url
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) intake.Store {
		// A small pool per subtest keeps the suite within the server's
		// max_connections while still exercising concurrent commits.
		s, _ := open(t, postgres.WithMaxConns(8))
		return s
	})
}
