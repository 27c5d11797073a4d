package generate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"intake"
	"intake/internal/store/sqlite"
	"intake/internal/tooling/bench"
	"intake/internal/worldfile"
)

// Usage is the head of `intake generate -h`; the flags follow it.
const Usage = `usage: intake generate --data DIR --candidates N [--jobs J] [--world FILE]

Fills the data dir's database with N made-up candidates (realistic names,
emails, phones, stages, tags, dates over the past year) spread over the jobs
of the world's first organization, for scale checks. Without --world it
writes DIR/world.json (the demo organization and job, J jobs in all, one API
key) unless that file exists, and applies it: serve the result with
  intake serve --data DIR --world DIR/world.json

flags:
`

// Config is the `intake generate` command line. Flags registers its flags
// and Check validates them.
type Config struct {
	DataDir    string
	Candidates int64
	Jobs       int
	WorldFile  string
	Token      string
	Workers    int
	// Run tags the generated emails; random when empty.
	Run string
}

// Flags registers the generate flags on fs, their defaults into c.
func (c *Config) Flags(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data", "", "data directory (created if missing)")
	fs.Int64Var(&c.Candidates, "candidates", 0, "how many candidates to add")
	fs.IntVar(&c.Jobs, "jobs", 1, "jobs of the generated world (not with --world)")
	fs.StringVar(&c.WorldFile, "world", "", "world file to apply and fill (default: DIR/world.json, generated if missing)")
	fs.StringVar(&c.Token, "token", "", "API token of a generated world (default: random)")
	fs.IntVar(&c.Workers, "workers", 256, "concurrent writers (more share more commits)")
	fs.StringVar(&c.Run, "run", "", "tag in the generated emails (default: random); `intake bench --op search --run TAG` searches them")
}

// Check validates a parsed command line.
func (c Config) Check() error {
	if c.DataDir == "" || c.Candidates < 1 || c.Jobs < 1 || c.Workers < 1 {
		return errors.New("give --data and a positive --candidates, --jobs and --workers")
	}
	return nil
}

// Run is `intake generate`: it applies the world to the data dir's SQLite
// database and adds c.Candidates made-up applications to it, printing a
// summary to stdout and progress to stderr.
func Run(ctx context.Context, c Config, stdout, stderr io.Writer) error {
	world, worldPath, err := c.world()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return err
	}
	store, err := sqlite.Open(ctx, filepath.Join(c.DataDir, "intake.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	svc := intake.NewService(intake.ServiceConfig{Store: store})
	if err := svc.ApplyWorld(ctx, world); err != nil {
		return fmt.Errorf("world %s: %w", worldPath, err)
	}
	target, err := loadTarget(ctx, store, world)
	if err != nil {
		return err
	}

	begin := time.Now()
	run := c.Run
	if run == "" {
		run = randomHex(3)
	}
	g := &generator{store: store, target: target, run: run, start: begin.AddDate(-1, 0, 0), end: begin, total: c.Candidates}
	progressDone := make(chan struct{})
	go g.progress(stderr, progressDone)
	err = g.fill(ctx, c.Workers)
	close(progressDone)
	elapsed := time.Since(begin)
	done := g.done.Load()
	if cerr := store.Close(); err == nil {
		err = cerr
	}
	fmt.Fprintf(stdout, "generated %d candidates over %d job(s) of %s in %s (%.0f/s)\n",
		done, len(target.jobs), target.org.Reference, elapsed.Round(time.Millisecond), float64(done)/elapsed.Seconds())
	if fi, serr := os.Stat(filepath.Join(c.DataDir, "intake.db")); serr == nil {
		fmt.Fprintf(stdout, "database: %s, %.1f MiB\n", filepath.Join(c.DataDir, "intake.db"), float64(fi.Size())/(1<<20))
	}
	fmt.Fprintf(stdout, "world: %s\n", worldPath)
	fmt.Fprintf(stdout, "run: %s\n", run)
	if len(world.Organizations[0].APIKeys) > 0 {
		fmt.Fprintf(stdout, "token: %s\n", world.Organizations[0].APIKeys[0].Token)
	}
	fmt.Fprintf(stdout, "serve: intake serve --data %s --world %s\n", c.DataDir, worldPath)
	return err
}

// world returns the world to fill and its file: --world, or DIR/world.json,
// written first when it does not exist.
func (c Config) world() (*intake.World, string, error) {
	path := c.WorldFile
	if path == "" {
		path = filepath.Join(c.DataDir, "world.json")
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
				return nil, "", err
			}
			token := c.Token
			if token == "" {
				token = "ik_bench_" + randomHex(16)
			}
			if err := bench.WriteWorldFile(path, bench.World(token, c.Jobs)); err != nil {
				return nil, "", err
			}
		}
	}
	w, err := worldfile.Load(path)
	if err != nil {
		return nil, "", err
	}
	if len(w.Organizations) == 0 {
		return nil, "", fmt.Errorf("%s: no organization to fill", path)
	}
	return w, path, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
