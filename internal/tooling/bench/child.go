package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Child is a server running as a child process that logs JSON lines on
// stderr, the way intake does: it is ready once it logs
// {"msg":"serving","addr":"host:port"}. Its stderr goes to a log file, which
// also gives the server's own view of request latencies.
type Child struct {
	// Addr is the listen address the child logged.
	Addr string
	// DebugAddr is the address of a {"msg":"debug","addr":…} line logged
	// before serving, "" when none.
	DebugAddr string
	// StartUp is the time from starting the process to its serving line.
	StartUp time.Duration

	cmd     *exec.Cmd
	log     *logWatch
	done    chan struct{}
	waitErr error
}

// StartChild starts argv, with env added to this process's environment and
// stderr written to logPath, and waits, up to timeout, until it logs that it
// serves.
func StartChild(ctx context.Context, logPath string, timeout time.Duration, env []string, argv ...string) (*Child, error) {
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	lw := &logWatch{f: f, ready: make(chan struct{})}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = lw
	cmd.Stdout = io.Discard
	if len(env) > 0 {
		cmd.Env = append(os.Environ(), env...)
	}
	// Its own process group: a Ctrl-C at the terminal reaches the bench,
	// which then stops its children in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c := &Child{cmd: cmd, log: lw, done: make(chan struct{})}
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, err
	}
	go func() {
		c.waitErr = cmd.Wait()
		f.Close()
		close(c.done)
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-lw.ready:
		c.StartUp = lw.readyAt.Sub(begin)
		c.Addr, c.DebugAddr = lw.addr, lw.debugAddr
		return c, nil
	case <-c.done:
		return nil, fmt.Errorf("%s exited before serving (%v): %s", argv[0], c.waitErr, tail(logPath))
	case <-timer.C:
		c.Stop()
		return nil, fmt.Errorf("%s did not serve within %s: %s", argv[0], timeout, tail(logPath))
	case <-ctx.Done():
		c.Stop()
		return nil, ctx.Err()
	}
}

// Pid is the child's process id.
func (c *Child) Pid() int { return c.cmd.Process.Pid }

// Stop asks the child to shut down (SIGTERM) and kills it if it has not
// exited within 30 seconds.
func (c *Child) Stop() error {
	select {
	case <-c.done:
		return nil
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
		return errors.New("killed after 30s: it did not stop on SIGTERM")
	}
	var exit *exec.ExitError
	if errors.As(c.waitErr, &exit) && exit.Exited() {
		return fmt.Errorf("exited with %w", c.waitErr)
	}
	return nil
}

// Memory is a process's resident set size now and at its peak, in bytes.
type Memory struct {
	RSS, Peak int64
}

// Memory reads the child's resident memory from /proc (Linux only).
func (c *Child) Memory() (Memory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.Pid()))
	if err != nil {
		return Memory{}, err
	}
	var m Memory
	for line := range strings.SplitSeq(string(b), "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		if err != nil {
			return Memory{}, fmt.Errorf("/proc status %s: %w", key, err)
		}
		if key == "VmRSS" {
			m.RSS = kb << 10
		} else {
			m.Peak = kb << 10
		}
	}
	return m, nil
}

// CPUTime is the user plus system CPU time the child has used so far, from
// /proc (Linux only), at the kernel's clock-tick resolution (10 ms). It is
// what a load costs whatever else runs on the machine, unlike req/s.
func (c *Child) CPUTime() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.Pid()))
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces:
	// count fields after its closing one. utime and stime are fields 14
	// and 15.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, errors.New("/proc stat: no command name")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("/proc stat: too few fields")
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc stat: %w", err)
		}
		ticks += n
	}
	// USER_HZ is 100 on every Linux ABI Go supports.
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}

// SelfCPUTime is the user plus system CPU time this process has used so
// far: the load generator's own cost.
func SelfCPUTime() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// LogOffset is how many bytes of log the child wrote so far; two offsets
// delimit the requests of a load for ServerLatencies.
func (c *Child) LogOffset() int64 {
	c.log.mu.Lock()
	defer c.log.mu.Unlock()
	return c.log.n
}

// ServerLatencies returns the durations the child logged for 2xx answers to
// path between two log offsets: its request log lines
// {"msg":"request","path":…,"status":…,"duration":<ns>}.
func (c *Child) ServerLatencies(from, to int64, path string) (Latencies, error) {
	f, err := os.Open(c.log.f.Name())
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return RequestLatencies(io.NewSectionReader(f, from, to-from), path)
}

// RequestLatencies reads JSON log lines and returns the durations of the
// 2xx request lines for path. Lines that are not request lines are skipped.
func RequestLatencies(r io.Reader, path string) (Latencies, error) {
	var out []time.Duration
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	pathField := []byte(`"path":` + strconv.Quote(path))
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.Contains(line, pathField) {
			continue
		}
		var rec struct {
			Msg      string `json:"msg"`
			Path     string `json:"path"`
			Status   int    `json:"status"`
			Duration int64  `json:"duration"`
		}
		if json.Unmarshal(line, &rec) != nil || rec.Msg != "request" || rec.Path != path || rec.Status < 200 || rec.Status > 299 {
			continue
		}
		out = append(out, time.Duration(rec.Duration))
	}
	return NewLatencies(out), sc.Err()
}

// logWatch writes a child's stderr to a file and, until the child serves,
// looks for its serving line.
type logWatch struct {
	mu        sync.Mutex
	f         *os.File
	n         int64
	partial   []byte
	ready     chan struct{}
	readyAt   time.Time
	addr      string
	debugAddr string
}

func (l *logWatch) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	// A failing log file must not block the child on a full pipe: the
	// write is reported as taken whatever the file did.
	n, _ := l.f.Write(p)
	l.n += int64(n)
	if l.addr == "" {
		l.partial = append(l.partial, p...)
		for {
			i := bytes.IndexByte(l.partial, '\n')
			if i < 0 {
				break
			}
			l.scan(l.partial[:i])
			l.partial = l.partial[i+1:]
		}
		if l.addr != "" {
			l.partial = nil
		}
	}
	return len(p), nil
}

func (l *logWatch) scan(line []byte) {
	var rec struct {
		Msg  string `json:"msg"`
		Addr string `json:"addr"`
	}
	if json.Unmarshal(line, &rec) != nil || rec.Addr == "" {
		return
	}
	switch rec.Msg {
	case "debug":
		l.debugAddr = rec.Addr
	case "serving":
		l.addr = rec.Addr
		l.readyAt = time.Now()
		close(l.ready)
	}
}

// tail returns the end of a log file, for error messages.
func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	const keep = 2000
	if len(b) > keep {
		b = b[len(b)-keep:]
	}
	return strings.TrimSpace(string(b))
}
