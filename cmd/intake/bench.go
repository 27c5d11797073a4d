package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"intake/internal/tooling/bench"
)

const benchUsage = `usage: intake bench [flags]

Drives creates (or lists) at a fixed concurrency against intake and, in the
same run, against the ceiling: a bare net/http server answering intake's
bytes. With no --target it starts its own intake (on a temp data dir unless
--data) and its own ceiling, both as child processes on 127.0.0.1.
The last line is machine-readable:
  ratio_to_ceiling=<x> rps=<x> p99_ms=<x> errors=<n>

flags:
`

// benchConfig is the bench command line.
type benchConfig struct {
	dialect     string
	op          string
	concurrency int
	duration    time.Duration
	warmup      time.Duration
	rounds      int
	maxRequests int64
	target      string
	compare     string
	token       string
	resumeSize  int
	org, job    string
	stageID     int64
	vacancy     string
	perPage     int
	pages       int
	dataDir     string
	worldFile   string
	debug       bool
	cpuProfile  string
	memProfile  string
	keep        bool
	allowRemote bool
	rateLimit   string
}

// runBenchCommand dispatches `bench` and its hidden helpers, the child
// processes bench starts: `bench-ceiling` and `bench-serve`.
func runBenchCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	switch args[0] {
	case "bench-ceiling":
		return runBenchCeiling(ctx, args[1:], stderr)
	case "bench-serve":
		return runBenchServe(ctx, args[1:], stdout, stderr)
	}
	return runBench(ctx, args[1:], stdout, stderr)
}

func parseBenchFlags(args []string, stderr io.Writer) (benchConfig, error) {
	var c benchConfig
	fs := flag.NewFlagSet("intake bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, benchUsage)
		fs.PrintDefaults()
	}
	fs.StringVar(&c.dialect, "dialect", "welcomekit", "welcomekit or flatchr")
	fs.StringVar(&c.op, "op", "create", "create, or list (WelcomeKit list of a job's candidates)")
	fs.IntVar(&c.concurrency, "concurrency", 64, "requests in flight")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "measured time per target and round")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "unmeasured load before each measurement")
	fs.IntVar(&c.rounds, "rounds", 1, "measure ceiling and intake alternately this many times; the summary takes medians")
	fs.Int64Var(&c.maxRequests, "max-requests", bench.DefaultMaxRequests, "bound on the requests of one measurement")
	fs.StringVar(&c.target, "target", "", "base URL of a server to measure instead of starting intake")
	fs.StringVar(&c.compare, "compare", "", "base URL of another server (e.g. a Prism mock) measured with the same load; prints intake ÷ it")
	fs.StringVar(&c.token, "token", "", "API token (default: a fresh one in the generated world)")
	fs.IntVar(&c.resumeSize, "resume-size", 0, "flatchr: size in bytes of the PDF resume sent base64 in each create (0: the seed's 6-byte document)")
	fs.StringVar(&c.org, "org", bench.DemoOrg, "welcomekit organization_reference")
	fs.StringVar(&c.job, "job", bench.DemoJob, "welcomekit job_reference")
	fs.Int64Var(&c.stageID, "stage", bench.DemoStageID, "welcomekit job_stage_id (0: none sent)")
	fs.StringVar(&c.vacancy, "vacancy", bench.DemoVacancy, "flatchr vacancy slug")
	fs.IntVar(&c.perPage, "per-page", 100, "list: per_page")
	fs.IntVar(&c.pages, "pages", 1, "list: spread requests over pages 1..N")
	fs.StringVar(&c.dataDir, "data", "", "data dir of the started intake, kept afterwards (default: a temp dir, removed)")
	fs.StringVar(&c.worldFile, "world", "", "world file of the started intake (default: generated; give --token with it)")
	fs.BoolVar(&c.debug, "debug", false, "start intake with a pprof/expvar listener (bench-serve) and report heap allocated per request")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of intake during its first measurement to this file (implies --debug)")
	fs.StringVar(&c.memProfile, "memprofile", "", "write intake's allocation profile (since start) after its first measurement to this file (implies --debug)")
	fs.BoolVar(&c.keep, "keep", false, "keep the temp dir (data, logs)")
	fs.StringVar(&c.rateLimit, "rate-limit", "0", "the started intake's per-key rate limit, as INTAKE_RATE_LIMIT (0: off, to measure capacity, not the limiter)")
	fs.BoolVar(&c.allowRemote, "allow-remote", false, "allow --target/--compare URLs that are not loopback addresses")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if c.dialect != string(bench.WelcomeKit) && c.dialect != string(bench.Flatchr) {
		return c, fmt.Errorf("%w: --dialect must be welcomekit or flatchr", errUsage)
	}
	if c.op != "create" && c.op != "list" {
		return c, fmt.Errorf("%w: --op must be create or list", errUsage)
	}
	if c.op == "list" && c.dialect != string(bench.WelcomeKit) {
		return c, fmt.Errorf("%w: --op list is a WelcomeKit list", errUsage)
	}
	if c.concurrency < 1 || c.rounds < 1 || c.duration <= 0 || c.warmup < 0 || c.resumeSize < 0 {
		return c, fmt.Errorf("%w: --concurrency, --rounds and --duration must be positive", errUsage)
	}
	if c.target != "" && (c.dataDir != "" || c.worldFile != "") {
		return c, fmt.Errorf("%w: --data and --world configure the started intake; not with --target", errUsage)
	}
	if c.worldFile != "" && c.token == "" {
		return c, fmt.Errorf("%w: --world needs the --token of one of its keys", errUsage)
	}
	if c.cpuProfile != "" || c.memProfile != "" {
		c.debug = true
	}
	if c.debug && c.target != "" {
		return c, fmt.Errorf("%w: --debug, --cpuprofile and --memprofile need the started intake, not --target", errUsage)
	}
	c.target, c.compare = bench.TrimBase(c.target), bench.TrimBase(c.compare)
	return c, nil
}

// benchTarget is one server under load, with its measurements by round.
type benchTarget struct {
	name    string
	url     string
	child   *bench.Child // nil for --target and --compare
	results []*bench.Result
	server  []bench.Latencies // from the child's request log
	allocs  []allocation
	commits []commits
	// proc is the process whose CPU time is counted: the child, or the
	// ceiling (which has no request log nor /metrics).
	proc *bench.Child
	// cpu and loader are, per measurement, proc's and the load
	// generator's (this process's) CPU time; -1 when unreadable.
	cpu, loader []time.Duration
}

// commits is what the started intake's /metrics say of its durable commits
// during a measurement.
type commits struct {
	count, ops, seconds float64
	syncs, syncSeconds  float64
	// restarts held the writer while the WAL was reset; gaveUp of them
	// found readers still in the WAL after waiting for them.
	restarts, restartSeconds, gaveUp float64
}

// allocation is the heap a started intake allocated during a measurement.
type allocation struct {
	bytes, objects, gcs uint64
	requests            int64
}

// benchRun is one `intake bench` invocation: its children, targets and
// measurements.
type benchRun struct {
	c        benchConfig
	stdout   io.Writer
	stderr   io.Writer
	exe      string
	tmp      string
	dataDir  string
	children []*bench.Child
	targets  []*benchTarget // the ceiling first, then the subject, then --compare
	subject  *benchTarget
	startMem bench.Memory
	workload bench.Workload
	path     string
	answer   bench.Answer
	client   *http.Client
}

// runBench is `intake bench`.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseBenchFlags(args, stderr)
	if err != nil {
		return err
	}
	if !c.allowRemote {
		for _, u := range []string{c.target, c.compare} {
			if u == "" {
				continue
			}
			if err := bench.CheckLoopback(ctx, u); err != nil {
				return fmt.Errorf("%w (--allow-remote to load it anyway)", err)
			}
		}
	}
	r := &benchRun{c: c, stdout: stdout, stderr: stderr}
	if r.exe, err = os.Executable(); err != nil {
		return err
	}
	if r.tmp, err = os.MkdirTemp("", "intake-bench-"); err != nil {
		return err
	}
	if c.keep {
		r.progress("keeping %s", r.tmp)
	} else {
		defer os.RemoveAll(r.tmp)
	}
	defer r.stop()
	if err := r.start(ctx); err != nil {
		return err
	}
	r.header()
	if err := r.measureRounds(ctx); err != nil {
		return err
	}
	r.report()
	return nil
}

func (r *benchRun) progress(format string, a ...any) {
	fmt.Fprintf(r.stderr, "bench: "+format+"\n", a...)
}

// start starts intake (unless --target), probes the subject for the answer
// the ceiling replays, and starts the ceiling.
func (r *benchRun) start(ctx context.Context) error {
	c := &r.c
	if c.target != "" {
		r.subject = &benchTarget{name: "target", url: c.target}
	} else if err := r.startIntake(ctx); err != nil {
		return err
	}
	var err error
	if r.workload, r.path, err = c.workload(randomHex(4)); err != nil {
		return err
	}
	r.client = bench.NewClient(c.concurrency)
	if r.answer, err = bench.Probe(ctx, r.client, r.subject.url, r.workload, 0); err != nil {
		return fmt.Errorf("%s: %w", r.subject.name, err)
	}
	answerPath := filepath.Join(r.tmp, "answer.body")
	if err := os.WriteFile(answerPath, r.answer.Body, 0o600); err != nil {
		return err
	}
	ceil, err := bench.StartChild(ctx, filepath.Join(r.tmp, "ceiling.log"), time.Minute, nil, r.exe, "bench-ceiling",
		"--addr", "127.0.0.1:0", "--status", strconv.Itoa(r.answer.Status), "--content-type", r.answer.ContentType, "--body", answerPath)
	if err != nil {
		return fmt.Errorf("starting the ceiling: %w", err)
	}
	r.children = append(r.children, ceil)
	r.targets = []*benchTarget{{name: "ceiling", url: "http://" + ceil.Addr, proc: ceil}, r.subject}
	if c.compare != "" {
		other := &benchTarget{name: "compare", url: c.compare}
		if _, err := bench.Probe(ctx, r.client, other.url, r.workload, 1); err != nil {
			return fmt.Errorf("--compare %s: %w", c.compare, err)
		}
		r.targets = append(r.targets, other)
	}
	return nil
}

// startIntake starts `intake serve` (or bench-serve for --debug) as a child
// on a free loopback port, with a generated world unless --world.
func (r *benchRun) startIntake(ctx context.Context) error {
	c := &r.c
	r.dataDir = c.dataDir
	if r.dataDir == "" {
		r.dataDir = filepath.Join(r.tmp, "data")
	}
	world := c.worldFile
	if world == "" {
		if c.token == "" {
			c.token = "ik_bench_" + randomHex(16)
		}
		world = filepath.Join(r.tmp, "world.json")
		if err := writeWorldFile(world, benchWorld(c.token, 1)); err != nil {
			return err
		}
	}
	serveArgs := []string{"--addr", "127.0.0.1:0", "--data", r.dataDir, "--world", world}
	argv := append([]string{r.exe, "serve"}, serveArgs...)
	if c.debug {
		argv = append([]string{r.exe, "bench-serve", "--debug-addr", "127.0.0.1:0", "--"}, serveArgs...)
	}
	r.progress("starting intake: %s", strings.Join(argv[1:], " "))
	env := []string{"INTAKE_RATE_LIMIT=" + c.rateLimit}
	ch, err := bench.StartChild(ctx, filepath.Join(r.tmp, "intake.log"), 5*time.Minute, env, argv...)
	if err != nil {
		return fmt.Errorf("starting intake: %w", err)
	}
	r.children = append(r.children, ch)
	r.startMem, _ = ch.Memory()
	r.subject = &benchTarget{name: "intake", url: "http://" + ch.Addr, child: ch, proc: ch}
	return nil
}

// stop stops the children, the ceiling first.
func (r *benchRun) stop() {
	if r.client != nil {
		r.client.CloseIdleConnections()
	}
	for _, ch := range slices.Backward(r.children) {
		if err := ch.Stop(); err != nil {
			r.progress("stopping a child: %v", err)
		}
	}
}

func (r *benchRun) header() {
	c, w := r.c, r.stdout
	fmt.Fprintf(w, "intake bench %s %s: concurrency %d, %s measured after %s warm-up, %d round(s), %s\n",
		c.dialect, c.op, c.concurrency, c.duration, c.warmup, c.rounds, time.Now().Format(time.RFC3339))
	fmt.Fprintf(w, "machine: %s, GOMAXPROCS %d\n", bench.ReadMachine(), runtime.GOMAXPROCS(0))
	if c.op == "create" && c.dialect == string(bench.Flatchr) {
		fmt.Fprintf(w, "resume: %d bytes PDF, %d bytes of JSON body\n", c.resumeSize, bodySize(r.workload, r.subject.url))
	}
	fmt.Fprintf(w, "answer: %d, %d bytes (%s)\n", r.answer.Status, len(r.answer.Body), r.answer.ContentType)
	if ch := r.subject.child; ch != nil {
		fmt.Fprintf(w, "intake: data %s (%s), start-up %s, RSS %.1f MiB at start, INTAKE_RATE_LIMIT=%s\n",
			r.dataDir, bench.FileSystem(r.dataDir), ch.StartUp.Round(time.Millisecond), mib(r.startMem.RSS), r.c.rateLimit)
	}
	for _, t := range r.targets {
		fmt.Fprintf(w, "%-8s %s\n", t.name, t.url)
	}
}

// measureRounds loads each target in turn, round after round, each load
// after its own warm-up. Sequence numbers never repeat, so no email does.
func (r *benchRun) measureRounds(ctx context.Context) error {
	c := r.c
	seq := uint64(2) // 0 and 1 were the probes
	opts := func(t *benchTarget, d time.Duration) bench.Options {
		return bench.Options{URL: t.url, Workload: r.workload, Concurrency: c.concurrency, Duration: d,
			MaxRequests: c.maxRequests, Client: r.client, FirstSeq: seq}
	}
	for round := 1; round <= c.rounds; round++ {
		for _, t := range r.targets {
			if c.warmup > 0 {
				r.progress("round %d: %s: warm-up %s", round, t.name, c.warmup)
				res, err := bench.Run(ctx, opts(t, c.warmup))
				if err != nil {
					return err
				}
				seq = res.NextSeq
				if res.Errors() > 0 {
					r.progress("round %d: %s: warm-up answers %s; first error: %s", round, t.name, res.StatusSummary(), res.FirstError)
				}
			}
			r.progress("round %d: %s: measuring %s", round, t.name, c.duration)
			res, err := r.measure(ctx, t, round, opts(t, c.duration))
			if err != nil {
				return err
			}
			seq = res.NextSeq
			r.client.CloseIdleConnections()
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// measure runs one measured load on t, with a started intake's own view of
// it: request log latencies, heap allocations and, on the first round, a
// CPU profile.
func (r *benchRun) measure(ctx context.Context, t *benchTarget, round int, o bench.Options) (*bench.Result, error) {
	ch := t.child
	if ch == nil {
		res, err := r.run(ctx, t, o)
		if err == nil {
			t.results = append(t.results, res)
		}
		return res, err
	}
	// The request log is written after each answer: give the warm-up's
	// last lines time to reach the file before taking its offset.
	time.Sleep(200 * time.Millisecond)
	from := ch.LogOffset()
	metricsBefore, metricsErr := bench.FetchMetrics(ctx, r.client, t.url+"/metrics")
	var before bench.MemStats
	profile := r.c.cpuProfile != "" && round == 1
	profiled := make(chan error, 1)
	if ch.DebugAddr != "" {
		ms, err := bench.FetchMemStats(ctx, ch.DebugAddr)
		if err != nil {
			return nil, err
		}
		before = ms
		if profile {
			go func() { profiled <- bench.FetchCPUProfile(ctx, ch.DebugAddr, o.Duration, r.c.cpuProfile) }()
		}
	}
	res, err := r.run(ctx, t, o)
	if err != nil {
		return nil, err
	}
	t.results = append(t.results, res)
	if ch.DebugAddr != "" {
		after, err := bench.FetchMemStats(ctx, ch.DebugAddr)
		if err != nil {
			return nil, err
		}
		t.allocs = append(t.allocs, allocation{
			bytes: after.TotalAlloc - before.TotalAlloc, objects: after.Mallocs - before.Mallocs,
			gcs: uint64(after.NumGC - before.NumGC), requests: res.Requests,
		})
		if profile {
			if err := <-profiled; err != nil {
				r.progress("cpu profile: %v", err)
			}
		}
		if r.c.memProfile != "" && round == 1 {
			if err := bench.FetchAllocsProfile(ctx, ch.DebugAddr, r.c.memProfile); err != nil {
				r.progress("allocation profile: %v", err)
			}
		}
	}
	if metricsErr == nil {
		if after, err := bench.FetchMetrics(ctx, r.client, t.url+"/metrics"); err == nil {
			t.commits = append(t.commits, commits{
				count:       after.Delta(metricsBefore, "intake_store_commit_batch_size_count"),
				ops:         after.Delta(metricsBefore, "intake_store_commit_batch_size_sum"),
				seconds:     after.Delta(metricsBefore, "intake_store_commit_duration_seconds_sum"),
				syncs:       after.Delta(metricsBefore, "intake_store_wal_sync_duration_seconds_count"),
				syncSeconds: after.Delta(metricsBefore, "intake_store_wal_sync_duration_seconds_sum"),
				restarts: after.Delta(metricsBefore, `intake_store_wal_restart_duration_seconds_count{outcome="restarted"}`) +
					after.Delta(metricsBefore, `intake_store_wal_restart_duration_seconds_count{outcome="gave_up"}`),
				restartSeconds: after.Delta(metricsBefore, `intake_store_wal_restart_duration_seconds_sum{outcome="restarted"}`) +
					after.Delta(metricsBefore, `intake_store_wal_restart_duration_seconds_sum{outcome="gave_up"}`),
				gaveUp: after.Delta(metricsBefore, `intake_store_wal_restart_duration_seconds_count{outcome="gave_up"}`),
			})
		}
	}
	time.Sleep(200 * time.Millisecond)
	l, err := ch.ServerLatencies(from, ch.LogOffset(), r.path)
	if err != nil {
		return nil, err
	}
	t.server = append(t.server, l)
	return res, nil
}

// run runs one load on t and records the CPU time t's process and this
// one (the load generator) used meanwhile, when it can read them.
func (r *benchRun) run(ctx context.Context, t *benchTarget, o bench.Options) (*bench.Result, error) {
	procCPU := func() (time.Duration, error) {
		if t.proc == nil {
			return 0, errors.New("no process")
		}
		return t.proc.CPUTime()
	}
	procBefore, procErr := procCPU()
	selfBefore, selfErr := bench.SelfCPUTime()
	res, err := bench.Run(ctx, o)
	if err != nil {
		return nil, err
	}
	t.loader = append(t.loader, cpuDelta(selfBefore, selfErr, bench.SelfCPUTime))
	t.cpu = append(t.cpu, cpuDelta(procBefore, procErr, procCPU))
	return res, nil
}

// cpuDelta is the CPU time used since before, or -1 when either reading
// failed.
func cpuDelta(before time.Duration, beforeErr error, now func() (time.Duration, error)) time.Duration {
	after, err := now()
	if beforeErr != nil || err != nil {
		return -1
	}
	return after - before
}

// report prints every measurement, then the summary: medians over rounds,
// and last the machine-readable line.
func (r *benchRun) report() {
	c, w, subject := r.c, r.stdout, r.subject
	fmt.Fprintf(w, "\n%-8s %5s %9s %7s %10s %8s %8s %9s %8s\n", "target", "round", "requests", "errors", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms")
	for _, t := range r.targets {
		for i, res := range t.results {
			l := res.Latencies
			fmt.Fprintf(w, "%-8s %5d %9d %7d %10.1f %8.2f %8.2f %9.2f %8.2f\n", t.name, i+1, res.Requests, res.Errors(), res.RPS(),
				bench.Millis(l.Quantile(0.5)), bench.Millis(l.Quantile(0.99)), bench.Millis(l.Quantile(0.999)), bench.Millis(l.Max()))
		}
	}
	for _, t := range r.targets {
		for i, res := range t.results {
			if res.Errors() > 0 {
				fmt.Fprintf(w, "%s round %d answers: %s; first error: %s\n", t.name, i+1, res.StatusSummary(), res.FirstError)
			}
		}
	}
	for i, l := range subject.server {
		fmt.Fprintf(w, "%s round %d server-side (request log, %d requests): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
			subject.name, i+1, len(l), bench.Millis(l.Quantile(0.5)), bench.Millis(l.Quantile(0.99)), bench.Millis(l.Quantile(0.999)), bench.Millis(l.Max()))
	}
	for i, cm := range subject.commits {
		if cm.count > 0 {
			el := subject.results[i].Elapsed.Seconds()
			fmt.Fprintf(w, "%s round %d store (/metrics): %.0f durable commits (%.0f/s), %.1f writes per commit, %.2f ms per commit, writer busy %.0f%%",
				subject.name, i+1, cm.count, cm.count/el, cm.ops/cm.count, 1000*cm.seconds/cm.count, 100*cm.seconds/el)
			if cm.syncs > 0 {
				fmt.Fprintf(w, ", %.0f WAL syncs (%.2f ms each)", cm.syncs, 1000*cm.syncSeconds/cm.syncs)
			}
			if cm.restarts > 0 {
				fmt.Fprintf(w, ", %.0f WAL restarts (%.1f ms each, %.0f gave up waiting for readers)", cm.restarts, 1000*cm.restartSeconds/cm.restarts, cm.gaveUp)
			}
			fmt.Fprintln(w)
		}
	}
	for _, t := range r.targets {
		for i, res := range t.results {
			if res.Requests == 0 {
				continue
			}
			perRequest := func(d time.Duration) string {
				return fmt.Sprintf("%.0f µs per request, %.2f cores", float64(d.Microseconds())/float64(res.Requests), d.Seconds()/res.Elapsed.Seconds())
			}
			line := fmt.Sprintf("%s round %d CPU:", t.name, i+1)
			if t.cpu[i] >= 0 {
				line += " server " + perRequest(t.cpu[i]) + ";"
			}
			if t.loader[i] >= 0 {
				line += " load generator " + perRequest(t.loader[i])
			}
			fmt.Fprintln(w, line)
		}
	}
	for i, a := range subject.allocs {
		if a.requests > 0 {
			fmt.Fprintf(w, "%s round %d heap: %.1f KiB and %d objects allocated per request, %d GCs\n",
				subject.name, i+1, float64(a.bytes)/float64(a.requests)/1024, a.objects/uint64(a.requests), a.gcs)
		}
	}
	if ch := subject.child; ch != nil {
		time.Sleep(time.Second)
		if after, err := ch.Memory(); err == nil {
			fmt.Fprintf(w, "%s RSS: %.1f MiB at start, %.1f MiB 1 s after the load, peak %.1f MiB\n",
				subject.name, mib(r.startMem.RSS), mib(after.RSS), mib(after.Peak))
		}
	}
	if c.cpuProfile != "" {
		fmt.Fprintf(w, "cpu profile of %s's first measurement: %s (go tool pprof -top %s %s)\n", subject.name, c.cpuProfile, r.exe, c.cpuProfile)
	}
	if c.memProfile != "" {
		fmt.Fprintf(w, "allocation profile of %s after its first measurement: %s (go tool pprof -sample_index=alloc_space -top %s %s)\n", subject.name, c.memProfile, r.exe, c.memProfile)
	}
	fmt.Fprintf(w, "load average after: %s\n", bench.LoadAvg())

	ceiling := r.targets[0]
	var ratios, rps, p99 []float64
	var errs int64
	for i, res := range subject.results {
		ratios = append(ratios, res.RPS()/ceiling.results[i].RPS())
		rps = append(rps, res.RPS())
		p99 = append(p99, bench.Millis(res.Latencies.Quantile(0.99)))
		errs += res.Errors()
	}
	if c.compare != "" {
		other := r.targets[2]
		var times []float64
		for i, res := range subject.results {
			times = append(times, res.RPS()/other.results[i].RPS())
		}
		fmt.Fprintf(w, "%s ÷ %s: %.2f× req/s (median of %d round(s))\n", subject.name, c.compare, median(times), c.rounds)
	}
	fmt.Fprintf(w, "ratio_to_ceiling=%.3f rps=%.1f p99_ms=%.2f errors=%d\n", median(ratios), median(rps), median(p99), errs)
}

// workload builds the configured workload and the path it loads.
func (c benchConfig) workload(runID string) (bench.Workload, string, error) {
	if c.op == "list" {
		w, err := bench.NewListWorkload(bench.ListOptions{Token: c.token, Job: c.job, PerPage: c.perPage, Pages: c.pages})
		if err != nil {
			return nil, "", err
		}
		return w, w.Path(), nil
	}
	w, err := bench.NewCreateWorkload(bench.CreateOptions{
		Dialect: bench.Dialect(c.dialect), Token: c.token, Org: c.org, Job: c.job, StageID: c.stageID,
		Vacancy: c.vacancy, ResumeSize: c.resumeSize, RunID: runID,
	})
	if err != nil {
		return nil, "", err
	}
	return w, w.Path(), nil
}

// bodySize is the size of a request body of wl.
func bodySize(wl bench.Workload, base string) int64 {
	req, err := wl.Request(base, 0)
	if err != nil {
		return 0
	}
	return req.ContentLength
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
