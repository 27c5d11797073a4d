package sqlite_test

import (
	"path/filepath"
	"testing"

	"intake"
	"intake/sqlite"
	"intake/storetest"
)

// open returns a store on a fresh file: never :memory:, which would hide
// WAL, fsync and the reader pool.
func open(t testing.TB, opts ...sqlite.Option) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "intake.db"), opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) intake.Store { return open(t) })
}
