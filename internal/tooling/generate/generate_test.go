package generate

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"intake"
	"intake/internal/store/sqlite"
	"intake/internal/tooling/bench"
)

// generate runs the command's Run with c and returns its stdout.
func generate(t testing.TB, c Config) string {
	t.Helper()
	if c.Workers == 0 {
		c.Workers = 256
	}
	if c.Jobs == 0 {
		c.Jobs = 1
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	if err := Run(t.Context(), c, &stdout, io.Discard); err != nil {
		t.Fatalf("generate: %v\n%s", err, stdout.String())
	}
	return stdout.String()
}

func TestGenerate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	out := generate(t, Config{DataDir: dir, Candidates: 60, Jobs: 3, Token: "ik_generated_token"})
	if !strings.HasPrefix(out, "generated 60 candidates over 3 job(s) of Pg4eV6k in ") || !strings.Contains(out, "token: ik_generated_token\n") {
		t.Errorf("output:\n%s", out)
	}
	// A second run adds to the same database and world.
	generate(t, Config{DataDir: dir, Candidates: 30})

	ctx := t.Context()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "intake.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	svc := intake.NewService(intake.ServiceConfig{Store: store})
	p, err := svc.Authenticate(ctx, "ik_generated_token")
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := store.Jobs(ctx, p.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	var counts []int
	emails := map[string]bool{}
	for _, j := range jobs {
		apps, total, err := store.Applications(ctx, intake.ApplicationFilter{OrgID: p.Org.ID, JobID: &j.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		counts = append(counts, total)
		for _, a := range apps {
			emails[strings.ToLower(a.Person.Email)] = true
			if _, ok := j.StageByID(a.StageID); !ok {
				t.Errorf("application %s sits in stage %d, not one of its job's", a.Reference, a.StageID)
			}
		}
	}
	if diff := cmp.Diff([]int{30, 30, 30}, counts); diff != "" {
		t.Errorf("candidates per job (-want +got):\n%s", diff)
	}
	if len(emails) != 90 {
		t.Errorf("%d distinct emails, want 90", len(emails))
	}
}

func TestConfigCheck(t *testing.T) {
	tests := []struct {
		name string
		c    Config
		ok   bool
	}{
		{name: "complete", c: Config{DataDir: "d", Candidates: 1, Jobs: 1, Workers: 1}, ok: true},
		{name: "no data dir", c: Config{Candidates: 1, Jobs: 1, Workers: 1}},
		{name: "no candidates", c: Config{DataDir: "d", Jobs: 1, Workers: 1}},
		{name: "no job", c: Config{DataDir: "d", Candidates: 1, Workers: 1}},
		{name: "no worker", c: Config{DataDir: "d", Candidates: 1, Jobs: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.c.Check(); (err == nil) != tt.ok {
				t.Errorf("err = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

// BenchmarkStoreCreateApplication measures the store's commit alone: one
// generated application per operation, serial and from 64 goroutines.
func BenchmarkStoreCreateApplication(b *testing.B) {
	store, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "intake.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	world := bench.World("ik_bench_in_process", 1)
	if err := intake.NewService(intake.ServiceConfig{Store: store}).ApplyWorld(b.Context(), world); err != nil {
		b.Fatal(err)
	}
	target, err := loadTarget(b.Context(), store, world)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	g := &generator{store: store, target: target, run: "s" + strconv.FormatInt(now.UnixNano(), 36), start: now.AddDate(-1, 0, 0), end: now}
	var seq atomic.Uint64
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := store.CreateApplication(b.Context(), g.application(seq.Add(1), now), nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel=64", func(b *testing.B) {
		b.ReportAllocs()
		b.SetParallelism(32)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := store.CreateApplication(context.Background(), g.application(seq.Add(1), now), nil); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
