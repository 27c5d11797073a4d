package crashtest

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"intake"
	"intake/internal/testenv"
)

// crashBeforeDiscard is a blob store whose process dies, in effect, right
// after the row commits: Discard is never carried out, as when SIGKILL
// lands between Service.UpdateApplication's commit and its discardReplaced.
type crashBeforeDiscard struct{ intake.BlobStore }

func (crashBeforeDiscard) Discard(context.Context, string) error { return nil }

// A resume replaced by an update (a Flatchr re-apply of the same email) is
// deleted only after the row that replaced it committed. A crash in
// between leaves the old file in committed/ with no row: the next start's
// sweep must delete it. The BlobStore contract (blobstore.go) says a crash never
// leaves a file without its row past the next start.
func TestCrashAfterResumeReplaceLeavesNoOrphan(t *testing.T) {
	env := testenv.New(t, testenv.World, func(c *intake.ServiceConfig) { c.Blobs = crashBeforeDiscard{c.Blobs} })
	ctx := t.Context()
	p, err := env.Service.Authenticate(ctx, testenv.FlatchrToken)
	if err != nil {
		t.Fatal(err)
	}
	job, err := env.Service.JobByVacancy(ctx, p, testenv.SeedVacancy)
	if err != nil {
		t.Fatal(err)
	}
	for id := 1; id <= 2; id++ {
		b, _ := resumeBytes(1, id, 4096)
		staged, err := env.Service.StageUpload(ctx, bytes.NewReader(b), intake.DocResume)
		if err != nil {
			t.Fatal(err)
		}
		_, err = env.Service.CreateApplication(ctx, p, &intake.NewApplication{
			Application: intake.Application{
				Person: intake.Person{Firstname: "Crash", Lastname: "Test", Email: "same@example.com"},
				Source: intake.SourceFlatchr,
			},
			Job:         job,
			Resume:      &intake.FileInput{Staged: staged, FileName: "resume"},
			OnDuplicate: intake.DuplicateMerge,
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The restart: recovery and the sweep settle what the crash left.
	if err := env.Service.RecoverBlobs(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := env.Service.SweepBlobs(ctx); err != nil || n != 1 {
		t.Fatalf("sweep: %d, %v; want the one replaced resume", n, err)
	}
	files, err := DataFiles(filepath.Join(env.DataDir, "files", "committed"))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, f := range files {
		keys = append(keys, filepath.Base(f))
	}
	used, err := env.Store.ReferencedBlobs(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if !used[k] {
			t.Errorf("committed file %s has no row after the restart", k)
		}
	}
}
