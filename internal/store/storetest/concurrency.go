package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"intake"
)

func concurrencyTests() []test {
	return []test{
		{"SamePersonAndJob", testConcurrentDuplicate},
		{"DistinctEmails", testConcurrentDistinct},
		{"SameIdempotencyKey", testConcurrentIdempotency},
		{"Updates", testConcurrentUpdates},
		{"ReadsDuringWrites", testConcurrentReads},
		{"JobTotalMatchesCount", testJobTotal},
	}
}

// testJobTotal checks the total of a whole job, which both stores keep
// rather than count, against a filtered list's count: after concurrent
// creates of which half conflict (their rollback must not count), in each
// of two jobs, and for another organization asking (zero).
func testJobTotal(t *testing.T, s intake.Store) {
	f := seed(t, s)
	jobs := []intake.Job{f.A1, f.A2}
	errs := parallel(200, func(i int) error {
		// Every person twice per job: half the creates conflict.
		email := fmt.Sprintf("p%d@example.com", i/2%50)
		return s.CreateApplication(t.Context(), bareApp(f.A, jobs[i%2], email, i), nil)
	})
	created := [2]int{}
	for i, err := range errs {
		switch {
		case err == nil:
			created[i%2]++
		case intake.ErrorCodeOf(err) != intake.EConflict:
			t.Fatalf("create %d: %v", i, err)
		}
	}
	epoch := at(-1_000_000)
	for j, job := range jobs {
		for _, org := range []intake.Org{f.A, f.B} {
			_, kept, err := s.Applications(t.Context(), intake.ApplicationFilter{OrgID: org.ID, JobID: &job.ID, Limit: 1})
			noErr(t, "Applications(job)", err)
			_, counted, err := s.Applications(t.Context(), intake.ApplicationFilter{OrgID: org.ID, JobID: &job.ID, CreatedAfter: &epoch, Limit: 1})
			noErr(t, "Applications(job, created after)", err)
			want := created[j]
			if org.ID != f.A.ID {
				want = 0
			}
			if kept != want || counted != want {
				t.Errorf("org %d, job %s: kept total %d, counted %d, want %d", org.ID, job.Reference, kept, counted, want)
			}
		}
	}
}

// parallel runs fn(i) for i in [0, n) at once and returns the errors.
func parallel(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

func testConcurrentDuplicate(t *testing.T, s intake.Store) {
	f := seed(t, s)
	apps := make([]*intake.Application, 50)
	for i := range apps {
		apps[i] = newApp(f.A, f.KeyA, f.A1, []string{"same@example.com", "SAME@Example.com"}[i%2], 1)
	}
	errs := parallel(len(apps), func(i int) error {
		return s.CreateApplication(t.Context(), apps[i], nil)
	})
	var winner *intake.Application
	for i, err := range errs {
		if err == nil {
			if winner != nil {
				t.Fatalf("two creates of one person×job succeeded: %s and %s", winner.Reference, apps[i].Reference)
			}
			winner = apps[i]
		}
	}
	if winner == nil {
		t.Fatalf("no create succeeded; first error: %v", errs[0])
	}
	for _, err := range errs {
		if err == nil {
			continue
		}
		wantCode(t, "losing create", err, intake.EConflict)
		if got := existingReference(err); got != winner.Reference {
			t.Errorf("losing create: existing reference %q, want the winner's %q (%v)", got, winner.Reference, err)
		}
	}
	if n := total(t, s, f.A.ID); n != 1 {
		t.Errorf("%d applications stored, want 1", n)
	}
}

func testConcurrentDistinct(t *testing.T, s intake.Store) {
	f := seed(t, s)
	const n = 200
	apps := make([]*intake.Application, n)
	for i := range apps {
		job := f.A1
		if i%2 == 1 {
			job = f.A2
		}
		apps[i] = newApp(f.A, f.KeyA, job, fmt.Sprintf("user%03d@example.com", i), 1)
	}
	errs := parallel(n, func(i int) error {
		return s.CreateApplication(t.Context(), apps[i], nil)
	})
	ids, persons := map[int64]bool{}, map[int64]bool{}
	for i, err := range errs {
		noErr(t, fmt.Sprintf("create %d", i), err)
		if ids[apps[i].ID] || persons[apps[i].Person.ID] {
			t.Fatalf("create %d: application id %d or person id %d given twice", i, apps[i].ID, apps[i].Person.ID)
		}
		ids[apps[i].ID], persons[apps[i].Person.ID] = true, true
	}
	got, total, err := s.Applications(t.Context(), intake.ApplicationFilter{OrgID: f.A.ID, Limit: n})
	noErr(t, "Applications", err)
	if total != n || len(got) != n {
		t.Fatalf("listed %d of total %d, want %d", len(got), total, n)
	}
	byRef := map[string]*intake.Application{}
	for _, a := range apps {
		byRef[a.Reference] = a
	}
	for _, g := range got {
		equal(t, "application "+g.Reference, byRef[g.Reference], g)
	}
}

func testConcurrentIdempotency(t *testing.T, s intake.Store) {
	f := seed(t, s)
	const n = 20
	apps := make([]*intake.Application, n)
	for i := range apps {
		apps[i] = bareApp(f.A, f.A1, fmt.Sprintf("user%02d@example.com", i), 1)
	}
	errs := parallel(n, func(i int) error {
		return s.CreateApplication(t.Context(), apps[i], idemRecord(apps[i], f.KeyA, "same-key", 1))
	})
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		wantCode(t, "losing create", err, intake.EConflict)
		if got := takenKey(err); got != "same-key" {
			t.Errorf("losing create: taken key %q, want %q (%v)", got, "same-key", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d creates with one idempotency key succeeded, want 1", ok)
	}
	if got := total(t, s, f.A.ID); got != 1 {
		t.Errorf("%d applications stored, want 1", got)
	}
}

// testConcurrentUpdates checks that UpdateApplication's load, fn and save
// are atomic: no update is lost.
func testConcurrentUpdates(t *testing.T, s intake.Store) {
	f := seed(t, s)
	app := bareApp(f.A, f.A1, "jane@example.com", 1)
	create(t, s, app, nil)
	const n = 20
	errs := parallel(n, func(i int) error {
		_, err := s.UpdateApplication(t.Context(), f.A.ID, app.Reference, func(a *intake.Application) error {
			a.Tags = append(a.Tags, fmt.Sprintf("t%02d", i))
			return nil
		})
		return err
	})
	want := make([]string, n)
	for i, err := range errs {
		noErr(t, "UpdateApplication", err)
		want[i] = fmt.Sprintf("t%02d", i)
	}
	got := getApp(t, s, f.A.ID, app.Reference).Tags
	slices.Sort(got)
	equal(t, "tags after concurrent updates", want, got)
}

func testConcurrentReads(t *testing.T, s intake.Store) {
	f := seed(t, s)
	const n = 40
	errs := parallel(2*n, func(i int) error {
		ctx := t.Context()
		if i%2 == 0 {
			return s.CreateApplication(ctx, newApp(f.A, f.KeyA, f.A1, fmt.Sprintf("r%02d@example.com", i), 1), nil)
		}
		if _, _, err := s.Applications(ctx, intake.ApplicationFilter{OrgID: f.A.ID, JobID: &f.A1.ID, Limit: 10}); err != nil {
			return err
		}
		_, err := s.Job(ctx, f.A.ID, f.A1.ID)
		return err
	})
	for _, err := range errs {
		noErr(t, "concurrent read or write", err)
	}
	if got := total(t, s, f.A.ID); got != n {
		t.Errorf("%d applications, want %d", got, n)
	}
}
