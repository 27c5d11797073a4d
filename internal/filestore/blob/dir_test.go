package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"intake"
)

func openDir(t testing.TB, dir string) *Dir {
	t.Helper()
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// files lists the regular files and symlinks under dir, relative to it.
func files(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func stage(t testing.TB, d *Dir, data string) *intake.Blob {
	t.Helper()
	b, err := d.Stage(t.Context(), bytes.NewReader([]byte(data)), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readBlob(t testing.TB, d *Dir, key string) string {
	t.Helper()
	rc, err := d.Open(t.Context(), key)
	if err != nil {
		t.Fatalf("Open(%s): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantCode(t testing.TB, err error, want intake.ErrorCode) {
	t.Helper()
	if got := intake.ErrorCodeOf(err); got != want {
		t.Fatalf("error %v: code %q, want %q", err, got, want)
	}
}

func TestStage(t *testing.T) {
	dir := t.TempDir()
	d := openDir(t, dir)
	const data = "Jane Doe\n"
	b := stage(t, d, data)
	sum := sha256.Sum256([]byte(data))
	want := &intake.Blob{Key: b.Key, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), ContentType: "text/plain"}
	if diff := cmp.Diff(want, b); diff != "" {
		t.Errorf("Stage (-want +got):\n%s", diff)
	}
	if !ValidKey(b.Key) {
		t.Errorf("key %q is not 32 lowercase hex digits", b.Key)
	}
	if diff := cmp.Diff([]string{"staging/" + b.Key}, files(t, dir)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	fi, err := os.Stat(filepath.Join(dir, "staging", b.Key))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("mode %v, want 0600", perm)
	}
	if got := readBlob(t, d, b.Key); got != data {
		t.Errorf("Open = %q, want %q", got, data)
	}
}

func TestStageSizeCap(t *testing.T) {
	const max = 64 << 10
	tests := []struct {
		name string
		size int64
		code intake.ErrorCode
	}{
		{"empty", 0, ""},
		{"one below", max - 1, ""},
		{"exactly max", max, ""},
		{"one over", max + 1, intake.ETooLarge},
		{"far over", 10 * max, intake.ETooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			d := openDir(t, dir)
			r := io.LimitReader(neverEnding('x'), tt.size)
			b, err := d.Stage(t.Context(), r, max)
			wantCode(t, err, tt.code)
			if err != nil {
				if got := files(t, dir); len(got) != 0 {
					t.Errorf("left behind: %v", got)
				}
				return
			}
			if b.Size != tt.size {
				t.Errorf("Size = %d, want %d", b.Size, tt.size)
			}
		})
	}
}

type neverEnding byte

func (b neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

// failingReader yields some bytes, then err.
type failingReader struct {
	n   int
	err error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, r.err
	}
	n := min(r.n, len(p))
	r.n -= n
	return n, nil
}

func TestStageReadFailure(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code intake.ErrorCode
		msg  string
	}{
		{"fetcher too large", intake.Errorf(intake.ETooLarge, "is too large"), intake.ETooLarge, "is too large"},
		{"fetcher failure", intake.Errorf(intake.EInvalid, "could not be downloaded: timed out"), intake.EInvalid, "could not be downloaded: timed out"},
		{"foreign", errors.New("connection reset"), intake.EInvalid, "could not be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			d := openDir(t, dir)
			_, err := d.Stage(t.Context(), &failingReader{n: 10000, err: tt.err}, 1<<20)
			wantCode(t, err, tt.code)
			if got := intake.ErrorMessage(err); got != tt.msg {
				t.Errorf("message %q, want %q", got, tt.msg)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("error %v does not wrap %v", err, tt.err)
			}
			if got := files(t, dir); len(got) != 0 {
				t.Errorf("left behind: %v", got)
			}
		})
	}
}

func TestStageCanceled(t *testing.T) {
	dir := t.TempDir()
	d := openDir(t, dir)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := d.Stage(ctx, neverEnding('x'), 1<<30)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("left behind: %v", got)
	}
}

func TestCommitOpenDiscard(t *testing.T) {
	dir := t.TempDir()
	d := openDir(t, dir)
	ctx := t.Context()
	b := stage(t, d, "resume")
	committed := "committed/" + b.Key[:2] + "/" + b.Key

	for range 2 {
		if err := d.Commit(ctx, b.Key); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		if diff := cmp.Diff([]string{committed}, files(t, dir)); diff != "" {
			t.Errorf("files (-want +got):\n%s", diff)
		}
		if got := readBlob(t, d, b.Key); got != "resume" {
			t.Errorf("Open = %q", got)
		}
	}

	if err := d.Discard(ctx, b.Key); err != nil {
		t.Fatalf("Discard: %v", err)
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("left behind: %v", got)
	}
	_, err := d.Open(ctx, b.Key)
	wantCode(t, err, intake.ENotFound)
	wantCode(t, d.Commit(ctx, b.Key), intake.ENotFound)
	if err := d.Discard(ctx, b.Key); err != nil {
		t.Errorf("Discard of an unknown key: %v", err)
	}

	staged := stage(t, d, "staged")
	if err := d.Discard(ctx, staged.Key); err != nil {
		t.Fatalf("Discard staged: %v", err)
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("left behind: %v", got)
	}
}

func TestRecover(t *testing.T) {
	dir := t.TempDir()
	d := openDir(t, dir)
	var keep, drop []string
	for i := range 6 {
		b := stage(t, d, fmt.Sprint("blob ", i))
		if i%2 == 0 {
			keep = append(keep, b.Key)
		} else {
			drop = append(drop, b.Key)
		}
	}
	done := stage(t, d, "committed before the crash")
	if err := d.Commit(t.Context(), done.Key); err != nil {
		t.Fatal(err)
	}
	// What a crash mid-Stage leaves (a key file cut short, never
	// referenced since its row commits after Stage; a tmp- file of an
	// earlier version), and a file that is none of ours.
	cut := hex.EncodeToString(bytes.Repeat([]byte{0xcc}, KeyBytes))
	drop = append(drop, cut)
	half := "tmp-" + hex.EncodeToString(make([]byte, KeyBytes))
	for _, name := range []string{cut, half, "README"} {
		if err := os.WriteFile(filepath.Join(dir, "staging", name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	d.Close()

	d = openDir(t, dir)
	var asked []string
	err := d.Recover(t.Context(), func(ctx context.Context, keys []string) (map[string]bool, error) {
		asked = append(asked, keys...)
		used := map[string]bool{}
		for _, k := range keys {
			used[k] = slices.Contains(keep, k)
		}
		return used, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"committed/" + done.Key[:2] + "/" + done.Key, "staging/README"}
	for _, k := range keep {
		want = append(want, "committed/"+k[:2]+"/"+k)
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, files(t, dir)); diff != "" {
		t.Errorf("files after Recover (-want +got):\n%s", diff)
	}
	staged := append(slices.Clone(keep), drop...)
	slices.Sort(staged)
	slices.Sort(asked)
	if diff := cmp.Diff(staged, asked); diff != "" {
		t.Errorf("keys asked (-want +got):\n%s", diff)
	}
	for i, k := range keep {
		if got, want := readBlob(t, d, k), fmt.Sprint("blob ", 2*i); got != want {
			t.Errorf("Open(%s) = %q, want %q", k, got, want)
		}
	}
	for _, k := range drop {
		_, err := d.Open(t.Context(), k)
		wantCode(t, err, intake.ENotFound)
	}
}

func TestRecoverBatches(t *testing.T) {
	dir := t.TempDir()
	d := openDir(t, dir)
	const n = recoverBatch + 1
	for i := range n {
		key := fmt.Sprintf("%032x", i)
		if err := os.WriteFile(filepath.Join(dir, "staging", key), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var sizes []int
	err := d.Recover(t.Context(), func(ctx context.Context, keys []string) (map[string]bool, error) {
		sizes = append(sizes, len(keys))
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{recoverBatch, 1}, sizes); diff != "" {
		t.Errorf("batch sizes (-want +got):\n%s", diff)
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("%d files left", len(got))
	}
}

func TestRecoverFailure(t *testing.T) {
	dir := t.TempDir()
	d := openDir(t, dir)
	b := stage(t, d, "x")
	boom := errors.New("database down")
	err := d.Recover(t.Context(), func(context.Context, []string) (map[string]bool, error) { return nil, boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	if diff := cmp.Diff([]string{"staging/" + b.Key}, files(t, dir)); diff != "" {
		t.Errorf("a failed Recover must keep staged blobs (-want +got):\n%s", diff)
	}
}

func TestConcurrentStage(t *testing.T) {
	d := openDir(t, t.TempDir())
	const n = 16
	blobs := make([]*intake.Blob, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			data := bytes.Repeat([]byte{byte('a' + i)}, 10000+i)
			blobs[i], errs[i] = d.Stage(t.Context(), bytes.NewReader(data), 1<<20)
			if errs[i] == nil && i%2 == 0 {
				errs[i] = d.Commit(t.Context(), blobs[i].Key)
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, b := range blobs {
		if errs[i] != nil {
			t.Fatalf("stage %d: %v", i, errs[i])
		}
		if seen[b.Key] {
			t.Fatalf("key %s issued twice", b.Key)
		}
		seen[b.Key] = true
		want := string(bytes.Repeat([]byte{byte('a' + i)}, 10000+i))
		if got := readBlob(t, d, b.Key); got != want {
			t.Errorf("blob %d: got %d bytes, want %d", i, len(got), len(want))
		}
	}
}

func TestKeysCannotEscape(t *testing.T) {
	base := t.TempDir()
	outside := filepath.Join(base, "secret")
	if err := os.WriteFile(outside, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "files")
	d := openDir(t, dir)
	ctx := t.Context()

	for _, key := range []string{"../secret", "../../files/../secret", "/etc/passwd", "..", ".", "", "staging", "tmp-" + stage(t, d, "x").Key, "AB" + hex.EncodeToString(make([]byte, 15))} {
		if _, err := d.Open(ctx, key); intake.ErrorCodeOf(err) != intake.ENotFound {
			t.Errorf("Open(%q) = %v, want not_found", key, err)
		}
		wantCode(t, d.Commit(ctx, key), intake.ENotFound)
		if err := d.Discard(ctx, key); err != nil {
			t.Errorf("Discard(%q) = %v", key, err)
		}
	}

	// A symlink planted in the store, by a key-shaped name, must not lead out.
	key := hex.EncodeToString(make([]byte, KeyBytes))
	for _, link := range []string{filepath.Join(dir, "staging", key), filepath.Join(dir, "committed", key[:2], key)} {
		os.MkdirAll(filepath.Dir(link), 0o700)
		if err := os.Symlink(outside, link); err != nil {
			t.Fatal(err)
		}
	}
	rc, err := d.Open(ctx, key)
	if err == nil {
		b, _ := io.ReadAll(rc)
		rc.Close()
		t.Fatalf("Open through a symlink read %q", b)
	}
	if err := d.Discard(ctx, key); err != nil {
		t.Fatalf("Discard: %v", err)
	}
	if b, err := os.ReadFile(outside); err != nil || string(b) != "secret" {
		t.Fatalf("file outside the root: %q, %v", b, err)
	}
}

// TestOpenDuringCommit reads blobs while they are being committed: a blob
// moving from staging to committed must never look missing.
func TestOpenDuringCommit(t *testing.T) {
	d := openDir(t, t.TempDir())
	for range 50 {
		b := stage(t, d, "resume")
		var wg sync.WaitGroup
		wg.Go(func() {
			if err := d.Commit(t.Context(), b.Key); err != nil {
				t.Error(err)
			}
		})
		for range 20 {
			rc, err := d.Open(t.Context(), b.Key)
			if err != nil {
				t.Fatalf("Open during Commit: %v", err)
			}
			rc.Close()
		}
		wg.Wait()
	}
}

// recordSyncs replaces d's directory fsync with one that records the
// directory names, sleeps for delay and returns fail(name).
func recordSyncs(t testing.TB, d *Dir, delay time.Duration, fail func(name string) error) func() []string {
	t.Helper()
	var (
		mu    sync.Mutex
		names []string
	)
	d.fsync = func(name string) error {
		mu.Lock()
		names = append(names, name)
		mu.Unlock()
		time.Sleep(delay)
		if fail != nil {
			if err := fail(name); err != nil {
				return err
			}
		}
		return d.fsyncDir(name)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := slices.Clone(names)
		names = nil
		return out
	}
}

// TestDirSyncs pins which directories each operation fsyncs: Stage its
// staging entry, which the row will point at; Commit nothing, but a new
// shard's own entry.
func TestDirSyncs(t *testing.T) {
	dir := t.TempDir()
	d := openDir(t, dir)
	synced := recordSyncs(t, d, 0, nil)
	ctx := t.Context()

	a := stage(t, d, "a")
	if diff := cmp.Diff([]string{"staging"}, synced()); diff != "" {
		t.Errorf("Stage synced (-want +got):\n%s", diff)
	}
	if err := d.Commit(ctx, a.Key); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"committed"}, synced()); diff != "" {
		t.Errorf("Commit into a new shard synced (-want +got):\n%s", diff)
	}
	b := stage(t, d, "b")
	synced()
	if err := os.MkdirAll(filepath.Join(dir, "committed", b.Key[:2]), 0o700); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := d.Commit(ctx, b.Key); err != nil {
			t.Fatal(err)
		}
	}
	if got := synced(); len(got) != 0 {
		t.Errorf("Commit into an existing shard synced %v, want nothing", got)
	}
	if err := d.Discard(ctx, b.Key); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"committed/" + b.Key[:2]}, synced()); diff != "" {
		t.Errorf("Discard synced (-want +got):\n%s", diff)
	}
}

// TestConcurrentStageSharesDirSync: concurrent Stages share the staging
// directory's fsyncs.
func TestConcurrentStageSharesDirSync(t *testing.T) {
	d := openDir(t, t.TempDir())
	synced := recordSyncs(t, d, 2*time.Millisecond, nil)
	const n = 32
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if _, err := d.Stage(t.Context(), strings.NewReader(fmt.Sprint("resume ", i)), 100); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got := synced()
	t.Logf("%d Stages, %d fsyncs of staging", n, len(got))
	if len(got) >= n {
		t.Errorf("%d fsyncs of staging for %d concurrent Stages, want fewer", len(got), n)
	}
}

// TestStageDirSyncFailure: when the fsync that makes the staged names
// durable fails, every Stage waiting for it fails and leaves nothing.
func TestStageDirSyncFailure(t *testing.T) {
	dir := t.TempDir()
	d := openDir(t, dir)
	boom := errors.New("input/output error")
	recordSyncs(t, d, time.Millisecond, func(name string) error {
		if name == "staging" {
			return boom
		}
		return nil
	})
	const n = 8
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			b, err := d.Stage(t.Context(), strings.NewReader("resume"), 100)
			if !errors.Is(err, boom) {
				t.Errorf("Stage = %v, %v; want %v", b, err, boom)
			}
		})
	}
	wg.Wait()
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("left behind: %v", got)
	}
}

// TestRecoverAfterUnsyncedCommit replays the crash Commit allows: a power
// loss puts a committed blob back in staging (its rename was not fsync'd).
// Its row committed, so Recover publishes it, whole.
func TestRecoverAfterUnsyncedCommit(t *testing.T) {
	dir := t.TempDir()
	d := openDir(t, dir)
	b := stage(t, d, "acknowledged resume")
	if err := d.Commit(t.Context(), b.Key); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if err := os.Rename(filepath.Join(dir, "committed", b.Key[:2], b.Key), filepath.Join(dir, "staging", b.Key)); err != nil {
		t.Fatal(err)
	}

	d = openDir(t, dir)
	err := d.Recover(t.Context(), func(_ context.Context, keys []string) (map[string]bool, error) {
		return map[string]bool{b.Key: true}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"committed/" + b.Key[:2] + "/" + b.Key}, files(t, dir)); diff != "" {
		t.Errorf("files after Recover (-want +got):\n%s", diff)
	}
	if got := readBlob(t, d, b.Key); got != "acknowledged resume" {
		t.Errorf("Open = %q", got)
	}
}
