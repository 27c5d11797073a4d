package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
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
)

// loadTarget is one server under load, with its measurements by round.
type loadTarget struct {
	name    string
	url     string
	child   *Child // nil for --target and --compare
	results []*Result
	server  []Latencies // from the child's request log
	allocs  []allocation
	commits []commits
	// proc is the process whose CPU time is counted: the child, or the
	// ceiling (which has no request log nor /metrics).
	proc *Child
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

// runner is one `intake bench` invocation: its children, targets and
// measurements.
type runner struct {
	c        Config
	stdout   io.Writer
	stderr   io.Writer
	exe      string
	tmp      string
	dataDir  string
	children []*Child
	targets  []*loadTarget // the ceiling first, then the subject, then --compare
	subject  *loadTarget
	startMem Memory
	workload Workload
	path     string
	answer   Answer
	client   *http.Client
	// files serves --remote-resume-size's PDF; nil without it.
	files *FileServer
}

// RunCommand is `intake bench`: it starts what c asks for, measures it
// round after round, and prints the report to stdout, its progress to
// stderr.
func RunCommand(ctx context.Context, c Config, stdout, stderr io.Writer) error {
	if !c.AllowRemote {
		for _, u := range []string{c.Target, c.Compare} {
			if u == "" {
				continue
			}
			if err := CheckLoopback(ctx, u); err != nil {
				return fmt.Errorf("%w (--allow-remote to load it anyway)", err)
			}
		}
	}
	if c.Exe == "" {
		return errors.New("bench: no intake binary to start")
	}
	r := &runner{c: c, stdout: stdout, stderr: stderr, exe: c.Exe}
	var err error
	if r.tmp, err = os.MkdirTemp("", "intake-bench-"); err != nil {
		return err
	}
	if c.Keep {
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

func (r *runner) progress(format string, a ...any) {
	fmt.Fprintf(r.stderr, "bench: "+format+"\n", a...)
}

// start starts intake (unless --target), probes the subject for the answer
// the ceiling replays, and starts the ceiling.
func (r *runner) start(ctx context.Context) error {
	c := &r.c
	if c.RemoteResumeSize > 0 {
		files, err := StartFileServer(c.RemoteResumeSize)
		if err != nil {
			return fmt.Errorf("serving the remote resume: %w", err)
		}
		r.files = files
	}
	if c.Target != "" {
		r.subject = &loadTarget{name: "target", url: c.Target}
	} else if err := r.startIntake(ctx); err != nil {
		return err
	}
	remoteBase := ""
	if r.files != nil {
		remoteBase = r.files.URL
	}
	var err error
	if r.workload, r.path, err = c.workload(randomHex(4), remoteBase); err != nil {
		return err
	}
	r.client = NewClient(c.Concurrency)
	if r.answer, err = Probe(ctx, r.client, r.subject.url, r.workload, 0); err != nil {
		return fmt.Errorf("%s: %w", r.subject.name, err)
	}
	answerPath := filepath.Join(r.tmp, "answer.body")
	if err := os.WriteFile(answerPath, r.answer.Body, 0o600); err != nil {
		return err
	}
	ceil, err := StartChild(ctx, filepath.Join(r.tmp, "ceiling.log"), time.Minute, nil, r.exe, "bench-ceiling",
		"--addr", "127.0.0.1:0", "--status", strconv.Itoa(r.answer.Status), "--content-type", r.answer.ContentType, "--body", answerPath)
	if err != nil {
		return fmt.Errorf("starting the ceiling: %w", err)
	}
	r.children = append(r.children, ceil)
	r.targets = []*loadTarget{{name: "ceiling", url: "http://" + ceil.Addr, proc: ceil}, r.subject}
	if c.Compare != "" {
		other := &loadTarget{name: "compare", url: c.Compare}
		if _, err := Probe(ctx, r.client, other.url, r.workload, 1); err != nil {
			return fmt.Errorf("--compare %s: %w", c.Compare, err)
		}
		r.targets = append(r.targets, other)
	}
	return nil
}

// startIntake starts `intake serve` (or bench-serve for --debug) as a child
// on a free loopback port, with a generated world unless --world.
func (r *runner) startIntake(ctx context.Context) error {
	c := &r.c
	r.dataDir = c.DataDir
	if r.dataDir == "" {
		r.dataDir = filepath.Join(r.tmp, "data")
	}
	world := c.WorldFile
	if world == "" {
		if c.Token == "" {
			c.Token = "ik_bench_" + randomHex(16)
		}
		world = filepath.Join(r.tmp, "world.json")
		jobs := 1
		if c.Op == "jobs" {
			jobs = JobListJobs
		}
		if err := WriteWorldFile(world, World(c.Token, jobs)); err != nil {
			return err
		}
	}
	serveArgs := []string{"--addr", "127.0.0.1:0", "--data", r.dataDir, "--world", world}
	if c.RemoteResumeSize > 0 {
		serveArgs = append(serveArgs, "--allow-fetch-from", "127.0.0.0/8")
	}
	argv := append([]string{r.exe, "serve"}, serveArgs...)
	if c.Debug {
		argv = append([]string{r.exe, "bench-serve", "--debug-addr", "127.0.0.1:0", "--"}, serveArgs...)
	}
	r.progress("starting intake: %s", strings.Join(argv[1:], " "))
	env := []string{"INTAKE_RATE_LIMIT=" + c.RateLimit}
	ch, err := StartChild(ctx, filepath.Join(r.tmp, "intake.log"), 5*time.Minute, env, argv...)
	if err != nil {
		return fmt.Errorf("starting intake: %w", err)
	}
	r.children = append(r.children, ch)
	r.startMem, _ = ch.Memory()
	r.subject = &loadTarget{name: "intake", url: "http://" + ch.Addr, child: ch, proc: ch}
	return nil
}

// stop stops the children, the ceiling first.
func (r *runner) stop() {
	if r.client != nil {
		r.client.CloseIdleConnections()
	}
	if r.files != nil {
		_ = r.files.Close()
	}
	for _, ch := range slices.Backward(r.children) {
		if err := ch.Stop(); err != nil {
			r.progress("stopping a child: %v", err)
		}
	}
}

func (r *runner) header() {
	c, w := r.c, r.stdout
	fmt.Fprintf(w, "intake bench %s %s: concurrency %d, %s measured after %s warm-up, %d round(s), %s\n",
		c.Dialect, c.Op, c.Concurrency, c.Duration, c.Warmup, c.Rounds, time.Now().Format(time.RFC3339))
	fmt.Fprintf(w, "machine: %s, GOMAXPROCS %d\n", ReadMachine(), runtime.GOMAXPROCS(0))
	if c.Op == "create" && c.Dialect == string(Flatchr) {
		kind := "JSON"
		if c.Upload == UploadMultipart {
			kind = "multipart"
		}
		fmt.Fprintf(w, "resume: %d bytes PDF, %d bytes of %s body\n", c.ResumeSize, bodySize(r.workload, r.subject.url), kind)
	}
	if r.files != nil {
		fmt.Fprintf(w, "remote resume: %d bytes PDF served at %s, one path per create\n", c.RemoteResumeSize, r.files.URL)
	}
	fmt.Fprintf(w, "answer: %d, %d bytes (%s)\n", r.answer.Status, len(r.answer.Body), r.answer.ContentType)
	if ch := r.subject.child; ch != nil {
		fmt.Fprintf(w, "intake: data %s (%s), start-up %s, RSS %.1f MiB at start, INTAKE_RATE_LIMIT=%s\n",
			r.dataDir, FileSystem(r.dataDir), ch.StartUp.Round(time.Millisecond), mib(r.startMem.RSS), r.c.RateLimit)
	}
	for _, t := range r.targets {
		fmt.Fprintf(w, "%-8s %s\n", t.name, t.url)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
