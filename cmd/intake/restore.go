package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"intake/internal/store/sqlite"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"
)

// runRestore rebuilds a data directory from a backup. It refuses a
// non-empty data directory unless --force, which moves the old one aside.
// Every file is checked against the manifest, and every document row of
// the database against the files, while being copied into a temporary
// directory beside the data directory; only a complete, verified copy is
// renamed into place.
func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("intake restore", flag.ContinueOnError)
	flags.SetOutput(stderr)
	var dataDir, from string
	flags.StringVar(&dataDir, "data", "./data", "data directory to restore into (stop its server first)")
	flags.StringVar(&from, "from", "", "backup directory made by intake backup")
	force := flags.Bool("force", false, "replace a non-empty data directory (it is moved aside, not deleted)")
	if _, err := parseFlags(flags, args, "data"); err != nil {
		return err
	}
	if from == "" || flags.NArg() > 0 {
		fmt.Fprint(stderr, backupUsage)
		return fmt.Errorf("%w: restore needs --from DIR and no arguments", errUsage)
	}
	start := time.Now()
	m, err := readManifest(from)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	occupied := requireEmpty(dataDir) != nil
	if occupied && !*force {
		return fmt.Errorf("restore: %s is not empty; stop its server and pass --force to replace it", dataDir)
	}
	parent := filepath.Dir(filepath.Clean(dataDir))
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dataDir)+".restore-")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	files := map[string]manifestFile{}
	for _, want := range m.Files {
		got, err := copyFile(filepath.Join(from, filepath.FromSlash(want.Path)), tmp, want.Path)
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if got != want {
			return fmt.Errorf("restore: %s does not match the manifest (%d bytes sha256 %s, manifest says %d bytes sha256 %s)",
				want.Path, got.Size, got.SHA256, want.Size, want.SHA256)
		}
		files[want.Path] = got
	}
	snap, err := sqlite.ReadSnapshot(ctx, filepath.Join(tmp, "intake.db"))
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if snap.Applications != m.Candidates || len(snap.Documents) != m.Documents {
		return fmt.Errorf("restore: database holds %d candidates and %d documents, manifest says %d and %d",
			snap.Applications, len(snap.Documents), m.Candidates, m.Documents)
	}
	for _, d := range snap.Documents {
		f, ok := files[path.Join("files", "committed", d.BlobKey[:min(2, len(d.BlobKey))], d.BlobKey)]
		if !ok || f.SHA256 != d.SHA256 || f.Size != d.Size {
			return fmt.Errorf("restore: the backup lacks the file of document %s, or it does not match its row", d.BlobKey)
		}
	}
	for _, sub := range []string{"files/staging", "files/committed"} {
		if err := os.MkdirAll(filepath.Join(tmp, filepath.FromSlash(sub)), 0o700); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := syncTree(tmp); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if occupied {
		aside := fmt.Sprintf("%s.replaced-%s", filepath.Clean(dataDir), time.Now().UTC().Format("20060102T150405Z"))
		if err := os.Rename(dataDir, aside); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		fmt.Fprintf(stdout, "moved the previous data directory to %s\n", aside)
	}
	if err := replaceEmpty(tmp, dataDir); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	done = true
	fmt.Fprintf(stdout, "restored %s into %s: %d candidates, %d documents, %d files, %d bytes verified in %s\n",
		from, dataDir, m.Candidates, m.Documents, len(m.Files), m.Bytes, time.Since(start).Round(time.Millisecond))
	return nil
}

// requireEmpty fails unless dir is missing or an empty directory.
func requireEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty", dir)
	}
	return nil
}

// replaceEmpty renames dir to dst, which must be missing or empty, and
// makes the rename durable.
func replaceEmpty(dir, dst string) error {
	if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", dst, err)
	}
	if err := os.Rename(dir, dst); err != nil {
		return err
	}
	return syncDir(filepath.Dir(filepath.Clean(dst)))
}
