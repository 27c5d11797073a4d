package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"intake"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLock is the pg_advisory_lock key serializing migrations between
// processes opening the same database; any constant unlikely to be used by
// another application sharing the server will do.
const migrationLock int64 = 0x696e74616b65 // "intake"

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded files in version order. A file is
// NNNN_name.sql; the number is its version.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, path := range names {
		name := strings.TrimPrefix(path, "migrations/")
		num, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and '_'", name)
		}
		body, err := migrationFiles.ReadFile(path)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: version, name: name, sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share a version", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}

// migrate applies pending migrations, each in its own transaction, while
// holding a session advisory lock so that processes starting together take
// turns instead of racing on CREATE TABLE.
func (s *Store) migrate(ctx context.Context) error {
	all, err := migrations()
	if err != nil {
		return intake.WrapError(intake.EInternal, err, "invalid migrations")
	}
	pooled, err := s.acquire(ctx)
	if err != nil {
		return err
	}
	// The connection leaves the pool and is closed afterwards: ending the
	// session releases the lock whatever happened, where an unlock that
	// failed would leave a pooled connection blocking every later Open.
	conn := pooled.Hijack()
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return storeError(fmt.Errorf("lock migrations: %w", err))
	}

	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`); err != nil {
		return storeError(fmt.Errorf("create schema_migrations: %w", err))
	}
	applied := map[int]bool{}
	rows, err := conn.Query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return storeError(fmt.Errorf("read schema_migrations: %w", err))
	}
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return storeError(fmt.Errorf("read schema_migrations: %w", err))
	}
	for _, v := range versions {
		applied[v] = true
	}
	for _, m := range all {
		if applied[m.version] {
			continue
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name)
			return err
		})
		if err != nil {
			return storeError(fmt.Errorf("migration %s: %w", m.name, err))
		}
	}
	return nil
}
