package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"intake"
	"intake/internal/filestore/blob"
	"intake/internal/filestore/s3blob"
	"intake/internal/httpapi/download"
	"intake/internal/store/postgres"
	"intake/internal/store/sqlite"
)

// openStore opens the store the configuration names: PostgreSQL when a
// database URL is given, else the SQLite file in the data dir (with opts).
func openStore(ctx context.Context, cfg Config, opts ...sqlite.Option) (intake.Store, error) {
	if cfg.DatabaseURL != "" {
		return postgres.Open(ctx, cfg.DatabaseURL)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	return sqlite.Open(ctx, filepath.Join(cfg.DataDir, "intake.db"), opts...)
}

// openBlobs opens the file store: an S3-compatible bucket when --blob-url
// is given, else the data dir's files/ folder. It returns the store and how
// to close it.
func openBlobs(ctx context.Context, cfg Config) (intake.BlobStore, func() error, error) {
	if cfg.BlobURL == "" {
		dir, err := blob.OpenDir(filepath.Join(cfg.DataDir, "files"))
		if err != nil {
			return nil, nil, err
		}
		return dir, dir.Close, nil
	}
	s3cfg, err := s3blob.ParseURL(cfg.BlobURL)
	if err != nil {
		return nil, nil, err
	}
	// Credentials only from the environment: flags show in process lists.
	s3cfg.AccessKey = os.Getenv("INTAKE_S3_ACCESS_KEY")
	s3cfg.SecretKey = os.Getenv("INTAKE_S3_SECRET_KEY")
	bucket, err := s3blob.Open(ctx, s3cfg)
	if err != nil {
		return nil, nil, err
	}
	return bucket, func() error { return nil }, nil
}

// fileURLSecret returns the key signing download URLs: --file-url-secret
// when given (processes sharing a database must share it), else a key
// generated once into the data dir.
func fileURLSecret(cfg Config) ([]byte, error) {
	if cfg.FileURLSecret == "" {
		return download.LoadOrCreateSecret(filepath.Join(cfg.DataDir, "download.key"))
	}
	secret, err := hex.DecodeString(cfg.FileURLSecret)
	if err != nil || len(secret) < download.SecretLen {
		return nil, fmt.Errorf("--file-url-secret: want at least %d bytes in hex (e.g. openssl rand -hex 32)", download.SecretLen)
	}
	return secret, nil
}
