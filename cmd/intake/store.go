package main

import (
	"context"
	"os"
	"path/filepath"

	"intake"
	"intake/sqlite"
)

// openStore opens the store the configuration names: PostgreSQL when a
// database URL is given, else the SQLite file in the data dir.
func openStore(ctx context.Context, cfg Config) (intake.Store, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	return sqlite.Open(ctx, filepath.Join(cfg.DataDir, "intake.db"))
}
