package crashtest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// logTail is how many of the server's last log lines are kept for error
// messages.
const logTail = 40

// Server is a started `intake serve` process.
type Server struct {
	// URL is the base URL once Wait returned; empty before.
	URL string

	cmd       *exec.Cmd
	addr      chan string
	done      chan struct{}
	swept     chan struct{}
	sweepOnce sync.Once
	mu        sync.Mutex
	lines     []string
}

// StartServer starts `binary serve --addr 127.0.0.1:0 --data dataDir` with
// extra flags and returns at once; Wait waits until it serves.
func StartServer(binary, dataDir string, extra ...string) (*Server, error) {
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dataDir}, extra...)
	s := &Server{
		cmd:   exec.Command(binary, args...),
		addr:  make(chan string, 1),
		done:  make(chan struct{}),
		swept: make(chan struct{}),
	}
	s.cmd.Stdout = io.Discard
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		s.scan(stderr)
	}()
	go func() {
		<-scanned
		_ = s.cmd.Wait()
		close(s.done)
	}()
	return s, nil
}

// scan keeps the last log lines and reports the address of the
// {"msg":"serving","addr":…} line.
func (s *Server) scan(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		s.mu.Lock()
		if len(s.lines) == logTail {
			s.lines = s.lines[1:]
		}
		s.lines = append(s.lines, line)
		s.mu.Unlock()
		var entry struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &entry) != nil {
			continue
		}
		switch {
		case entry.Msg == "serving" && entry.Addr != "":
			select {
			case s.addr <- entry.Addr:
			default:
			}
		case entry.Msg == "files swept":
			s.sweepOnce.Do(func() { close(s.swept) })
		}
	}
	// Drain anything left so the process never blocks on a full pipe.
	_, _ = io.Copy(io.Discard, r)
}

// Logs returns the last lines the server logged.
func (s *Server) Logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.lines, "\n")
}

// Wait waits until the server logs that it serves, and sets URL.
func (s *Server) Wait(ctx context.Context, timeout time.Duration) error {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case a := <-s.addr:
		s.URL = "http://" + a
		return nil
	case <-s.done:
		return fmt.Errorf("intake exited before serving (%s):\n%s", s.cmd.ProcessState, s.Logs())
	case <-t.C:
		return fmt.Errorf("intake did not serve within %s:\n%s", timeout, s.Logs())
	case <-ctx.Done():
		return ctx.Err()
	}
}

// WaitSwept waits until the server has deleted the files a crash left
// without their row, which it does in the background after it starts.
func (s *Server) WaitSwept(ctx context.Context, timeout time.Duration) error {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-s.swept:
		return nil
	case <-s.done:
		return fmt.Errorf("intake exited before sweeping its files:\n%s", s.Logs())
	case <-t.C:
		return fmt.Errorf("intake did not sweep its files within %s:\n%s", timeout, s.Logs())
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Kill sends SIGKILL, as a crash would, and waits for the process to be
// gone. Killing an exited server does nothing.
func (s *Server) Kill() {
	_ = s.cmd.Process.Kill()
	<-s.done
}

// Stop sends SIGTERM and waits up to timeout for a clean exit (status 0).
func (s *Server) Stop(timeout time.Duration) error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-s.done:
	case <-t.C:
		s.Kill()
		return fmt.Errorf("intake did not stop within %s of SIGTERM", timeout)
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		return errors.New("intake exited with status " + fmt.Sprint(code) + " after SIGTERM:\n" + s.Logs())
	}
	return nil
}
