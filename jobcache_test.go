package intake_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"intake"
	"intake/internal/testenv"
)

// vacancyCountingStore counts the vacancy lookups that reach the store.
type vacancyCountingStore struct {
	intake.Store
	lookups atomic.Int64
}

func (s *vacancyCountingStore) JobByVacancy(ctx context.Context, orgID int64, vacancy string) (*intake.Job, error) {
	s.lookups.Add(1)
	return s.Store.JobByVacancy(ctx, orgID, vacancy)
}

// TestJobByVacancyCache checks that a Flatchr create does not read its job
// from the store each time, and that the cache ends with its TTL and with
// a world applied in this process.
func TestJobByVacancyCache(t *testing.T) {
	var cs *vacancyCountingStore
	env := testenv.New(t, testenv.World, func(cfg *intake.ServiceConfig) {
		cs = &vacancyCountingStore{Store: cfg.Store}
		cfg.Store = cs
	})
	p := authenticate(t, env.Service, testenv.RWToken)
	job, err := env.Service.JobByReference(t.Context(), p, testenv.Org, testenv.SeedJob)
	if err != nil {
		t.Fatal(err)
	}
	lookup := func(vacancy string, want int64) {
		t.Helper()
		got, err := env.Service.JobByVacancy(t.Context(), p, vacancy)
		if err != nil || got.ID != job.ID {
			t.Fatalf("JobByVacancy(%q) = %v, %v; want job %d", vacancy, got, err, job.ID)
		}
		if n := cs.lookups.Load(); n != want {
			t.Fatalf("after JobByVacancy(%q): %d store lookups, want %d", vacancy, n, want)
		}
	}
	lookup(job.VacancySlug, 1)
	lookup(job.VacancySlug, 1)
	lookup(job.VacancyKey, 2)
	lookup(job.VacancyKey, 2)

	env.Clock.Advance(time.Minute)
	lookup(job.VacancySlug, 3)

	env.Apply(t, testenv.World)
	lookup(job.VacancySlug, 4)

	if _, err := env.Service.JobByVacancy(t.Context(), p, "no-such-vacancy"); intake.ErrorCodeOf(err) != intake.ENotFound {
		t.Fatalf("unknown vacancy: %v, want ENotFound", err)
	}
	if _, err := env.Service.JobByVacancy(t.Context(), p, "no-such-vacancy"); intake.ErrorCodeOf(err) != intake.ENotFound {
		t.Fatalf("unknown vacancy again: %v, want ENotFound", err)
	}
	if n := cs.lookups.Load(); n != 6 {
		t.Errorf("%d store lookups after two misses, want 6: misses are not cached", n)
	}
}
