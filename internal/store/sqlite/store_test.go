package sqlite_test

import (
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"intake"
	"intake/internal/store/sqlite"
	"intake/internal/store/storetest"
)

// open returns a store on a fresh file: never :memory:, which would hide
// WAL, fsync and the reader pool.
func open(t testing.TB, opts ...sqlite.Option) *sqlite.Store {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "intake.db"), opts...)
}

func openAt(t testing.TB, path string, opts ...sqlite.Option) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), path, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) intake.Store { return open(t) })
}

var t0 = time.Date(2025, 1, 2, 3, 4, 5, 6_000_000, time.UTC)

// world saves one organization with one key and one job and returns them.
func world(t testing.TB, s intake.Store) (intake.Org, intake.APIKey, intake.Job) {
	t.Helper()
	w := []intake.WorldOrg{{
		Org:  intake.Org{Name: "Acme", Reference: "Pg4eV6k", CompanyKey: "AcmeCompanyKey01", Slug: "acme", CreatedAt: t0, UpdatedAt: t0},
		Keys: []intake.APIKey{{Name: "ats", Hash: intake.HashToken("token"), Scopes: []intake.Scope{intake.ScopeCandidatesRW}, CreatedAt: t0}},
		Jobs: []intake.Job{{Reference: "WTTJ_KmqkD1Y", Title: "Gopher", VacancyKey: "VacancyKey000001",
			VacancySlug: "vacancykey000001-gopher", Published: true, Stages: intake.DefaultStages(), CreatedAt: t0, UpdatedAt: t0}},
	}}
	for i := range w[0].Jobs[0].Stages {
		w[0].Jobs[0].Stages[i].Position = i
	}
	if err := s.SaveWorld(t.Context(), w); err != nil {
		t.Fatalf("SaveWorld: %v", err)
	}
	return w[0].Org, w[0].Keys[0], w[0].Jobs[0]
}

func application(org intake.Org, key intake.APIKey, job intake.Job, email string) *intake.Application {
	return applicationWithIDs(org, key, job, email, intake.NewCandidateReference(), intake.NewEncodedID(), intake.NewEncodedID())
}

func applicationWithIDs(org intake.Org, key intake.APIKey, job intake.Job, email, ref, applicantKey, blobKey string) *intake.Application {
	return &intake.Application{
		Reference: ref, ApplicantKey: applicantKey,
		OrgID: org.ID, JobID: job.ID, StageID: job.Stages[0].ID,
		Person: intake.Person{OrgID: org.ID, Email: email, Firstname: "Jane", Lastname: "Doe"},
		Tags:   []string{"go"},
		Source: intake.SourceWelcomeKit, CreatedByKey: key.ID,
		Resume:    &intake.Document{Kind: intake.DocResume, BlobKey: blobKey, FileName: "cv.pdf", ContentType: "application/pdf", Size: 10, CreatedAt: t0},
		CreatedAt: t0, UpdatedAt: t0,
	}
}

// TestReopen checks that what a write returned is there after Close and
// Open, and that opening again does not apply migrations twice.
func TestReopen(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "intake.db")
	s := openAt(t, path)
	org, key, job := world(t, s)
	app := application(org, key, job, "jane@example.com")
	rec := &intake.IdempotencyRecord{OrgID: org.ID, KeyID: key.ID, Key: "k", RequestHash: "h", Status: 201, Body: []byte("{}"), Reference: app.Reference, CreatedAt: t0}
	if err := s.CreateApplication(ctx, app, rec); err != nil {
		t.Fatalf("CreateApplication: %v", err)
	}
	app, err := s.UpdateApplication(ctx, org.ID, app.Reference, func(a *intake.Application) error {
		a.StageID, a.UpdatedAt = job.Stages[1].ID, t0.Add(time.Minute)
		return nil
	})
	if err != nil {
		t.Fatalf("UpdateApplication: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = openAt(t, path)
	got, err := s.Application(ctx, org.ID, app.Reference)
	if err != nil {
		t.Fatalf("Application after reopen: %v", err)
	}
	if d := cmp.Diff(app, got, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("application after reopen (-want +got):\n%s", d)
	}
	gotRec, err := s.Idempotency(ctx, org.ID, key.ID, "k")
	if err != nil {
		t.Fatalf("Idempotency after reopen: %v", err)
	}
	if d := cmp.Diff(rec, gotRec); d != "" {
		t.Errorf("idempotency record after reopen (-want +got):\n%s", d)
	}
	moves, err := s.Moves(ctx, org.ID, app.ID)
	if err != nil || len(moves) != 1 {
		t.Errorf("Moves after reopen = %v, %v; want one move", moves, err)
	}
	gotJob, err := s.Job(ctx, org.ID, job.ID)
	if err != nil {
		t.Fatalf("Job after reopen: %v", err)
	}
	if d := cmp.Diff(&job, gotJob, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("job after reopen (-want +got):\n%s", d)
	}
}

// TestUpdatePanics checks that a panic in an update function reaches its
// caller, writes nothing, and leaves the writer serving.
func TestUpdatePanics(t *testing.T) {
	ctx := t.Context()
	s := open(t)
	org, key, job := world(t, s)
	app := application(org, key, job, "jane@example.com")
	if err := s.CreateApplication(ctx, app, nil); err != nil {
		t.Fatalf("CreateApplication: %v", err)
	}
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want the update function's panic", r)
			}
		}()
		_, _ = s.UpdateApplication(ctx, org.ID, app.Reference, func(a *intake.Application) error {
			a.StageID = job.Stages[2].ID
			panic("boom")
		})
	}()
	got, err := s.Application(ctx, org.ID, app.Reference)
	if err != nil || got.StageID != app.StageID {
		t.Fatalf("after the panic: %v, stage %d; want the application unchanged", err, got.StageID)
	}
	if err := s.CreateApplication(ctx, application(org, key, job, "next@example.com"), nil); err != nil {
		t.Fatalf("CreateApplication after the panic: %v", err)
	}
}

func TestOpenRejectsBadPath(t *testing.T) {
	for _, path := range []string{"", "x.db?mode=memory", filepath.Join(t.TempDir(), "missing", "dir", "x.db")} {
		if s, err := sqlite.Open(t.Context(), path); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded, want an error", path)
		}
	}
}

// BenchmarkCreateApplication measures the write path: one application with
// its person and a document per op. Parallel shows group commit: ops/commit
// is the mean batch size.
func BenchmarkCreateApplication(b *testing.B) {
	run := func(b *testing.B, parallel bool) {
		var commits, ops atomic.Int64
		s := open(b, sqlite.OnCommit(func(n int, _ time.Duration) {
			commits.Add(1)
			ops.Add(int64(n))
		}))
		org, key, job := world(b, s)
		var seq atomic.Int64
		// Ids from a counter: the domain's random ones would dominate
		// the allocations measured here.
		create := func() error {
			n := seq.Add(1)
			id := fmt.Sprintf("%016d", n)
			app := applicationWithIDs(org, key, job, id+"@example.com", "wttj-"+id+"00000000", id, id)
			return s.CreateApplication(b.Context(), app, nil)
		}
		commits.Store(0)
		ops.Store(0)
		b.ReportAllocs()
		b.ResetTimer()
		if parallel {
			b.SetParallelism(16)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := create(); err != nil {
						b.Error(err)
						return
					}
				}
			})
		} else {
			for b.Loop() {
				if err := create(); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.StopTimer()
		if c := commits.Load(); c > 0 {
			b.ReportMetric(float64(ops.Load())/float64(c), "ops/commit")
		}
	}
	b.Run("Sequential", func(b *testing.B) { run(b, false) })
	b.Run("Parallel", func(b *testing.B) { run(b, true) })
}
