package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"intake/internal/tooling/bench"
)

// lastLine is the contract of `intake bench`'s output.
var lastLine = regexp.MustCompile(`^ratio_to_ceiling=[0-9]+\.[0-9]{3} rps=[0-9]+\.[0-9] p99_ms=[0-9]+\.[0-9]{2} errors=([0-9]+)$`)

// runBinary runs the built intake binary and returns its stdout.
func runBinary(t testing.TB, args ...string) string {
	t.Helper()
	cmd := exec.Command(binaryPath, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("intake %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

func TestBenchCommand(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string // lines the report must have, by prefix
	}{
		{
			name: "welcomekit create",
			args: []string{"--dialect", "welcomekit"},
			want: []string{"answer: 201,", "ceiling ", "intake ", "intake round 1 server-side (request log, "},
		},
		{
			name: "flatchr create with a resume, debug listener",
			args: []string{"--dialect", "flatchr", "--resume-size", "20000", "--debug"},
			want: []string{"resume: 20000 bytes PDF,", "answer: 200,", "intake round 1 heap: "},
		},
		{
			name: "welcomekit list, two rounds",
			args: []string{"--op", "list", "--rounds", "2", "--per-page", "5"},
			want: []string{"answer: 200,", "intake round 2 server-side"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"bench", "--concurrency", "2", "--duration", "300ms", "--warmup", "100ms", "--max-requests", "40"}, tt.args...)
			out := runBinary(t, args...)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			m := lastLine.FindStringSubmatch(lines[len(lines)-1])
			if m == nil {
				t.Fatalf("last line %q does not match %s\n%s", lines[len(lines)-1], lastLine, out)
			}
			if m[1] != "0" {
				t.Errorf("errors = %s, want 0\n%s", m[1], out)
			}
			for _, w := range tt.want {
				found := false
				for _, l := range lines {
					found = found || strings.HasPrefix(l, w)
				}
				if !found {
					t.Errorf("no line starting with %q in:\n%s", w, out)
				}
			}
		})
	}
}

func TestBenchCommandAgainstTarget(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, dir+"/data", "--world", writeWorld(t, dir, seedWorld))
	out := runBinary(t, "bench", "--target", s.URL, "--token", "wk-api-key", "--concurrency", "2",
		"--duration", "200ms", "--warmup", "0s", "--max-requests", "20", "--compare", s.URL)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !lastLine.MatchString(lines[len(lines)-1]) {
		t.Fatalf("last line %q does not match\n%s", lines[len(lines)-1], out)
	}
	if !strings.Contains(out, "target ÷ "+s.URL+": ") {
		t.Errorf("no comparison line in:\n%s", out)
	}
}

func TestParseBenchFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		ok   bool
	}{
		{name: "defaults", ok: true},
		{name: "flatchr with a resume", args: []string{"--dialect", "flatchr", "--resume-size", "5242880"}, ok: true},
		{name: "unknown dialect", args: []string{"--dialect", "lever"}},
		{name: "unknown op", args: []string{"--op", "update"}},
		{name: "flatchr list", args: []string{"--dialect", "flatchr", "--op", "list"}},
		{name: "zero concurrency", args: []string{"--concurrency", "0"}},
		{name: "negative resume", args: []string{"--resume-size", "-1"}},
		{name: "world without token", args: []string{"--world", "w.yaml"}},
		{name: "data with target", args: []string{"--target", "http://127.0.0.1:1", "--data", "d"}},
		{name: "profile of a target", args: []string{"--target", "http://127.0.0.1:1", "--cpuprofile", "p"}},
		{name: "stray argument", args: []string{"now"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseBenchFlags(tt.args, io.Discard)
			if (err == nil) != tt.ok {
				t.Errorf("err = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestBenchRefusesRemoteTargets(t *testing.T) {
	err := run(t.Context(), []string{"bench", "--target", "http://192.0.2.1:4010"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not a loopback address") {
		t.Errorf("err = %v, want a refusal", err)
	}
}

// The command's contract; generate's own tests check what it stores.
func TestGenerateCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	out := runBinary(t, "generate", "--data", dir, "--candidates", "60", "--jobs", "3", "--token", "ik_generated_token")
	if !strings.HasPrefix(out, "generated 60 candidates over 3 job(s) of Pg4eV6k in ") || !strings.Contains(out, "token: ik_generated_token\n") {
		t.Errorf("output:\n%s", out)
	}
}

// inProcess is intake's full handler (request log, dialects, service,
// SQLite store) in this process, for benchmarks without a network.
type inProcess struct {
	handler http.Handler
	token   string
	main    *Main
}

func startInProcess(tb testing.TB, candidates int64) *inProcess {
	tb.Helper()
	dir := tb.TempDir()
	token := "ik_bench_in_process"
	world := filepath.Join(dir, "world.json")
	if err := bench.WriteWorldFile(world, bench.World(token, 1)); err != nil {
		tb.Fatal(err)
	}
	if candidates > 0 {
		runBinary(tb, "generate", "--data", dir+"/data", "--world", world, "--candidates", strconv.FormatInt(candidates, 10))
	}
	// No per-key rate limit: the benchmarks measure capacity.
	cfg, err := parseServeFlags([]string{"--addr", "127.0.0.1:0", "--data", dir + "/data", "--world", world, "--rate-limit", "0"})
	if err != nil {
		tb.Fatal(err)
	}
	m := NewMain(cfg, io.Discard, io.Discard)
	if err := m.Run(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	return &inProcess{handler: m.server.Handler, token: token, main: m}
}

// serve runs one request through the handler and fails on a non-2xx answer.
func (p *inProcess) serve(tb testing.TB, wl bench.Workload, seq uint64) int {
	req, err := wl.Request("http://intake.test", seq)
	if err != nil {
		tb.Fatal(err)
	}
	// A server request always has a body and a request URI.
	if req.Body == nil {
		req.Body = http.NoBody
	}
	req.RequestURI = req.URL.RequestURI()
	rec := httptest.NewRecorder()
	p.handler.ServeHTTP(rec, req)
	if rec.Code < 200 || rec.Code > 299 {
		tb.Fatalf("%s %s: %d %s", req.Method, req.URL.Path, rec.Code, rec.Body)
	}
	return rec.Body.Len()
}

func createWorkload(tb testing.TB, dialect bench.Dialect, token string, resume int) bench.Workload {
	tb.Helper()
	wl, err := bench.NewCreateWorkload(bench.CreateOptions{
		Dialect: dialect, Token: token, Org: bench.DemoOrg, Job: bench.DemoJob, StageID: bench.DemoStageID,
		Vacancy: bench.DemoVacancy, ResumeSize: resume, RunID: "b" + strconv.FormatInt(time.Now().UnixNano(), 36),
	})
	if err != nil {
		tb.Fatal(err)
	}
	return wl
}

// BenchmarkCreate measures a create through the whole in-process handler,
// durable commit included: serial (one commit per request) and parallel
// (requests share commits). B/op is what the server allocates per create;
// for flatchr/resume=5MiB it is the "heap per request" figure.
func BenchmarkCreate(b *testing.B) {
	cases := []struct {
		name    string
		dialect bench.Dialect
		resume  int
	}{
		{name: "welcomekit", dialect: bench.WelcomeKit},
		{name: "flatchr/resume=seed", dialect: bench.Flatchr},
		{name: "flatchr/resume=5MiB", dialect: bench.Flatchr, resume: 5 << 20},
	}
	for _, c := range cases {
		p := startInProcess(b, 0)
		wl := createWorkload(b, c.dialect, p.token, c.resume)
		var seq atomic.Uint64
		b.Run(c.name+"/serial", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.serve(b, wl, seq.Add(1))
			}
		})
		b.Run(c.name+"/parallel=64", func(b *testing.B) {
			b.ReportAllocs()
			b.SetParallelism(32) // 32 × GOMAXPROCS(2) goroutines
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					p.serve(b, wl, seq.Add(1))
				}
			})
		})
	}
}

// BenchmarkList measures listing the first 100 candidates of a job holding
// 10,000, through the in-process handler.
func BenchmarkList(b *testing.B) {
	p := startInProcess(b, 10_000)
	wl, err := bench.NewListWorkload(bench.ListOptions{Token: p.token, Job: bench.DemoJob, PerPage: 100})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var n uint64
	for b.Loop() {
		n++
		p.serve(b, wl, n)
	}
}
