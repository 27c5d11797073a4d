package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// manifestName is the file a backup is described by, written last.
const manifestName = "manifest.json"

// backupFormat names the layout of a backup directory.
const backupFormat = "intake-backup/1"

// manifest describes a backup: what it holds and every file's checksum.
type manifest struct {
	Format     string         `json:"format"`
	CreatedAt  time.Time      `json:"created_at"`
	Source     string         `json:"source"`
	Candidates int            `json:"candidates"`
	Documents  int            `json:"documents"`
	Blobs      int            `json:"blobs"`
	Bytes      int64          `json:"bytes"`
	Files      []manifestFile `json:"files"`
}

// manifestFile is one file of a backup, by its slash path inside it.
type manifestFile struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// backupPath accepts only the paths a backup holds, so that a tampered
// manifest cannot make restore write outside the data directory.
var backupPath = regexp.MustCompile(`^(intake\.db|download\.key|files/committed/[0-9a-f]{2}/[0-9a-f]{32})$`)

func readManifest(dir string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		return nil, fmt.Errorf("%s is not a complete backup: %w", dir, err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if m.Format != backupFormat {
		return nil, fmt.Errorf("manifest: format %q, want %q", m.Format, backupFormat)
	}
	seen := map[string]bool{}
	for _, f := range m.Files {
		if !backupPath.MatchString(f.Path) || seen[f.Path] {
			return nil, fmt.Errorf("manifest: unexpected file %q", f.Path)
		}
		seen[f.Path] = true
	}
	if !seen["intake.db"] {
		return nil, errors.New("manifest: no database")
	}
	return &m, nil
}

func writeManifest(dir string, m *manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	_, err = writeFile(dir, manifestName, strings.NewReader(string(b)+"\n"))
	return err
}
