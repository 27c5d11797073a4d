package sqlite_test

import (
	"os"
	"strconv"
	"testing"

	"intake/internal/store/storetest"
)

// BenchmarkFind measures the dashboard's search over a database made by
// `intake generate --candidates N --run TAG` (skipped without one):
//
//	INTAKE_BENCH_FIND_DB=DIR/intake.db INTAKE_BENCH_FIND_RUN=TAG INTAKE_BENCH_FIND_PEOPLE=N \
//	  go test ./internal/store/sqlite/ -run XXX -bench Find -benchtime 2000x
func BenchmarkFind(b *testing.B) {
	path := os.Getenv("INTAKE_BENCH_FIND_DB")
	if path == "" {
		b.Skip("INTAKE_BENCH_FIND_DB names no database made by intake generate")
	}
	people, err := strconv.ParseUint(os.Getenv("INTAKE_BENCH_FIND_PEOPLE"), 10, 64)
	if err != nil || people == 0 {
		b.Fatal("INTAKE_BENCH_FIND_PEOPLE: want the --candidates of intake generate")
	}
	storetest.FindBench(b, openAt(b, path), os.Getenv("INTAKE_BENCH_FIND_RUN"), people)
}
