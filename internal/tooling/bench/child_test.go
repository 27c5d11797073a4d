package bench

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestMain lets the test binary act as a child server: with
// BENCH_TEST_CHILD set it logs like intake, serves a ceiling that logs each
// request, and exits on SIGTERM.
func TestMain(m *testing.M) {
	switch os.Getenv("BENCH_TEST_CHILD") {
	case "":
		os.Exit(m.Run())
	case "serve":
		os.Exit(testChild())
	case "exit":
		fmt.Fprintln(os.Stderr, "intake: open store: permission denied")
		os.Exit(1)
	}
}

func testChild() int {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 1
	}
	ceiling := Ceiling(Answer{Status: http.StatusCreated, ContentType: "application/json", Body: []byte(`{}`)})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ceiling.ServeHTTP(w, r)
		log.Info("request", "path", r.URL.Path, "status", http.StatusCreated, "duration", 1500*time.Microsecond)
	})}
	go func() { _ = srv.Serve(ln) }()
	log.Info("debug", "addr", "127.0.0.1:6060")
	log.Info("serving", "addr", ln.Addr().String())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM)
	<-sig
	_ = srv.Close()
	return 0
}

func TestStartChild(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	c, err := StartChild(t.Context(), filepath.Join(dir, "child.log"), time.Minute, []string{"BENCH_TEST_CHILD=serve"}, exe)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop() })
	if c.DebugAddr != "127.0.0.1:6060" || !strings.HasPrefix(c.Addr, "127.0.0.1:") || c.StartUp <= 0 {
		t.Errorf("addr %q, debug addr %q, start-up %v", c.Addr, c.DebugAddr, c.StartUp)
	}
	mem, err := c.Memory()
	if err != nil {
		t.Fatal(err)
	}
	if mem.RSS <= 0 || mem.Peak < mem.RSS {
		t.Errorf("memory = %+v", mem)
	}

	from := c.LogOffset()
	for range 3 {
		resp, err := http.Post("http://"+c.Addr+"/api/v1/external/candidates", "application/json", strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	var got Latencies
	for range 100 {
		got, err = c.ServerLatencies(from, c.LogOffset(), "/api/v1/external/candidates")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 3 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if diff := cmp.Diff(Latencies{1500 * time.Microsecond, 1500 * time.Microsecond, 1500 * time.Microsecond}, got); diff != "" {
		t.Errorf("server latencies (-want +got):\n%s", diff)
	}
	if err := c.Stop(); err != nil {
		t.Errorf("Stop: %v", err)
	}
	if err := c.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

func TestStartChildThatExits(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	_, err = StartChild(t.Context(), filepath.Join(t.TempDir(), "child.log"), time.Minute, []string{"BENCH_TEST_CHILD=exit"}, exe)
	if err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("err = %v, want the child's last words", err)
	}
	var exit interface{ ExitCode() int }
	if errors.As(err, &exit) {
		t.Errorf("err wraps the exit status %d: it should describe it", exit.ExitCode())
	}
}

func TestRequestLatencies(t *testing.T) {
	log := `{"time":"x","level":"INFO","msg":"serving","addr":"127.0.0.1:1"}
{"level":"INFO","msg":"request","method":"POST","path":"/api/v1/external/candidates","status":201,"duration":2000000}
{"level":"INFO","msg":"request","method":"POST","path":"/api/v1/external/candidates","status":400,"duration":9000000}
{"level":"INFO","msg":"request","method":"GET","path":"/healthz","status":200,"duration":5}
not json "path":"/api/v1/external/candidates"
{"level":"INFO","msg":"request","method":"POST","path":"/api/v1/external/candidates","status":201,"duration":1000000}
{"level":"INFO","msg":"request","method":"POST","path":"/api/v1/external/candidates","status":201,"dura`
	got, err := RequestLatencies(strings.NewReader(log), "/api/v1/external/candidates")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Latencies{time.Millisecond, 2 * time.Millisecond}, got); diff != "" {
		t.Errorf("latencies (-want +got):\n%s", diff)
	}
}

func FuzzRequestLatencies(f *testing.F) {
	f.Add(`{"msg":"request","path":"/p","status":201,"duration":5}` + "\n")
	f.Add(`{"msg":"request","path":"/p","status":"201","duration":-1}`)
	f.Add("\n\n\"path\":\"/p\"\n")
	f.Fuzz(func(t *testing.T, log string) {
		got, err := RequestLatencies(strings.NewReader(log), "/p")
		if err != nil {
			return
		}
		for i := 1; i < len(got); i++ {
			if got[i] < got[i-1] {
				t.Fatalf("not sorted: %v", got)
			}
		}
	})
}
