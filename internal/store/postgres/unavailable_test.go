package postgres_test

import (
	"context"
	"testing"
	"time"

	"intake"
	"intake/internal/store/postgres"
	"intake/internal/store/postgres/pgtest"
)

// TestUnavailable cuts the server off, the way a crash (connections
// refused) or a lost host (nothing answers) looks from the store, and
// checks that every call fails fast with EUnavailable, so the server can
// answer 503, and that the store recovers by itself once the server is
// back.
func TestUnavailable(t *testing.T) {
	databaseURL := pgtest.NewDatabase(t)
	p := pgtest.NewProxy(t, databaseURL)
	s, err := postgres.Open(t.Context(), p.Through(databaseURL),
		postgres.WithConnectTimeout(300*time.Millisecond), postgres.WithAcquireTimeout(time.Second),
		postgres.WithPingTimeout(300*time.Millisecond), postgres.WithTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	org, job := seedOne(t, s)

	n := 0
	create := func(ctx context.Context) error {
		n++
		app := &intake.Application{
			Reference: intake.NewCandidateReference(), ApplicantKey: intake.NewEncodedID(),
			OrgID: org.ID, JobID: job.ID, StageID: job.Stages[0].ID,
			Person: intake.Person{OrgID: org.ID, Email: intake.NewEncodedID() + "@example.com", Firstname: "A", Lastname: "B"},
			Source: intake.SourceWelcomeKit, CreatedAt: time.Now(), UpdatedAt: time.Now(),
		}
		return s.CreateApplication(ctx, app, nil)
	}
	calls := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"Ping", s.Ping},
		{"Orgs", func(ctx context.Context) error { _, err := s.Orgs(ctx); return err }},
		{"Job", func(ctx context.Context) error { _, err := s.Job(ctx, org.ID, job.ID); return err }},
		{"CreateApplication", create},
		{"UpdateApplication", func(ctx context.Context) error {
			_, err := s.UpdateApplication(ctx, org.ID, "wttj-0", func(*intake.Application) error { return nil })
			return err
		}},
	}
	outages := []struct {
		name string
		cut  func()
		// limit is the slowest acceptable failure: a refused connection is
		// seen at once, a silent one only when a timeout fires.
		limit time.Duration
	}{
		{"Refused", p.Down, 500 * time.Millisecond},
		{"Silent", p.Hang, 1500 * time.Millisecond},
		{"Stalled", p.Stall, 1500 * time.Millisecond},
	}
	for _, o := range outages {
		t.Run(o.name, func(t *testing.T) {
			for _, c := range calls {
				if err := c.call(t.Context()); err != nil && intake.ErrorCodeOf(err) != intake.ENotFound {
					t.Fatalf("%s before the outage: %v", c.name, err)
				}
			}
			o.cut()
			for _, c := range calls {
				start := time.Now()
				err := c.call(t.Context())
				took := time.Since(start)
				if intake.ErrorCodeOf(err) != intake.EUnavailable {
					t.Errorf("%s while down: %v, want code %s", c.name, err, intake.EUnavailable)
				}
				t.Logf("%s failed in %v", c.name, took.Round(time.Millisecond))
				if took > o.limit {
					t.Errorf("%s while down took %v, want under %v", c.name, took, o.limit)
				}
			}
			p.Up()
			for _, c := range calls {
				if err := c.call(t.Context()); err != nil && intake.ErrorCodeOf(err) != intake.ENotFound {
					t.Errorf("%s once the server is back: %v", c.name, err)
				}
			}
		})
	}
}

// seedOne saves a one-organization, one-job world.
func seedOne(t testing.TB, s intake.Store) (intake.Org, intake.Job) {
	t.Helper()
	now := time.Now()
	job := intake.Job{Reference: "J1", Title: "Job", VacancyKey: "VacancyKey000001", VacancySlug: "j1", Published: true, CreatedAt: now, UpdatedAt: now}
	for i, st := range intake.DefaultStages() {
		st.Position = i
		job.Stages = append(job.Stages, st)
	}
	w := []intake.WorldOrg{{
		Org:  intake.Org{Name: "Org", Reference: "org", CompanyKey: "CompanyKey000001", Slug: "org", CreatedAt: now, UpdatedAt: now},
		Keys: []intake.APIKey{{Name: "k", Hash: intake.HashToken("token-" + intake.NewEncodedID()), Scopes: []intake.Scope{intake.ScopeCandidatesRW}, CreatedAt: now}},
		Jobs: []intake.Job{job},
	}}
	if err := s.SaveWorld(t.Context(), w); err != nil {
		t.Fatalf("SaveWorld: %v", err)
	}
	return w[0].Org, w[0].Jobs[0]
}

// TestRestart drops every connection between two requests, as a server
// restart or a failover does: the next requests must not fail on the stale
// connections the pool still holds.
func TestRestart(t *testing.T) {
	databaseURL := pgtest.NewDatabase(t)
	p := pgtest.NewProxy(t, databaseURL)
	s, err := postgres.Open(t.Context(), p.Through(databaseURL), postgres.WithMaxConns(4))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	org, job := seedOne(t, s)
	admin := connect(t, databaseURL)
	restarts := []struct {
		name    string
		restart func()
	}{
		{"ConnectionsCut", func() { p.Down(); p.Up() }},
		{"BackendsTerminated", func() {
			_, err := admin.Exec(t.Context(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
				WHERE datname = current_database() AND pid <> pg_backend_pid()`)
			if err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, r := range restarts {
		t.Run(r.name, func(t *testing.T) {
			// Fill the pool so that every connection it holds goes stale.
			errs := make(chan error, 4)
			for range 4 {
				go func() { _, err := s.Jobs(t.Context(), org.ID); errs <- err }()
			}
			for range 4 {
				if err := <-errs; err != nil {
					t.Fatal(err)
				}
			}
			r.restart()
			for i := range 4 {
				if _, err := s.Job(t.Context(), org.ID, job.ID); err != nil {
					t.Errorf("read %d after the restart: %v", i, err)
				}
			}
			r.restart()
			for i := range 4 {
				if _, err := s.UpdateApplication(t.Context(), org.ID, "wttj-0", func(*intake.Application) error { return nil }); intake.ErrorCodeOf(err) != intake.ENotFound {
					t.Errorf("transaction %d after the restart: %v, want %s", i, err, intake.ENotFound)
				}
			}
		})
	}
}
