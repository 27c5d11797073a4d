package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"intake"
	"intake/internal/filestore/blob"
	"intake/internal/store/sqlite"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

const backupUsage = `usage:
  intake backup  --to DIR [--data DIR]
  intake restore --from DIR [--data DIR] [--force]
`

// backupAttempts bounds how many database snapshots a backup takes when a
// blob its snapshot references is gone by the time it is copied (an update
// replaced the document and deleted the old file meanwhile).
const backupAttempts = 3

// runBackup copies a data directory while a server may be serving from it:
// a consistent snapshot of the database first, then the blobs that snapshot
// references (immutable once staged, read from committed or staging), all
// fsync'd, then the manifest. It builds the backup beside --to and renames
// it into place, so a backup directory with a manifest is complete.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("intake backup", flag.ContinueOnError)
	flags.SetOutput(stderr)
	var dataDir, to string
	flags.StringVar(&dataDir, "data", "./data", "data directory of the server to back up")
	flags.StringVar(&to, "to", "", "backup directory to create (must not exist, or be empty)")
	if _, err := parseFlags(flags, args, "data"); err != nil {
		return err
	}
	if to == "" || flags.NArg() > 0 {
		fmt.Fprint(stderr, backupUsage)
		return fmt.Errorf("%w: backup needs --to DIR and no arguments", errUsage)
	}
	start := time.Now()
	dbPath := filepath.Join(dataDir, "intake.db")
	if _, err := os.Stat(dbPath); err != nil {
		return fmt.Errorf("backup: no database in %s: %w", dataDir, err)
	}
	if err := requireEmpty(to); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(to)), "."+filepath.Base(to)+".tmp-")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()

	store, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer store.Close()
	blobs, err := blob.OpenDir(filepath.Join(dataDir, "files"))
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer blobs.Close()

	m := manifest{Format: backupFormat, CreatedAt: time.Now().UTC()}
	if m.Source, err = filepath.Abs(dataDir); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	snap, copied, err := snapshot(ctx, store, blobs, tmp)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	m.Candidates, m.Documents = snap.Applications, len(snap.Documents)
	// SQLite creates the copy with the umask's mode; it holds personal data.
	if err := os.Chmod(filepath.Join(tmp, "intake.db"), 0o600); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	db, err := hashFile(filepath.Join(tmp, "intake.db"), "intake.db")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	m.Files = append(m.Files, db)
	if key, err := copyFile(filepath.Join(dataDir, "download.key"), tmp, "download.key"); err == nil {
		m.Files = append(m.Files, key)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	for _, f := range copied {
		m.Files = append(m.Files, f)
		m.Blobs++
	}
	slices.SortFunc(m.Files, func(a, b manifestFile) int { return strings.Compare(a.Path, b.Path) })
	for _, f := range m.Files {
		m.Bytes += f.Size
	}
	if err := writeManifest(tmp, &m); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := syncTree(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := replaceEmpty(tmp, to); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	done = true
	fmt.Fprintf(stdout, "backup %s: %d candidates, %d documents, %d files, %d bytes in %s\n",
		to, m.Candidates, m.Documents, len(m.Files), m.Bytes, time.Since(start).Round(time.Millisecond))
	return nil
}

// snapshot copies the database into dir, then every blob the copy
// references. A blob may have been deleted after the snapshot (an update
// replaced it): then the snapshot is taken again, the blobs already copied
// kept (a key never changes content), until a snapshot's blobs are all
// there. Blobs only an earlier snapshot referenced are removed.
func snapshot(ctx context.Context, store *sqlite.Store, blobs *blob.Dir, dir string) (*sqlite.Snapshot, map[string]manifestFile, error) {
	copied := map[string]manifestFile{}
	dbPath := filepath.Join(dir, "intake.db")
	for attempt := 1; ; attempt++ {
		if err := os.Remove(dbPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, err
		}
		snap, err := store.Backup(ctx, dbPath)
		if err != nil {
			return nil, nil, err
		}
		var missing []string
		want := map[string]bool{}
		for _, d := range snap.Documents {
			want[d.BlobKey] = true
			if _, ok := copied[d.BlobKey]; ok {
				continue
			}
			f, err := copyBlob(ctx, blobs, dir, d)
			if intake.ErrorCodeOf(err) == intake.ENotFound {
				missing = append(missing, d.BlobKey)
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			copied[d.BlobKey] = f
		}
		if len(missing) == 0 {
			for key, f := range copied {
				if !want[key] {
					if err := os.Remove(filepath.Join(dir, filepath.FromSlash(f.Path))); err != nil {
						return nil, nil, err
					}
					delete(copied, key)
				}
			}
			return snap, copied, nil
		}
		if attempt == backupAttempts {
			return nil, nil, fmt.Errorf("the data directory lacks %d file(s) its database references (first: %s)", len(missing), missing[0])
		}
	}
}

// copyBlob copies one referenced blob into the backup's committed layout
// and checks it against its document row. Errors: ENotFound when the blob
// is gone from the data directory.
func copyBlob(ctx context.Context, blobs *blob.Dir, dir string, d sqlite.SnapshotDocument) (manifestFile, error) {
	rc, err := blobs.Open(ctx, d.BlobKey)
	if err != nil {
		return manifestFile{}, err
	}
	defer rc.Close()
	rel := path.Join("files", "committed", d.BlobKey[:2], d.BlobKey)
	f, err := writeFile(dir, rel, rc)
	if err != nil {
		return f, err
	}
	if f.SHA256 != d.SHA256 || f.Size != d.Size {
		return f, fmt.Errorf("file %s does not match its document row: %d bytes sha256 %s, row says %d bytes sha256 %s",
			d.BlobKey, f.Size, f.SHA256, d.Size, d.SHA256)
	}
	return f, nil
}

// copyFile copies src into dir under the slash path rel.
func copyFile(src, dir, rel string) (manifestFile, error) {
	in, err := os.Open(src)
	if err != nil {
		return manifestFile{}, err
	}
	defer in.Close()
	return writeFile(dir, rel, in)
}

// writeFile writes r to a new file at the slash path rel under dir,
// fsync'd, and returns its size and checksum. Directories are made as
// needed; syncTree makes them durable.
func writeFile(dir, rel string, r io.Reader) (manifestFile, error) {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return manifestFile{}, err
	}
	out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return manifestFile{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), r)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return manifestFile{}, fmt.Errorf("%s: %w", rel, err)
	}
	return manifestFile{Path: rel, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// hashFile returns the size and checksum of an existing file.
func hashFile(p, rel string) (manifestFile, error) {
	f, err := os.Open(p)
	if err != nil {
		return manifestFile{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return manifestFile{}, err
	}
	return manifestFile{Path: rel, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// syncTree fsyncs every directory under root, root included, so that the
// names of the fsync'd files in them survive a power loss.
func syncTree(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return syncDir(p)
		}
		return nil
	})
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
