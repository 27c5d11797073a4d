package sqlite

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"intake"
)

// The kept total of a job (0002_job_counts.sql) must equal count(*),
// including when batched creates fail on a duplicate and their savepoint is
// rolled back, and for another organization's job (zero).
func TestJobTotalMatchesCount(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "intake.db"))
	org, job := seedTest(t, s)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 25 {
				// Every email twice across workers: half the creates conflict.
				app := newTestApp(org, job, fmt.Sprintf("p%d@example.com", (w%4)*25+i))
				app.CreatedAt = time.Now()
				_ = s.CreateApplication(t.Context(), app, nil)
			}
		})
	}
	wg.Wait()
	totals := func(orgID int64) (kept, counted int) {
		_, kept, err := s.Applications(t.Context(), intake.ApplicationFilter{OrgID: orgID, JobID: &job.ID, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		epoch := time.UnixMilli(0)
		_, counted, err = s.Applications(t.Context(), intake.ApplicationFilter{OrgID: orgID, JobID: &job.ID, CreatedAfter: &epoch, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return kept, counted
	}
	if kept, counted := totals(org.ID); kept != 100 || counted != 100 {
		t.Errorf("kept total %d, count(*) %d, want 100 each", kept, counted)
	}
	if kept, counted := totals(org.ID + 1000); kept != 0 || counted != 0 {
		t.Errorf("another organization sees %d / %d applications of the job", kept, counted)
	}
}
