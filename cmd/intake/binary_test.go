package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"intake/internal/testenv"
)

// binaryPath is the intake the black-box tests start: this test binary
// itself, which TestMain turns into intake when asIntakeEnv is set. So the
// servers run with the tests' -race and -cover, and so do the processes
// they start in turn (bench's children, crash-test's servers), which
// inherit the environment. Under -cover, go test gives the test binary a
// GOCOVERDIR; a test binary that exits without running its tests writes
// its counters there (runtime/coverage's exit hooks, meant for a test
// binary standing in for the tool under test), and go test merges them.
var binaryPath string

// asIntakeEnv, when set, makes this test binary run its arguments as
// intake's command line and exit.
const asIntakeEnv = "INTAKE_TEST_AS_INTAKE"

func TestMain(m *testing.M) {
	if os.Getenv(asIntakeEnv) != "" {
		os.Exit(runMain(os.Args[1:], os.Stdout, os.Stderr))
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "finding the test binary:", err)
		os.Exit(1)
	}
	binaryPath = exe
	os.Setenv(asIntakeEnv, "1")
	os.Exit(m.Run())
}

// checkNoRace fails t when a started process reported a data race (it
// prints the report as soon as it sees the race, even if killed later).
func checkNoRace(t testing.TB, logs []string) {
	t.Helper()
	for i, l := range logs {
		if strings.Contains(l, "WARNING: DATA RACE") {
			t.Errorf("the server reported a data race:\n%s", strings.Join(logs[i:], "\n"))
			return
		}
	}
}

// server is a started intake binary.
type server struct {
	URL    string
	cmd    *exec.Cmd
	mu     sync.Mutex
	stdout bytes.Buffer
	logs   []string // stderr, line by line
	done   chan struct{}
}

// Logs returns the lines the process wrote to stderr so far.
func (s *server) Logs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.logs...)
}

// Stdout returns what the process printed on stdout so far.
func (s *server) Stdout() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stdout.String()
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// startServer runs `intake serve` on a free port with the given data dir and
// extra flags, and waits until /healthz answers.
func startServer(t testing.TB, dataDir string, args ...string) *server {
	t.Helper()
	return startServerEnv(t, nil, dataDir, args...)
}

// startServerEnv is startServer with extra environment variables.
func startServerEnv(t testing.TB, env []string, dataDir string, args ...string) *server {
	t.Helper()
	s := &server{done: make(chan struct{})}
	all := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dataDir, "--shutdown-grace", "5s"}, args...)
	s.cmd = exec.Command(binaryPath, all...)
	s.cmd.Env = append(os.Environ(), env...)
	s.cmd.Stdout = lockedWriter{&s.mu, &s.stdout}
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	read := make(chan struct{})
	go func() {
		defer close(read)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			s.mu.Lock()
			s.logs = append(s.logs, line)
			s.mu.Unlock()
			var entry struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "serving" {
				addr <- entry.Addr
			}
		}
	}()
	go func() {
		<-read // Wait closes the pipe: every line must be read first
		_ = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		s.kill()
		checkNoRace(t, s.Logs())
		if t.Failed() {
			t.Logf("server logs:\n%s", strings.Join(s.Logs(), "\n"))
		}
	})
	select {
	case a := <-addr:
		s.URL = "http://" + a
	case <-s.done:
		t.Fatalf("intake exited before serving:\n%s", strings.Join(s.Logs(), "\n"))
	case <-time.After(30 * time.Second):
		t.Fatal("intake did not start within 30s")
	}
	resp, err := http.Get(s.URL + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	return s
}

// kill sends SIGKILL: no shutdown code runs, as in a crash.
func (s *server) kill() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
	}
	<-s.done
}

// stop sends SIGTERM and waits for a graceful exit.
func (s *server) stop(t testing.TB) {
	t.Helper()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		t.Fatal("intake did not stop within 30s of SIGTERM")
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit code after SIGTERM = %d, want 0", code)
	}
}

// do sends a request and returns status, headers and body.
func do(t testing.TB, method, url, token, contentType, body string) (int, http.Header, []byte) {
	t.Helper()
	res := testenv.Do(t, "", testenv.Request{Method: method, Path: url, Token: token, ContentType: contentType, Body: strings.NewReader(body)})
	return res.Status, res.Header, res.Body
}

// writeWorld writes a world file into dir and returns its path.
func writeWorld(t testing.TB, dir, yaml string) string {
	t.Helper()
	p := filepath.Join(dir, "world.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// seedWorld is the world of the operational tests: the tests' shared
// world, which declares the references and tokens of both vendors' seed
// examples, so their curl commands work byte for byte.
const seedWorld = testenv.World
