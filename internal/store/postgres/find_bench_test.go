package postgres_test

import (
	"os"
	"strconv"
	"testing"

	"intake/internal/store/postgres"
	"intake/internal/store/storetest"
)

// BenchmarkFind measures the dashboard's search over a database holding
// the people of `intake generate --candidates N --run TAG` (copied from its
// SQLite database; docs/BENCHMARKS.md shows how), skipped without one:
//
//	INTAKE_BENCH_FIND_PG=postgres://… INTAKE_BENCH_FIND_RUN=TAG INTAKE_BENCH_FIND_PEOPLE=N \
//	  go test ./internal/store/postgres/ -run XXX -bench Find -benchtime 2000x
func BenchmarkFind(b *testing.B) {
	url := os.Getenv("INTAKE_BENCH_FIND_PG")
	if url == "" {
		b.Skip("INTAKE_BENCH_FIND_PG names no database filled from intake generate")
	}
	people, err := strconv.ParseUint(os.Getenv("INTAKE_BENCH_FIND_PEOPLE"), 10, 64)
	if err != nil || people == 0 {
		b.Fatal("INTAKE_BENCH_FIND_PEOPLE: want the --candidates of intake generate")
	}
	s, err := postgres.Open(b.Context(), url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	storetest.FindBench(b, s, os.Getenv("INTAKE_BENCH_FIND_RUN"), people)
}
