package storetest

import (
	"testing"

	"intake"
)

func jobTests() []test {
	return []test{
		{"Lookups", testJobLookups},
		{"OtherOrg", testJobOtherOrg},
		{"Unknown", testJobUnknown},
	}
}

func testJobLookups(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	lookups := []struct {
		name string
		get  func() (*intake.Job, error)
		want *intake.Job
	}{
		{"Job", func() (*intake.Job, error) { return s.Job(ctx, f.A.ID, f.A2.ID) }, &f.A2},
		{"JobByReference", func() (*intake.Job, error) { return s.JobByReference(ctx, f.A.ID, f.A2.Reference) }, &f.A2},
		{"JobByVacancy(slug)", func() (*intake.Job, error) { return s.JobByVacancy(ctx, f.A.ID, f.A2.VacancySlug) }, &f.A2},
		{"JobByVacancy(key)", func() (*intake.Job, error) { return s.JobByVacancy(ctx, f.A.ID, f.A2.VacancyKey) }, &f.A2},
		// B1 shares A1's reference, slug and key: the org decides.
		{"JobByReference(shared)", func() (*intake.Job, error) { return s.JobByReference(ctx, f.B.ID, f.A1.Reference) }, &f.B1},
		{"JobByVacancy(shared slug)", func() (*intake.Job, error) { return s.JobByVacancy(ctx, f.B.ID, f.A1.VacancySlug) }, &f.B1},
		{"JobByVacancy(shared key)", func() (*intake.Job, error) { return s.JobByVacancy(ctx, f.A.ID, f.A1.VacancyKey) }, &f.A1},
	}
	for _, l := range lookups {
		got, err := l.get()
		noErr(t, l.name, err)
		equal(t, l.name, l.want, got)
	}
	jobs, err := s.Jobs(ctx, f.A.ID)
	noErr(t, "Jobs", err)
	equal(t, "Jobs(A)", jobPtrs([]intake.Job{f.A1, f.A2}), jobs)
	jobs, err = s.Jobs(ctx, f.B.ID)
	noErr(t, "Jobs", err)
	equal(t, "Jobs(B)", []*intake.Job{&f.B1}, jobs)
	jobs, err = s.Jobs(ctx, f.B.ID+1000)
	noErr(t, "Jobs(unknown org)", err)
	equal(t, "Jobs(unknown org)", []*intake.Job(nil), jobs)
}

func testJobOtherOrg(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	_, err := s.Job(ctx, f.B.ID, f.A2.ID)
	wantCode(t, "Job(job of another org)", err, intake.ENotFound)
	_, err = s.JobByReference(ctx, f.B.ID, f.A2.Reference)
	wantCode(t, "JobByReference(job of another org)", err, intake.ENotFound)
	_, err = s.JobByVacancy(ctx, f.B.ID, f.A2.VacancySlug)
	wantCode(t, "JobByVacancy(slug of another org)", err, intake.ENotFound)
	_, err = s.JobByVacancy(ctx, f.B.ID, f.A2.VacancyKey)
	wantCode(t, "JobByVacancy(key of another org)", err, intake.ENotFound)
}

func testJobUnknown(t *testing.T, s intake.Store) {
	ctx := t.Context()
	f := seed(t, s)
	_, err := s.Job(ctx, f.A.ID, f.A2.ID+1000)
	wantCode(t, "Job(unknown)", err, intake.ENotFound)
	_, err = s.JobByReference(ctx, f.A.ID, "WTTJ_nope")
	wantCode(t, "JobByReference(unknown)", err, intake.ENotFound)
	_, err = s.JobByVacancy(ctx, f.A.ID, "nope")
	wantCode(t, "JobByVacancy(unknown)", err, intake.ENotFound)
}
