package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
)

// Snapshot describes a database copy made by Backup.
type Snapshot struct {
	// Applications is the number of application rows (candidates).
	Applications int
	// Documents lists every document row, by blob key: the blobs a
	// restore of the copy needs.
	Documents []SnapshotDocument
}

// SnapshotDocument is one document row of a snapshot.
type SnapshotDocument struct {
	BlobKey string
	SHA256  string // hex
	Size    int64
}

// backuper is the modernc.org/sqlite connection's online backup API.
type backuper interface {
	NewBackup(dstURI string) (*sqlite.Backup, error)
}

// Backup writes a consistent copy of the database to path while the store,
// and other processes sharing the file, go on writing: the copy holds every
// transaction committed before it started and none after. path must not
// exist. The copy is one self-contained file in rollback-journal mode (no
// -wal beside it), fsync'd with its directory; a Store opening it switches
// it back to WAL. It returns what the copy holds, read from the copy.
func (s *Store) Backup(ctx context.Context, path string) (*Snapshot, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("sqlite: backup: %s already exists", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("sqlite: backup: %w", err)
	}
	conn, err := s.rdb.Conn(ctx)
	if err != nil {
		return nil, s.readError(err, "database")
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		src, ok := dc.(backuper)
		if !ok {
			return errors.New("driver connection has no backup API")
		}
		b, err := src.NewBackup(path)
		if err != nil {
			return err
		}
		// One step of all pages runs under a single read transaction on
		// the source: the copy is the database as of one commit. Smaller
		// steps would restart whenever another process writes.
		for more := true; more; {
			if more, err = b.Step(-1); err != nil {
				return errors.Join(err, b.Finish())
			}
		}
		dst, err := b.Commit()
		if err != nil {
			return err
		}
		ex, ok := dst.(driver.ExecerContext)
		if !ok {
			dst.Close()
			return errors.New("driver connection cannot execute statements")
		}
		// The source's WAL mode travels in the header of page 1; a backup
		// is to be one file that can be copied, checked and moved alone.
		_, err = ex.ExecContext(ctx, "PRAGMA journal_mode = DELETE", nil)
		return errors.Join(err, dst.Close())
	})
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("sqlite: backup to %s: %w", path, err)
	}
	if err := syncFile(path); err != nil {
		return nil, fmt.Errorf("sqlite: backup: %w", err)
	}
	return ReadSnapshot(ctx, path)
}

// ReadSnapshot opens a copy made by Backup without changing it and
// describes it. Errors: the file is missing or not an intake database.
func ReadSnapshot(ctx context.Context, path string) (*Snapshot, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("sqlite: snapshot: %w", err)
	}
	base, err := sqlite.NewConnector(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: snapshot: %w", err)
	}
	db := sql.OpenDB(connector{Connector: base, pragmas: []string{"query_only = ON"}})
	defer db.Close()
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("sqlite: snapshot %s: %w", path, err)
	}
	defer tx.Rollback()
	var snap Snapshot
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM applications`).Scan(&snap.Applications); err != nil {
		return nil, fmt.Errorf("sqlite: snapshot %s: %w", path, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT blob_key, sha256, size FROM documents ORDER BY blob_key`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: snapshot %s: %w", path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var d SnapshotDocument
		if err := rows.Scan(&d.BlobKey, &d.SHA256, &d.Size); err != nil {
			return nil, fmt.Errorf("sqlite: snapshot %s: %w", path, err)
		}
		snap.Documents = append(snap.Documents, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: snapshot %s: %w", path, err)
	}
	return &snap, nil
}

// syncFile fsyncs a file and the directory holding its name.
func syncFile(path string) error {
	for _, p := range []string{path, filepath.Dir(path)} {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}
