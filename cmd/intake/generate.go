package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"intake"
	"intake/internal/tooling/bench"
	"intake/internal/worldfile"
)

const generateUsage = `usage: intake generate --data DIR --candidates N [--jobs J] [--world FILE]

Fills the data dir's database with N made-up candidates (realistic names,
emails, phones, stages, tags, dates over the past year) spread over the jobs
of the world's first organization, for scale checks. Without --world it
writes DIR/world.json (the demo organization and job, J jobs in all, one API
key) unless that file exists, and applies it: serve the result with
  intake serve --data DIR --world DIR/world.json

flags:
`

// generateConfig is the generate command line.
type generateConfig struct {
	dataDir    string
	candidates int64
	jobs       int
	worldFile  string
	token      string
	workers    int
}

func parseGenerateFlags(args []string, stderr io.Writer) (generateConfig, error) {
	var c generateConfig
	fs := flag.NewFlagSet("intake generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, generateUsage)
		fs.PrintDefaults()
	}
	fs.StringVar(&c.dataDir, "data", "", "data directory (created if missing)")
	fs.Int64Var(&c.candidates, "candidates", 0, "how many candidates to add")
	fs.IntVar(&c.jobs, "jobs", 1, "jobs of the generated world (not with --world)")
	fs.StringVar(&c.worldFile, "world", "", "world file to apply and fill (default: DIR/world.json, generated if missing)")
	fs.StringVar(&c.token, "token", "", "API token of a generated world (default: random)")
	fs.IntVar(&c.workers, "workers", 256, "concurrent writers (more share more commits)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if c.dataDir == "" || c.candidates < 1 || c.jobs < 1 || c.workers < 1 {
		return c, fmt.Errorf("%w: give --data and a positive --candidates, --jobs and --workers", errUsage)
	}
	return c, nil
}

// runGenerate is `intake generate`.
func runGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseGenerateFlags(args, stderr)
	if err != nil {
		return err
	}
	world, worldPath, err := c.world()
	if err != nil {
		return err
	}
	store, err := openStore(ctx, Config{DataDir: c.dataDir})
	if err != nil {
		return err
	}
	defer store.Close()
	svc := intake.NewService(intake.ServiceConfig{Store: store})
	if err := svc.ApplyWorld(ctx, world); err != nil {
		return fmt.Errorf("world %s: %w", worldPath, err)
	}
	target, err := loadGenerateTarget(ctx, store, world)
	if err != nil {
		return err
	}

	begin := time.Now()
	g := &generator{store: store, target: target, run: randomHex(3), start: begin.AddDate(-1, 0, 0), end: begin, total: c.candidates}
	progressDone := make(chan struct{})
	go g.progress(stderr, progressDone)
	err = g.fill(ctx, c.workers)
	close(progressDone)
	elapsed := time.Since(begin)
	done := g.done.Load()
	if cerr := store.Close(); err == nil {
		err = cerr
	}
	fmt.Fprintf(stdout, "generated %d candidates over %d job(s) of %s in %s (%.0f/s)\n",
		done, len(target.jobs), target.org.Reference, elapsed.Round(time.Millisecond), float64(done)/elapsed.Seconds())
	if fi, serr := os.Stat(filepath.Join(c.dataDir, "intake.db")); serr == nil {
		fmt.Fprintf(stdout, "database: %s, %.1f MiB\n", filepath.Join(c.dataDir, "intake.db"), mib(fi.Size()))
	}
	fmt.Fprintf(stdout, "world: %s\n", worldPath)
	if len(world.Organizations[0].APIKeys) > 0 {
		fmt.Fprintf(stdout, "token: %s\n", world.Organizations[0].APIKeys[0].Token)
	}
	fmt.Fprintf(stdout, "serve: intake serve --data %s --world %s\n", c.dataDir, worldPath)
	return err
}

// world returns the world to fill and its file: --world, or DIR/world.json,
// written first when it does not exist.
func (c generateConfig) world() (*intake.World, string, error) {
	path := c.worldFile
	if path == "" {
		path = filepath.Join(c.dataDir, "world.json")
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			if err := os.MkdirAll(c.dataDir, 0o700); err != nil {
				return nil, "", err
			}
			token := c.token
			if token == "" {
				token = "ik_bench_" + randomHex(16)
			}
			if err := writeWorldFile(path, benchWorld(token, c.jobs)); err != nil {
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

// generateTarget is what generated applications point at: the world's
// first organization, its jobs and a key as their creator.
type generateTarget struct {
	org   *intake.Org
	key   *intake.APIKey
	jobs  []*intake.Job
	stage [][]int64 // stage ids of each job, in order
}

func loadGenerateTarget(ctx context.Context, store intake.Store, w *intake.World) (*generateTarget, error) {
	orgs, err := store.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	want := w.Organizations[0]
	t := &generateTarget{}
	for _, o := range orgs {
		if o.Reference == want.Reference || (want.Reference == "" && o.Name == want.Name) {
			t.org = o
		}
	}
	if t.org == nil {
		return nil, fmt.Errorf("organization %q not found after applying the world", want.Name)
	}
	jobs, err := store.Jobs(ctx, t.org.ID)
	if err != nil {
		return nil, err
	}
	for _, j := range jobs {
		if j.Archived || len(j.Stages) == 0 {
			continue
		}
		ids := make([]int64, len(j.Stages))
		for i, s := range j.Stages {
			ids[i] = s.ID
		}
		t.jobs = append(t.jobs, j)
		t.stage = append(t.stage, ids)
	}
	if len(t.jobs) == 0 {
		return nil, fmt.Errorf("organization %s has no open job with stages", t.org.Reference)
	}
	keys, err := store.APIKeys(ctx, t.org.ID)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if k.RevokedAt == nil {
			t.key = k
			break
		}
	}
	return t, nil
}

// generator makes and stores made-up applications.
type generator struct {
	store  intake.Store
	target *generateTarget
	run    string
	start  time.Time // the first application's date
	end    time.Time // the last one's, and the latest update
	total  int64
	next   atomic.Int64
	done   atomic.Int64
}

// fill stores g.total applications with workers concurrent writers.
func (g *generator) fill(ctx context.Context, workers int) error {
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	span := g.end.Sub(g.start)
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				n := g.next.Add(1) - 1
				if n >= g.total {
					return
				}
				at := g.start.Add(time.Duration(float64(span) * float64(n) / float64(g.total))).Truncate(time.Millisecond)
				app := g.application(uint64(n), at)
				if err := g.store.CreateApplication(ctx, app, nil); err != nil {
					once.Do(func() {
						firstErr = fmt.Errorf("candidate %d: %w", n, err)
						cancel()
					})
					return
				}
				g.done.Add(1)
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

func (g *generator) progress(w io.Writer, done <-chan struct{}) {
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	begin := time.Now()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			n := g.done.Load()
			fmt.Fprintf(w, "generate: %d/%d (%.0f/s)\n", n, g.total, float64(n)/time.Since(begin).Seconds())
		}
	}
}

var (
	generateOrigins   = []string{"careers", "careers", "linkedin", "indeed", "welcome-to-the-jungle", "cooptation", "job-fair", ""}
	generateReferrers = []string{"", "", "https://www.linkedin.com/", "https://fr.indeed.com/", "https://www.welcometothejungle.com/"}
	generateLetters   = []string{
		"", "", "",
		"Bonjour, votre offre correspond exactement à ce que je recherche. Je serais ravie d'en discuter avec vous.",
		"Madame, Monsieur, fort de cinq ans d'expérience dans ce domaine, je souhaite rejoindre votre équipe. Disponible immédiatement.",
	}
)

// application returns the made-up application numbered n, dated at.
func (g *generator) application(n uint64, at time.Time) *intake.Application {
	t := g.target
	p := bench.NewPerson(g.run, n)
	h := n*0xD6E8FEB86659FD93 + 0x9E3779B97F4A7C15
	job := int(n % uint64(len(t.jobs)))
	stages := t.stage[job]
	// Most candidates sit in the first stage, some move on, many are
	// refused: the shape of a real pipeline.
	var stage int64
	switch r := h % 100; {
	case r < 55:
		stage = stages[0]
	case r < 85 && len(stages) > 2:
		stage = stages[1+int(h>>8)%(len(stages)-2)]
	default:
		stage = stages[len(stages)-1]
	}
	app := &intake.Application{
		Reference:    intake.NewCandidateReference(),
		ApplicantKey: intake.NewApplicantKey(),
		OrgID:        t.org.ID,
		JobID:        t.jobs[job].ID,
		StageID:      stage,
		Person: intake.Person{
			OrgID:     t.org.ID,
			Email:     p.Email,
			Firstname: p.Firstname,
			Lastname:  p.Lastname,
			Phone:     p.Phone,
			Subtitle:  p.Subtitle,
		},
		Origin:      generateOrigins[(h>>16)%uint64(len(generateOrigins))],
		Referrer:    generateReferrers[(h>>24)%uint64(len(generateReferrers))],
		CoverLetter: generateLetters[(h>>32)%uint64(len(generateLetters))],
		Archived:    (h>>40)%100 < 5,
		Source:      intake.SourceWelcomeKit,
		CreatedAt:   at,
		UpdatedAt:   at,
	}
	if p.Tags != "" {
		app.Tags = intake.NormalizeTags(strings.Split(p.Tags, ","))
	}
	if (h>>44)%5 == 0 {
		app.Person.Media = map[string]string{"linkedin": "https://www.linkedin.com/in/" + strings.ToLower(p.FileStem)}
	}
	if (h>>48)%10 < 4 {
		app.Source = intake.SourceFlatchr
		app.OffererID = 75
		app.Newsletter = &intake.Consent{Given: (h>>52)%4 == 0, At: at}
	}
	if t.key != nil {
		app.CreatedByKey = t.key.ID
	}
	if stage != stages[0] {
		app.UpdatedAt = at.Add(time.Duration(h>>56+1) * time.Hour)
		if app.UpdatedAt.After(g.end) {
			app.UpdatedAt = at
		}
	}
	return app
}
