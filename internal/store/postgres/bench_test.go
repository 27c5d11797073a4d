package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"intake"
	"intake/internal/store/postgres"
)

// BenchmarkCreateApplication measures durable creates from many concurrent
// requests with pools of several sizes: with one connection every commit
// waits for its own WAL flush; with more, PostgreSQL flushes the commits
// that arrive together at once, which is the group commit the SQLite store
// has to build by hand.
func BenchmarkCreateApplication(b *testing.B) {
	for _, conns := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("conns=%d", conns), func(b *testing.B) {
			s, _ := open(b, postgres.WithMaxConns(conns))
			org, job := seedOne(b, s)
			b.SetParallelism(16)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					now := time.Now()
					app := &intake.Application{
						Reference: intake.NewCandidateReference(), ApplicantKey: intake.NewEncodedID(),
						OrgID: org.ID, JobID: job.ID, StageID: job.Stages[0].ID,
						Person: intake.Person{OrgID: org.ID, Email: intake.NewEncodedID() + "@example.com", Firstname: "A", Lastname: "B"},
						Tags:   []string{"go"}, Source: intake.SourceWelcomeKit, CreatedAt: now, UpdatedAt: now,
						Resume: &intake.Document{Kind: intake.DocResume, BlobKey: intake.NewEncodedID(), FileName: "cv.pdf", ContentType: "application/pdf", Size: 1, CreatedAt: now},
					}
					if err := s.CreateApplication(b.Context(), app, nil); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
		})
	}
}
