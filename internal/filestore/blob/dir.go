// Package blob stores document bytes in a local directory, implementing
// intake.BlobStore.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"intake"
)

var _ intake.BlobStore = (*Dir)(nil)

const (
	stagingDir   = "staging"
	committedDir = "committed"
	// tmpPrefix marked files still being written by earlier versions,
	// which renamed them to their key once whole; Recover still deletes
	// such leftovers. It cannot be mistaken for a key, which is lowercase
	// hex only.
	tmpPrefix = "tmp-"
	// recoverBatch bounds the keys passed to one referenced call, keeping
	// the store's query (an IN list) small.
	recoverBatch = 500
)

// Dir is an intake.BlobStore in a local directory. Staged blobs live in
// staging/<key>, committed ones in committed/<first two key chars>/<key>,
// sharded so no directory grows too large. Every path is resolved through
// an os.Root, so neither a key nor a symlink planted in the directory can
// reach outside it.
//
// The hot path (Stage, Commit, their directory fsyncs) works on directories
// opened through the root once and kept open, by single-component names
// (keys are lowercase hex): an os.Root call walks its path again with an
// openat per component, which cost a Flatchr upload a tenth of its CPU.
type Dir struct {
	root *os.Root

	mu    sync.Mutex
	syncs map[string]*dirSync     // by directory name, made on first use
	dirs  map[string]*os.File     // staging and the shards, opened on first use
	fsync func(name string) error // fsyncDir; tests inject failures
}

// OpenDir opens, creating it if needed, the blob directory dir. Close
// releases it.
func OpenDir(dir string) (*Dir, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("blob: create %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", dir, err)
	}
	d := &Dir{root: root, syncs: map[string]*dirSync{}, dirs: map[string]*os.File{}}
	d.fsync = d.fsyncDir
	for _, sub := range []string{stagingDir, committedDir} {
		if err := root.Mkdir(sub, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			root.Close()
			return nil, fmt.Errorf("blob: create %s: %w", sub, err)
		}
	}
	if err := d.syncDir("."); err != nil {
		root.Close()
		return nil, err
	}
	return d, nil
}

// Close releases the directory.
func (d *Dir) Close() error {
	d.mu.Lock()
	for name, f := range d.dirs {
		f.Close()
		delete(d.dirs, name)
	}
	d.mu.Unlock()
	return d.root.Close()
}

// dir returns the open directory name, opening it through the root on
// first use. Only directories that stay are asked for: the root, staging,
// committed and its shards.
func (d *Dir) dir(name string) (*os.File, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if f := d.dirs[name]; f != nil {
		return f, nil
	}
	f, err := d.root.Open(name)
	if err != nil {
		return nil, err
	}
	d.dirs[name] = f
	return f, nil
}

// atDir runs fn with dir's descriptor, which stays open until fn returns
// even if Close runs meanwhile: a bare Fd could be closed and reused for
// another file under a Stage still in flight at shutdown.
func atDir(dir *os.File, fn func(fd int) error) error {
	rc, err := dir.SyscallConn()
	if err != nil {
		return err
	}
	var fnErr error
	if err := rc.Control(func(fd uintptr) { fnErr = fn(int(fd)) }); err != nil {
		return err
	}
	return fnErr
}

// Stage streams r into a new staged blob, hashing and sniffing it on the
// way. Past max bytes, or on any failure, nothing is left behind. Errors:
// ETooLarge past max; the reader's own *intake.Error as is (a fetcher's
// ETooLarge or EInvalid); EInvalid for other read failures.
func (d *Dir) Stage(ctx context.Context, r io.Reader, max int64) (_ *intake.Blob, err error) {
	key, err := NewKey()
	if err != nil {
		return nil, err
	}
	// Written in place, not under a temporary name renamed once whole: a
	// file a crash cuts short has no row, which commits only after Stage
	// returns, so Recover deletes it like any unreferenced staged blob; and
	// nothing opens a key before Stage hands it out.
	name := path.Join(stagingDir, key)
	staging, err := d.dir(stagingDir)
	if err != nil {
		return nil, fmt.Errorf("blob: stage: %w", err)
	}
	var fd int
	err = atDir(staging, func(dir int) (err error) {
		fd, err = unix.Openat(dir, key, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("blob: stage: %w", &fs.PathError{Op: "openat", Path: name, Err: err})
	}
	f := os.NewFile(uintptr(fd), name)
	defer func() {
		if err != nil {
			f.Close()
			d.root.Remove(name)
		}
	}()

	meter := NewMeter(ctx, r, max)
	defer meter.Release()
	if err := copyInBlocks(f, meter); err != nil {
		return nil, meter.Err("blob: stage", err)
	}
	if err := f.Sync(); err != nil {
		return nil, fmt.Errorf("blob: stage: sync: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("blob: stage: close: %w", err)
	}
	// The name, not only the bytes, must be durable before a row points
	// at it.
	if err := d.syncDir(stagingDir); err != nil {
		return nil, err
	}
	return meter.Blob(key), nil
}

// Commit publishes a staged blob. Committing a committed blob is a no-op.
// The move is not durable when Commit returns, as intake.BlobStore allows:
// after a crash the blob may be found staged again, and Recover publishes
// it. Errors: ENotFound if the key is neither staged nor committed.
func (d *Dir) Commit(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return intake.Errorf(intake.ENotFound, "file not found")
	}
	shard, err := d.shard(key[:2])
	if err != nil {
		return err
	}
	staging, err := d.dir(stagingDir)
	if err != nil {
		return fmt.Errorf("blob: commit: %w", err)
	}
	dst := path.Join(committedDir, key[:2], key)
	err = atDir(staging, func(from int) error {
		return atDir(shard, func(to int) error { return unix.Renameat(from, key, to, key) })
	})
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("blob: commit: %w", &os.LinkError{Op: "renameat", Old: path.Join(stagingDir, key), New: dst, Err: err})
		}
		if _, serr := d.root.Stat(dst); serr != nil {
			return intake.WrapError(intake.ENotFound, err, "file not found")
		}
		return nil
	}
	// Neither directory is fsync'd. The row committed before this rename,
	// so a crash during it must already leave the blob, durable since
	// Stage, under one of its two names (rename is atomic on the journaled
	// file systems we run on); under staging/ with its row, Recover
	// publishes it before the next start serves, and Open reads staging/
	// meanwhile. Fsyncing here only shortened the time a power loss could
	// put it back in staging/, at two fsyncs on every answer's path.
	return nil
}

// stageBlock is the size of Stage's writes: a résumé of a few hundred KB
// goes to its file in one or two write calls rather than one per 32 KiB
// (io.Copy's buffer), each call's fixed cost paid once.
const stageBlock = 256 << 10

var stageBuffers = sync.Pool{New: func() any { b := make([]byte, stageBlock); return &b }}

// copyInBlocks copies r to f, filling a whole block before each write.
func copyInBlocks(f *os.File, r io.Reader) error {
	bp := stageBuffers.Get().(*[]byte)
	defer stageBuffers.Put(bp)
	buf := *bp
	for {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			if _, err := f.Write(buf[:n]); err != nil {
				return err
			}
		}
		switch rerr {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			return nil
		default:
			return rerr
		}
	}
}

// shard returns the open directory committed/<name>, creating it on first
// use. A new shard's entry is made durable before any blob is moved into
// it: a crash could otherwise lose the directory, blobs and all.
func (d *Dir) shard(name string) (*os.File, error) {
	dir := path.Join(committedDir, name)
	d.mu.Lock()
	f := d.dirs[dir]
	d.mu.Unlock()
	if f != nil {
		return f, nil
	}
	if err := d.root.Mkdir(dir, 0o700); err == nil {
		if err := d.syncDir(committedDir); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("blob: commit: %w", err)
	}
	f, err := d.dir(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: commit: %w", err)
	}
	return f, nil
}

// Discard deletes a blob, staged or committed. Unknown keys are ignored.
func (d *Dir) Discard(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return nil
	}
	for _, name := range []string{path.Join(stagingDir, key), path.Join(committedDir, key[:2], key)} {
		if err := d.root.Remove(name); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return fmt.Errorf("blob: discard: %w", err)
		}
		if err := d.syncDir(path.Dir(name)); err != nil {
			return err
		}
	}
	return nil
}

// Open reads a committed or staged blob. Errors: ENotFound.
func (d *Dir) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if !ValidKey(key) {
		return nil, intake.Errorf(intake.ENotFound, "file not found")
	}
	// Committed first, where nearly every read finds it; committed again
	// last, in case a concurrent Commit moved it after the first look.
	committed := path.Join(committedDir, key[:2], key)
	for _, name := range []string{committed, path.Join(stagingDir, key), committed} {
		f, err := d.root.Open(name)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("blob: open: %w", err)
		}
	}
	return nil, intake.Errorf(intake.ENotFound, "file not found")
}

// Recover settles what a crash left in staging: blobs that referenced
// reports as in use are committed, the others deleted, among them any file
// a crash cut short (no row points at one) and tmp- files of earlier
// versions. Files that are neither keys nor ours are left alone. It must run
// before any Stage, whose files it would take for leftovers.
func (d *Dir) Recover(ctx context.Context, referenced func(ctx context.Context, keys []string) (map[string]bool, error)) error {
	dir, err := d.root.Open(stagingDir)
	if err != nil {
		return fmt.Errorf("blob: recover: %w", err)
	}
	entries, err := dir.ReadDir(-1)
	dir.Close()
	if err != nil {
		return fmt.Errorf("blob: recover: %w", err)
	}
	var keys []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case ValidKey(name):
			keys = append(keys, name)
		case strings.HasPrefix(name, tmpPrefix) && ValidKey(strings.TrimPrefix(name, tmpPrefix)):
			if err := d.root.Remove(path.Join(stagingDir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("blob: recover: %w", err)
			}
		}
	}
	for batch := range chunks(keys, recoverBatch) {
		if err := ctx.Err(); err != nil {
			return err
		}
		used, err := referenced(ctx, batch)
		if err != nil {
			return fmt.Errorf("blob: recover: %w", err)
		}
		for _, key := range batch {
			if used[key] {
				err = d.Commit(ctx, key)
			} else {
				err = d.Discard(ctx, key)
			}
			if err != nil {
				return fmt.Errorf("blob: recover %s: %w", key, err)
			}
		}
	}
	return d.syncDir(stagingDir)
}

func chunks(keys []string, n int) func(yield func([]string) bool) {
	return func(yield func([]string) bool) {
		for len(keys) > 0 {
			end := min(n, len(keys))
			if !yield(keys[:end]) {
				return
			}
			keys = keys[end:]
		}
	}
}

// syncDir makes renames, creations and removals in name durable: a 2xx
// promises the bytes survive a power loss. Concurrent callers share the
// fsyncs of a directory (dirSync), each still covered by one that started
// after its change.
func (d *Dir) syncDir(name string) error {
	d.mu.Lock()
	s := d.syncs[name]
	if s == nil {
		s = &dirSync{fsync: func() error { return d.fsync(name) }}
		d.syncs[name] = s
	}
	d.mu.Unlock()
	return s.Sync()
}

func (d *Dir) fsyncDir(name string) error {
	f, err := d.dir(name)
	if err != nil {
		return fmt.Errorf("blob: sync %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("blob: sync %s: %w", name, err)
	}
	return nil
}
