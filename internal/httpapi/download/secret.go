package download

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// LoadOrCreateSecret returns the signing secret kept in the file at path,
// first creating it with SecretLen random bytes (mode 0600, made durable)
// if it does not exist. Restarts thus keep issued URLs valid; deleting the
// file revokes them all. A file shorter than SecretLen is an error.
func LoadOrCreateSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if len(b) < SecretLen {
			return nil, fmt.Errorf("download: secret %s: %d bytes, want at least %d", path, len(b), SecretLen)
		}
		return b, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("download: secret: %w", err)
	}

	secret := make([]byte, SecretLen)
	rand.Read(secret)
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".secret-*")
	if err != nil {
		return nil, fmt.Errorf("download: secret: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(secret); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("download: secret: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("download: secret: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("download: secret: %w", err)
	}
	// A link, unlike a rename, fails if another process created the file
	// meanwhile; its secret then wins so both agree.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return LoadOrCreateSecret(path)
		}
		return nil, fmt.Errorf("download: secret: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return nil, err
	}
	return secret, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("download: secret: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("download: secret: %w", err)
	}
	return nil
}
