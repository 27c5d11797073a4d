// Package crashtest checks that intake keeps its word across crashes: a 2xx
// means the candidate and its resume are stored, whole, and nothing else
// is left behind.
//
// Run starts the intake binary on a data directory, drives concurrent
// creates in both dialects (WelcomeKit with and without a remote resume,
// Flatchr with a base64 resume, and optionally Flatchr re-applies that
// replace a resume), kills the server with SIGKILL after a
// random delay, restarts it, and repeats; some kills land while the server
// is still starting. Then it starts the server once more and verifies,
// through the APIs and the data directory, every acknowledged candidate,
// every stored resume and every file.
package crashtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"time"
)

// Defaults of Config.
const (
	DefaultMaxUptime = 3 * time.Second
	DefaultMaxResume = 1 << 20
	// startTimeout bounds one server start, recovery included.
	startTimeout = 60 * time.Second
	// earlyKillShare is the share of cycles killed while the server is
	// starting (recovering files, applying the world), not serving.
	earlyKillShare = 10
	// maxSamples bounds the error answers a report quotes.
	maxSamples = 10
	// maxEarlyKill bounds the delay of an early kill.
	maxEarlyKill = 40 * time.Millisecond
)

// Config is one crash run.
type Config struct {
	// Binary is the intake executable to start.
	Binary string
	// DataDir is the server's data directory; it must be missing or empty
	// so that every candidate in it comes from this run.
	DataDir string
	// Cycles is the number of kill-and-restart cycles.
	Cycles int
	// Concurrency is the number of concurrent clients.
	Concurrency int
	// Seed draws kinds, resumes and kill delays; 0 picks one at random.
	Seed uint64
	// MaxUptime bounds the random delay before each kill
	// (DefaultMaxUptime when 0); the delay is at least a tenth of it.
	MaxUptime time.Duration
	// MaxResume bounds resume sizes in bytes (DefaultMaxResume when 0).
	MaxResume int
	// Reapply adds Flatchr re-applies to the load: creates with the email
	// of an earlier acknowledged Flatchr create, which replace its resume.
	Reapply bool
	// Webhooks subscribes a receiver to new_applicant and checks, at the
	// end, that every acknowledged create's event reached it.
	Webhooks bool
	// Log receives a line per cycle; nil for none.
	Log io.Writer
}

// Report is the outcome of a run.
type Report struct {
	Seed         uint64 `json:"seed"`
	Cycles       int    `json:"cycles"`
	EarlyKills   int    `json:"early_kills"`
	Concurrency  int    `json:"concurrency"`
	Sent         int    `json:"requests_sent"`
	Acknowledged int    `json:"acknowledged"`
	// AcknowledgedResumes is how many acknowledged creates carried a
	// resume.
	AcknowledgedResumes int `json:"acknowledged_with_resume"`
	// Unanswered counts requests cut by a kill before a full answer.
	Unanswered int `json:"unanswered"`
	// Rejected counts error answers, by status.
	Rejected map[int]int `json:"rejected,omitempty"`
	// RejectedSamples quotes the first error answers.
	RejectedSamples []string `json:"rejected_samples,omitempty"`
	Check           *Check   `json:"check"`
	// Hooks is the webhook check, when Config.Webhooks is set.
	Hooks   *HookCheck `json:"webhooks,omitempty"`
	Seconds float64    `json:"seconds"`
}

// OK reports whether the run found nothing lost, half-written or orphaned.
func (r *Report) OK() bool { return r.Check != nil && r.Check.OK() && (r.Hooks == nil || r.Hooks.OK()) }

// WriteText writes the figures for a person.
func (r *Report) WriteText(w io.Writer) {
	c := r.Check
	fmt.Fprintf(w, "cycles:                %d (%d killed while starting)\n", r.Cycles, r.EarlyKills)
	fmt.Fprintf(w, "concurrency:           %d\n", r.Concurrency)
	fmt.Fprintf(w, "seed:                  %d\n", r.Seed)
	fmt.Fprintf(w, "requests sent:         %d\n", r.Sent)
	fmt.Fprintf(w, "acknowledged:          %d (%d with a resume)\n", r.Acknowledged, r.AcknowledgedResumes)
	fmt.Fprintf(w, "unanswered (killed):   %d, of which stored: %d\n", r.Unanswered, c.UnacknowledgedStored)
	fmt.Fprintf(w, "rejected:              %v\n", r.Rejected)
	fmt.Fprintf(w, "candidates listed:     %d, resume bytes checked: %d\n", c.Candidates, c.ResumeBytes)
	fmt.Fprintf(w, "files on disk:         %d\n", c.Files)
	fmt.Fprintf(w, "lost:                  %d\n", c.Lost)
	fmt.Fprintf(w, "half-written:          %d\n", c.HalfWritten)
	fmt.Fprintf(w, "orphans:               %d (%d left in staging)\n", c.Orphans, c.Staged)
	fmt.Fprintf(w, "stored after an error: %d\n", c.RejectedStored)
	fmt.Fprintf(w, "unexpected:            %d\n", c.Unexpected)
	fmt.Fprintf(w, "time:                  %.1fs\n", r.Seconds)
	if h := r.Hooks; h != nil {
		fmt.Fprintf(w, "webhooks received:     %d for %d candidates (%d redelivered after a kill)\n", h.Received, h.Distinct, h.Redelivered)
		fmt.Fprintf(w, "webhooks missing:      %d, invented: %d\n", h.Missing, h.Invented)
		for _, p := range h.Problems {
			fmt.Fprintln(w, "problem:", p)
		}
	}
	for _, s := range r.RejectedSamples {
		fmt.Fprintln(w, "rejected:", s)
	}
	for _, p := range c.Problems {
		fmt.Fprintln(w, "problem:", p)
	}
	if r.OK() {
		fmt.Fprintln(w, "result:                OK")
	} else {
		fmt.Fprintln(w, "result:                FAILED")
	}
}

// Run runs the cycles and the verification. It returns an error when the
// run could not be carried out (the server would not start, the data
// directory is in use); what the verification found is in the Report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Cycles < 1 {
		return nil, errors.New("crashtest: Cycles must be at least 1")
	}
	if names, err := os.ReadDir(cfg.DataDir); err == nil && len(names) > 0 {
		return nil, fmt.Errorf("crashtest: %s is not empty", cfg.DataDir)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	start := time.Now()
	h, err := NewHarness(cfg)
	if err != nil {
		return nil, err
	}
	defer h.Close()
	for range cfg.Cycles {
		if err := h.Cycle(ctx); err != nil {
			return nil, err
		}
	}
	rep, err := h.Verify(ctx)
	if err != nil {
		return nil, err
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

// Harness runs cycles against one data directory; Run drives it, tests
// may damage the data directory between its steps.
type Harness struct {
	cfg    Config
	world  *World
	ledger *Ledger
	load   *Load
	files  interface{ Close() error }
	hooks  *hookReceiver
	rng    *rand.Rand
	cycle  int
	early  int
	// worldDir holds the world file, outside the data directory.
	worldDir string
}

// NewHarness applies cfg's defaults, writes the world file and starts the
// resume file server. Close stops it.
func NewHarness(cfg Config) (*Harness, error) {
	if cfg.Binary == "" || cfg.DataDir == "" || cfg.Concurrency < 1 {
		return nil, errors.New("crashtest: Binary, DataDir and Concurrency ≥ 1 are required")
	}
	if cfg.Seed == 0 {
		cfg.Seed = rand.Uint64()
	}
	if cfg.MaxUptime <= 0 {
		cfg.MaxUptime = DefaultMaxUptime
	}
	if cfg.MaxResume <= 0 {
		cfg.MaxResume = DefaultMaxResume
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	dir, err := os.MkdirTemp("", "intake-crashtest-")
	if err != nil {
		return nil, err
	}
	world, err := WriteWorld(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	srv, filesURL, err := ServeResumes(cfg.Seed, cfg.MaxResume)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	h := &Harness{
		cfg:      cfg,
		world:    world,
		ledger:   &Ledger{},
		files:    srv,
		rng:      rand.New(rand.NewPCG(cfg.Seed, 0)),
		worldDir: dir,
	}
	if cfg.Webhooks {
		if h.hooks, err = startHookReceiver(); err == nil {
			err = addHook(world, h.hooks.URL)
		}
		if err != nil {
			srv.Close()
			os.RemoveAll(dir)
			return nil, err
		}
	}
	h.load = &Load{World: world, Ledger: h.ledger, Seed: cfg.Seed, MaxResume: cfg.MaxResume, Files: filesURL, Reapply: cfg.Reapply}
	return h, nil
}

// Close stops the file server and removes the world file.
func (h *Harness) Close() error {
	err := h.files.Close()
	if h.hooks != nil {
		err = errors.Join(err, h.hooks.Close())
	}
	return errors.Join(err, os.RemoveAll(h.worldDir))
}

// Ledger is every request sent so far.
func (h *Harness) Ledger() *Ledger { return h.ledger }

// World is the world the server runs with.
func (h *Harness) World() *World { return h.world }

func (h *Harness) start() (*Server, error) {
	// No rate limit: the load and the verification would meet it, and
	// durability, not the limiter, is under test.
	args := []string{"--world", h.world.Path, "--allow-fetch-from", "127.0.0.1/32", "--rate-limit", "0"}
	if h.hooks != nil {
		args = append(args, hookArgs...)
	}
	return StartServer(h.cfg.Binary, h.cfg.DataDir, args...)
}

// Cycle starts the server, checks that its start left staging empty, sends
// load, and kills it with SIGKILL after a random delay. One cycle in
// earlyKillShare is killed within maxEarlyKill of its start instead.
func (h *Harness) Cycle(ctx context.Context) error {
	h.cycle++
	srv, err := h.start()
	if err != nil {
		return err
	}
	defer srv.Kill()
	if h.rng.IntN(earlyKillShare) == 0 {
		time.Sleep(time.Duration(h.rng.Int64N(int64(maxEarlyKill))))
		srv.Kill()
		h.early++
		fmt.Fprintf(h.cfg.Log, "cycle %d: killed while starting\n", h.cycle)
		return nil
	}
	if err := srv.Wait(ctx, startTimeout); err != nil {
		return fmt.Errorf("cycle %d: %w", h.cycle, err)
	}
	if names, err := staged(h.cfg.DataDir); err != nil {
		return err
	} else if len(names) > 0 {
		return fmt.Errorf("cycle %d: staging holds %d files once the server serves (first: %s)", h.cycle, len(names), names[0])
	}
	before := len(h.ledger.Requests())
	floor := h.cfg.MaxUptime / 10
	delay := floor + time.Duration(h.rng.Int64N(int64(h.cfg.MaxUptime-floor)+1))
	loadCtx, cancel := context.WithCancel(ctx)
	stopCtx, stop := context.WithCancel(ctx)
	loaded := make(chan struct{})
	go func() {
		defer close(loaded)
		h.load.Run(loadCtx, stopCtx, srv.URL, h.cfg.Concurrency, h.cycle)
	}()
	select {
	case <-time.After(delay):
	case <-ctx.Done():
	}
	// No new request once the kill is decided, but the ones in flight are
	// not cancelled: they must meet the crash.
	stop()
	srv.Kill()
	cancel()
	<-loaded
	reqs := h.ledger.Requests()[before:]
	acked := 0
	for _, r := range reqs {
		if r.Acknowledged() {
			acked++
		}
	}
	fmt.Fprintf(h.cfg.Log, "cycle %d: killed after %s, %d requests, %d acknowledged\n", h.cycle, delay.Round(time.Millisecond), len(reqs), acked)
	return ctx.Err()
}

// Verify starts the server a last time, verifies everything (see Verify),
// stops it with SIGTERM and reports.
func (h *Harness) Verify(ctx context.Context) (*Report, error) {
	srv, err := h.start()
	if err != nil {
		return nil, err
	}
	defer srv.Kill()
	if err := srv.Wait(ctx, startTimeout); err != nil {
		return nil, fmt.Errorf("final start: %w", err)
	}
	if err := waitReady(ctx, srv.URL, startTimeout); err != nil {
		return nil, err
	}
	if err := srv.WaitSwept(ctx, startTimeout); err != nil {
		return nil, err
	}
	reqs := h.ledger.Requests()
	check, err := Verify(ctx, srv.URL, h.cfg.DataDir, h.world, reqs, nil, h.cfg.Concurrency)
	if err != nil {
		return nil, fmt.Errorf("verify: %w\n%s", err, srv.Logs())
	}
	var hooks *HookCheck
	if h.hooks != nil {
		if hooks, err = h.verifyHooks(ctx, srv.URL, reqs); err != nil {
			return nil, fmt.Errorf("verify webhooks: %w", err)
		}
	}
	if err := srv.Stop(30 * time.Second); err != nil {
		return nil, err
	}
	rep := &Report{Seed: h.cfg.Seed, Cycles: h.cycle, EarlyKills: h.early, Concurrency: h.cfg.Concurrency, Sent: len(reqs), Check: check, Hooks: hooks}
	for _, r := range reqs {
		switch {
		case r.Acknowledged():
			rep.Acknowledged++
			if r.Resume != nil {
				rep.AcknowledgedResumes++
			}
		case r.Status == 0:
			rep.Unanswered++
		default:
			if rep.Rejected == nil {
				rep.Rejected = map[int]int{}
			}
			rep.Rejected[r.Status]++
			if len(rep.RejectedSamples) < maxSamples {
				rep.RejectedSamples = append(rep.RejectedSamples, fmt.Sprintf("request %d (%s, cycle %d): %d %s", r.ID, r.Kind, r.Cycle, r.Status, r.Err))
			}
		}
	}
	return rep, nil
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
