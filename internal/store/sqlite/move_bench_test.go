package sqlite

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"intake"
)

// movesBenchSize is the number of applications (each moved once) of the
// benchmarked job; INTAKE_BENCH_MOVES overrides it (1000000 for the figure
// in docs/BENCHMARKS.md).
func movesBenchSize(b *testing.B) int {
	if v := os.Getenv("INTAKE_BENCH_MOVES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("INTAKE_BENCH_MOVES=%q", v)
		}
		return n
	}
	return 100_000
}

// BenchmarkJobMoves lists the first and a middle page of 100 moves of a
// job whose every application moved once, next to another job's moves, and
// reports the p99 of the calls.
func BenchmarkJobMoves(b *testing.B) {
	n := movesBenchSize(b)
	s, err := Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	now := time.Now()
	job := intake.Job{Reference: "WTTJ_bench01", Title: "Bench", VacancyKey: "BenchVacancy0001", VacancySlug: "bench",
		Published: true, CreatedAt: now, UpdatedAt: now}
	other := intake.Job{Reference: "WTTJ_bench02", Title: "Other", VacancyKey: "BenchVacancy0002", VacancySlug: "other",
		Published: true, CreatedAt: now, UpdatedAt: now}
	for _, j := range []*intake.Job{&job, &other} {
		for i, st := range intake.DefaultStages() {
			st.Position = i
			j.Stages = append(j.Stages, st)
		}
	}
	w := []intake.WorldOrg{{Org: intake.Org{Name: "Bench", Reference: "BenchOr", CompanyKey: "BenchCompany0001", Slug: "bench",
		CreatedAt: now, UpdatedAt: now}, Jobs: []intake.Job{job, other}}}
	if err := s.SaveWorld(b.Context(), w); err != nil {
		b.Fatal(err)
	}
	org, job, other := w[0].Org, w[0].Jobs[0], w[0].Jobs[1]
	fill := func(jobID int64, count, base int) {
		err := s.w.do(b.Context(), func(tx *wtx) error {
			for _, q := range []string{
				`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?2)
				INSERT INTO persons (id, org_id, email, email_norm, firstname, lastname, civility, phone, subtitle, media)
				SELECT ?3 + x, ?1, 'p' || (?3 + x) || '@example.com', 'p' || (?3 + x) || '@example.com', 'F', 'L', '', '', '', '{}' FROM c`,
				`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?2)
				INSERT INTO applications (id, reference, applicant_key, org_id, job_id, stage_id, person_id, tags, origin,
					referrer, cover_letter, comment, archived, source, created_by_key, offerer_id, answers, resume_link,
					remote_resume_url, remote_portfolio_url, remote_image_url, created_at, updated_at)
				SELECT ?3 + x, 'wttj-' || (?3 + x), 'k' || (?3 + x), ?1, ?4, ?5, ?3 + x, '[]', '', '', '', '', 0, 'welcomekit', 0, 0,
					'[]', '', '', '', '', 0, 0 FROM c`,
				`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?2)
				INSERT INTO moves (application_id, from_stage_id, to_stage_id, from_job_id, to_job_id, kind, created_at)
				SELECT ?3 + x, ?5, ?6, ?4, ?4, 'stage', 0 FROM c`,
			} {
				st := []any{org.ID, count, base, jobID}
				j := job
				if jobID == other.ID {
					j = other
				}
				st = append(st, j.Stages[0].ID, j.Stages[1].ID)
				if _, err := tx.conn.ExecContext(tx.ctx, q, st...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	for done := 0; done < n; done += 100_000 {
		fill(job.ID, min(100_000, n-done), done)
		fill(other.ID, 1000, n+done/100)
	}
	for _, pg := range []struct {
		name   string
		offset int
	}{{"first page", 0}, {"middle page", n / 2}} {
		b.Run(fmt.Sprintf("%s/moves=%d", pg.name, n), func(b *testing.B) {
			times := make([]time.Duration, 0, b.N)
			for b.Loop() {
				start := time.Now()
				moves, total, err := s.JobMoves(b.Context(), org.ID, job.ID, pg.offset, 100)
				times = append(times, time.Since(start))
				if err != nil || len(moves) != 100 || total != n {
					b.Fatalf("JobMoves: %d moves, total %d, %v", len(moves), total, err)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
