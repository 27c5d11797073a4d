package sqlite_test

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"intake"
	"intake/internal/store/sqlite"
	"intake/internal/tooling/bench"
)

// BenchmarkSearchByEmail measures the Flatchr search by email, the call a
// connector makes after each create. By default it fills a fresh store with
// 20,000 applicants; to measure a million, point it at a database made by
// `intake generate --candidates 1000000 --run TAG`:
//
//	INTAKE_BENCH_SEARCH_DB=DIR/intake.db INTAKE_BENCH_SEARCH_RUN=TAG INTAKE_BENCH_SEARCH_PEOPLE=1000000 \
//	  go test ./internal/store/sqlite/ -run XXX -bench SearchByEmail
//
// It reports the median and 99th percentile of one search.
func BenchmarkSearchByEmail(b *testing.B) {
	var (
		s      *sqlite.Store
		orgID  int64
		emailN func(n uint64) string
		people uint64
	)
	if path := os.Getenv("INTAKE_BENCH_SEARCH_DB"); path != "" {
		s = openAt(b, path)
		orgs, err := s.Orgs(b.Context())
		if err != nil || len(orgs) == 0 {
			b.Fatalf("Orgs: %v (%d)", err, len(orgs))
		}
		orgID = orgs[0].ID
		n, err := strconv.ParseUint(os.Getenv("INTAKE_BENCH_SEARCH_PEOPLE"), 10, 64)
		if err != nil || n == 0 {
			b.Fatal("INTAKE_BENCH_SEARCH_PEOPLE: want the --candidates of intake generate")
		}
		run := os.Getenv("INTAKE_BENCH_SEARCH_RUN")
		people, emailN = n, func(n uint64) string { return bench.NewPerson(run, n).Email }
	} else {
		s = open(b)
		org, key, job := world(b, s)
		orgID, people = org.ID, 20_000
		emailN = func(n uint64) string { return fmt.Sprintf("person%07d@example.com", n) }
		var wg sync.WaitGroup
		for w := range uint64(16) {
			wg.Go(func() {
				for n := w; n < people; n += 16 {
					id := fmt.Sprintf("%016d", n)
					app := applicationWithIDs(org, key, job, emailN(n), "wttj-"+id+"00000000", id, id)
					app.Resume, app.Portfolio, app.Avatar = nil, nil, nil
					if err := s.CreateApplication(b.Context(), app, nil); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
	}
	times := make([]time.Duration, 0, b.N)
	var seq uint64
	b.ResetTimer()
	for b.Loop() {
		seq++
		email := emailN((seq * 0x9E3779B97F4A7C15) % people)
		start := time.Now()
		got, err := s.SearchApplications(b.Context(), intake.SearchFilter{OrgID: orgID, Email: &email, Limit: intake.MaxSearchResults})
		times = append(times, time.Since(start))
		if err != nil || len(got) == 0 {
			b.Fatalf("search %s: %v, %d found", email, err, len(got))
		}
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99_ms")
}
