package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"intake"
	"intake/internal/testenv"
	"intake/internal/tooling/crashtest"
)

// backupLoad is a server under crash-harness load: both dialects, with and
// without resumes.
type backupLoad struct {
	world  *crashtest.World
	load   *crashtest.Load
	server *server
	stop   context.CancelFunc
	done   chan struct{}
}

func startBackupLoad(t testing.TB, data string) *backupLoad {
	t.Helper()
	world, err := crashtest.WriteWorld(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	const seed, maxResume = 99, 128 << 10
	files, filesURL, err := crashtest.ServeResumes(seed, maxResume)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { files.Close() })
	l := &backupLoad{
		world:  world,
		load:   &crashtest.Load{World: world, Ledger: &crashtest.Ledger{}, Seed: seed, MaxResume: maxResume, Files: filesURL},
		server: startServer(t, data, serveArgs(world)...),
		done:   make(chan struct{}),
	}
	ctx, stop := context.WithCancel(context.Background())
	l.stop = stop
	go func() {
		defer close(l.done)
		l.load.Run(ctx, ctx, l.server.URL, 3, 1)
	}()
	t.Cleanup(l.halt)
	return l
}

func serveArgs(world *crashtest.World) []string {
	return []string{"--world", world.Path, "--allow-fetch-from", "127.0.0.1/32", "--rate-limit", "0"}
}

func (l *backupLoad) halt() {
	l.stop()
	<-l.done
}

// logRejected logs the creates answered with an error: none is expected,
// but the load is not what this test checks.
func (l *backupLoad) logRejected(t testing.TB) {
	for _, r := range l.load.Ledger.Requests() {
		if r.Status != 0 && !r.Acknowledged() {
			t.Logf("request %d (%s) answered %d: %s", r.ID, r.Kind, r.Status, r.Err)
		}
	}
}

// waitAcknowledged waits until n more creates than from were acknowledged.
func (l *backupLoad) waitAcknowledged(t testing.TB, n int) []*crashtest.Request {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		reqs := l.load.Ledger.Requests()
		count := 0
		for _, r := range reqs {
			if r.Acknowledged() {
				count++
			}
		}
		if count >= n {
			return reqs
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d creates acknowledged within 60s", count)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func runIntake(t testing.TB, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command(binaryPath, args...).CombinedOutput()
	return string(out), err
}

// A backup taken while creates pour in restores into a data directory that
// serves: every candidate acknowledged before the backup started is there,
// every candidate there is whole (its resume downloads with the checksum
// sent), no file is orphaned, and the candidate count is the manifest's.
func TestBackupRestoreUnderLoad(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	l := startBackupLoad(t, data)
	before := l.waitAcknowledged(t, 40)
	ackedBefore := map[int]bool{}
	for _, r := range before {
		if r.Acknowledged() {
			ackedBefore[r.ID] = true
		}
	}
	backup := filepath.Join(dir, "backup")
	if out, err := runIntake(t, "backup", "--to", backup, "--data", data); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	l.waitAcknowledged(t, len(ackedBefore)+20)
	l.halt()
	l.logRejected(t)
	m, err := readManifest(backup)
	if err != nil {
		t.Fatal(err)
	}

	restored := filepath.Join(dir, "restored")
	if out, err := runIntake(t, "restore", "--from", backup, "--data", restored); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	s := startServer(t, restored, serveArgs(l.world)...)
	check, err := crashtest.Verify(t.Context(), s.URL, restored, l.world, l.load.Ledger.Requests(),
		func(r *crashtest.Request) bool { return ackedBefore[r.ID] }, 4)
	if err != nil {
		t.Fatal(err)
	}
	if !check.OK() || check.Required != len(ackedBefore) {
		t.Errorf("restored data: %+v", check)
	}
	if check.Candidates != m.Candidates || m.Candidates < len(ackedBefore) || m.Blobs != m.Documents || m.Blobs != check.Files {
		t.Errorf("restored %d candidates and %d files; manifest: %d candidates, %d documents, %d blobs; %d acknowledged before the backup",
			check.Candidates, check.Files, m.Candidates, m.Documents, m.Blobs, len(ackedBefore))
	}
	body := `{"email":"after.restore@example.com","firstname":"A","lastname":"B","organization_reference":"` +
		l.world.OrgRef + `","job_reference":"` + l.world.JobRef + `"}`
	if status, _, b := do(t, "POST", s.URL+"/api/v1/external/candidates", l.world.Token, "application/json", body); status != http.StatusCreated {
		t.Errorf("create on the restored server: %d %s", status, b)
	}
}

// restore verifies before it touches anything: a damaged backup, an
// occupied data directory without --force, leave everything as it was.
func TestRestoreRefusals(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	l := startBackupLoad(t, data)
	l.waitAcknowledged(t, 10)
	l.halt()
	l.logRejected(t)
	backup := filepath.Join(dir, "backup")
	if out, err := runIntake(t, "backup", "--to", backup, "--data", data); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if out, err := runIntake(t, "backup", "--to", backup, "--data", data); err == nil || !strings.Contains(out, "not empty") {
		t.Errorf("backup over a backup: %v\n%s", err, out)
	}
	m, err := readManifest(backup)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("occupied data directory", func(t *testing.T) {
		out, err := runIntake(t, "restore", "--from", backup, "--data", data)
		if err == nil || !strings.Contains(out, "--force") {
			t.Fatalf("restore over a live data dir: %v\n%s", err, out)
		}
	})

	t.Run("damaged file", func(t *testing.T) {
		damaged := filepath.Join(dir, "damaged")
		if err := os.CopyFS(damaged, os.DirFS(backup)); err != nil {
			t.Fatal(err)
		}
		var blob string
		for _, f := range m.Files {
			if strings.HasPrefix(f.Path, "files/") {
				blob = filepath.Join(damaged, filepath.FromSlash(f.Path))
				break
			}
		}
		b, err := os.ReadFile(blob)
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)/2] ^= 0x20
		if err := os.WriteFile(blob, b, 0o600); err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(dir, "from-damaged")
		out, err := runIntake(t, "restore", "--from", damaged, "--data", target)
		if err == nil || !strings.Contains(out, "does not match the manifest") {
			t.Fatalf("restore of a damaged backup: %v\n%s", err, out)
		}
		if _, err := os.Stat(target); !os.IsNotExist(err) {
			t.Errorf("a failed restore left %s: %v", target, err)
		}
		if leftovers, _ := filepath.Glob(filepath.Join(dir, ".from-damaged.restore-*")); len(leftovers) > 0 {
			t.Errorf("a failed restore left %v", leftovers)
		}
	})

	t.Run("manifest naming a path outside the backup layout", func(t *testing.T) {
		evil := filepath.Join(dir, "evil")
		if err := os.CopyFS(evil, os.DirFS(backup)); err != nil {
			t.Fatal(err)
		}
		bad := *m
		bad.Files = append(bad.Files, manifestFile{Path: "../escape", Size: 1, SHA256: "00"})
		b, _ := json.Marshal(bad)
		if err := os.WriteFile(filepath.Join(evil, manifestName), b, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := runIntake(t, "restore", "--from", evil, "--data", filepath.Join(dir, "from-evil"))
		if err == nil || !strings.Contains(out, "unexpected file") {
			t.Fatalf("restore of a tampered manifest: %v\n%s", err, out)
		}
	})

	t.Run("force moves the old data aside", func(t *testing.T) {
		l.server.stop(t)
		out, err := runIntake(t, "restore", "--from", backup, "--data", data, "--force")
		if err != nil {
			t.Fatalf("restore --force: %v\n%s", err, out)
		}
		aside, _ := filepath.Glob(data + ".replaced-*")
		if len(aside) != 1 {
			t.Fatalf("old data dir moved to %v\n%s", aside, out)
		}
		if _, err := os.Stat(filepath.Join(aside[0], "intake.db")); err != nil {
			t.Errorf("old data dir lost its database: %v", err)
		}
		s := startServer(t, data, serveArgs(l.world)...)
		check, err := crashtest.Verify(t.Context(), s.URL, data, l.world, l.load.Ledger.Requests(),
			func(*crashtest.Request) bool { return false }, 2)
		if err != nil {
			t.Fatal(err)
		}
		if !check.OK() || check.Candidates != m.Candidates {
			t.Errorf("after restore --force: %+v, manifest has %d candidates", check, m.Candidates)
		}
	})
}

// noCommit is a blob store whose blobs stay staged after their row
// commits, as when the server dies between the two.
type noCommit struct{ intake.BlobStore }

func (noCommit) Commit(context.Context, string) error { return nil }

// createWithResume creates a Flatchr candidate with a small text resume in
// env and returns the resume's blob key.
func createWithResume(t testing.TB, env *testenv.Env, email string) string {
	t.Helper()
	ctx := t.Context()
	p, err := env.Service.Authenticate(ctx, testenv.FlatchrToken)
	if err != nil {
		t.Fatal(err)
	}
	job, err := env.Service.JobByVacancy(ctx, p, testenv.SeedVacancy)
	if err != nil {
		t.Fatal(err)
	}
	staged, err := env.Service.StageUpload(ctx, strings.NewReader("resume of "+email+"\n"), intake.DocResume)
	if err != nil {
		t.Fatal(err)
	}
	res, err := env.Service.CreateApplication(ctx, p, &intake.NewApplication{
		Application: intake.Application{Person: intake.Person{Firstname: "Back", Lastname: "Up", Email: email}, Source: intake.SourceFlatchr},
		Job:         job, Resume: &intake.FileInput{Staged: staged, FileName: "cv.txt"},
		OnDuplicate: intake.DuplicateMerge,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res.Candidate.Resume.BlobKey
}

// A row whose file is still in staging (its server died before publishing
// it) is backed up with its file, which restore puts in committed/.
func TestBackupReadsStagedFiles(t *testing.T) {
	env := testenv.New(t, testenv.World, func(c *intake.ServiceConfig) { c.Blobs = noCommit{c.Blobs} })
	key := createWithResume(t, env, "staged@example.com")
	if _, err := os.Stat(filepath.Join(env.DataDir, "files", "staging", key)); err != nil {
		t.Fatalf("the resume is not left in staging: %v", err)
	}
	backup := filepath.Join(t.TempDir(), "backup")
	var out strings.Builder
	if err := runBackup(t.Context(), []string{"--to", backup, "--data", env.DataDir}, &out, &out); err != nil {
		t.Fatalf("backup: %v\n%s", err, out.String())
	}
	restored := filepath.Join(t.TempDir(), "data")
	if err := runRestore(t.Context(), []string{"--from", backup, "--data", restored}, &out, &out); err != nil {
		t.Fatalf("restore: %v\n%s", err, out.String())
	}
	b, err := os.ReadFile(filepath.Join(restored, "files", "committed", key[:2], key))
	if err != nil || string(b) != "resume of staged@example.com\n" {
		t.Errorf("restored resume: %q %v", b, err)
	}
}

// A row whose file is gone from the data directory is a damaged store: the
// backup says so instead of producing a backup that cannot be restored
// whole.
func TestBackupRefusesMissingFile(t *testing.T) {
	env := testenv.New(t, testenv.World)
	createWithResume(t, env, "kept@example.com")
	key := createWithResume(t, env, "gone@example.com")
	if err := os.Remove(filepath.Join(env.DataDir, "files", "committed", key[:2], key)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var out strings.Builder
	err := runBackup(t.Context(), []string{"--to", filepath.Join(dir, "backup"), "--data", env.DataDir}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "lacks 1 file(s) its database references") || !strings.Contains(err.Error(), key) {
		t.Fatalf("backup of a store missing a file: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed backup left %v", entries)
	}
}
