package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"intake/internal/tooling/crashtest"
)

// The short form of the crash harness, through the command: three
// kill-and-restart cycles of a couple of seconds under load, then nothing
// acknowledged may be missing, half-written or orphaned, nor its
// new_applicant webhook undelivered.
func TestCrashHarnessCommand(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(dir, "report.json")
	// The server under -race answers several times slower: give each
	// cycle the time to acknowledge a few creates all the same.
	uptime := "1500ms"
	if raceEnabled {
		uptime = "4s"
	}
	cmd := exec.Command(binaryPath, "crash-test", "--cycles", "3", "--concurrency", "4",
		"--data", filepath.Join(dir, "data"), "--max-uptime", uptime, "--max-resume", "262144",
		"--seed", "20261123", "--reapply", "--webhooks", "--report", report)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("crash-test: %v\n%s", err, out)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var rep crashtest.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	c := rep.Check
	if rep.Cycles != 3 || rep.Acknowledged == 0 || rep.AcknowledgedResumes == 0 || c.Required != rep.Acknowledged {
		t.Errorf("report = %s", b)
	}
	if h := rep.Hooks; h == nil || h.Missing != 0 || h.Invented != 0 || h.Received == 0 {
		t.Errorf("webhook check = %+v", h)
	}
	if c.Lost != 0 || c.HalfWritten != 0 || c.Orphans != 0 || c.RejectedStored != 0 || c.Unexpected != 0 || !rep.OK() {
		t.Errorf("crash-test found damage:\n%s", out)
	}
}

// The harness sees damage done behind the server's back: the database put
// back to an earlier crash image loses what was acknowledged since (their
// files, left without rows, are deleted by the start's sweep); a deleted
// resume file half-writes its candidate; a stray file the server does not
// recognise as its own is an orphan.
func TestCrashHarnessDetectsDamage(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	h, err := crashtest.NewHarness(crashtest.Config{
		Binary: binaryPath, DataDir: data, Concurrency: 3, Seed: 5, MaxUptime: 800 * time.Millisecond, MaxResume: 64 << 10,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	acked := func(from int) (all, resumes int) {
		for _, r := range h.Ledger().Requests()[from:] {
			if r.Acknowledged() {
				all++
				if r.Resume != nil {
					resumes++
				}
			}
		}
		return all, resumes
	}
	for i := 0; ; i++ {
		if err := h.Cycle(t.Context()); err != nil {
			t.Fatal(err)
		}
		if _, n := acked(0); n > 0 {
			break
		}
		if i == 5 {
			t.Fatal("no resume acknowledged in 6 cycles")
		}
	}
	image := t.TempDir()
	for _, name := range []string{"intake.db", "intake.db-wal"} {
		copyForTest(t, filepath.Join(data, name), filepath.Join(image, name))
	}
	committed, err := crashtest.DataFiles(filepath.Join(data, "files", "committed"))
	if err != nil || len(committed) == 0 {
		t.Fatalf("committed files: %v %v", committed, err)
	}
	mark := len(h.Ledger().Requests())
	for i := 0; ; i++ {
		if err := h.Cycle(t.Context()); err != nil {
			t.Fatal(err)
		}
		if _, n := acked(mark); n > 0 {
			break
		}
		if i == 5 {
			t.Fatal("no resume acknowledged in 6 more cycles")
		}
	}
	for _, name := range []string{"intake.db", "intake.db-wal"} {
		copyForTest(t, filepath.Join(image, name), filepath.Join(data, name))
	}
	os.Remove(filepath.Join(data, "intake.db-shm"))
	if err := os.Remove(filepath.Join(data, "files", "committed", committed[0])); err != nil {
		t.Fatal(err)
	}
	stray := filepath.Join(data, "files", "committed", "00", "stray.bin")
	if err := os.MkdirAll(filepath.Dir(stray), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stray, []byte("not intake's"), 0o600); err != nil {
		t.Fatal(err)
	}

	rep, err := h.Verify(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	lost, _ := acked(mark)
	c := rep.Check
	if c.Lost != lost || c.HalfWritten != 1 || c.Orphans != 1 || rep.OK() {
		t.Errorf("lost %d (want %d), half-written %d (want 1), orphans %d (want the stray file), OK %v; problems:\n%q",
			c.Lost, lost, c.HalfWritten, c.Orphans, rep.OK(), c.Problems)
	}
}

func copyForTest(t testing.TB, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// Concurrent Flatchr re-applies of one email (a client retrying, or two
// tabs) each replace the resume. Each update must delete the resume its own
// transaction replaced, not the one it read before: otherwise, when two
// overlap, a file is left without a row, no crash needed.
func TestConcurrentReapplyLeavesNoOrphan(t *testing.T) {
	dir := t.TempDir()
	world, err := crashtest.WriteWorld(dir)
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	s := startServer(t, data, "--world", world.Path, "--rate-limit", "0")
	apply := func(i int) {
		body := fmt.Sprintf(`{"vacancy":%q,"firstname":"Crash","lastname":"Test","email":"same@example.com","type":"document","resume":{"data":%q,"fileName":"resume.txt"}}`,
			world.Vacancy, base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("resume number %d\n", i))))
		if status, _, b := do(t, "POST", s.URL+"/vacancy/candidate/json", world.Token, "application/json", body); status != http.StatusOK {
			t.Errorf("apply %d: %d %s", i, status, b)
		}
	}
	apply(0)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 5 {
				apply(1 + w*5 + i)
			}
		})
	}
	wg.Wait()
	files, err := crashtest.DataFiles(filepath.Join(data, "files"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 {
		t.Errorf("one candidate with one resume, and %d files: %v", len(files), files)
	}
}
