// Package sqlite implements intake.Store on one SQLite file with the pure-Go
// driver modernc.org/sqlite.
//
// Writes go through a single writer goroutine that owns the only write
// connection and commits queued operations together (group commit): one
// transaction per batch, each operation isolated (writer.go), and one fsync
// for every batch committed while the previous fsync ran (walsync.go). Reads use a pool of other connections, which WAL lets run
// alongside the writer.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"

	"intake"
)

// Store is an intake.Store backed by a SQLite database file. It is safe for
// concurrent use. Open it with Open and release it with Close.
type Store struct {
	wdb    *sql.DB // one connection, owned by the writer goroutine
	rdb    *sql.DB // readers
	cdb    *sql.DB // one connection, for checkpoints
	ckpt   *checkpointer
	w      *writer
	r      readStmts
	closed atomic.Bool
	once   sync.Once
	err    error
}

var _ intake.Store = (*Store)(nil)

// Open opens (creating if needed) the database file at path, applies pending
// migrations and starts the writer. ctx bounds the opening only.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	cfg := config{
		maxBatch:    128,
		readers:     max(4, 2*runtime.GOMAXPROCS(0)),
		busyTimeout: 5 * time.Second,

		walRestartSize:  walRestartSize,
		checkpointEvery: checkpointEvery,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlite: invalid database path %q", path)
	}
	base, err := sqlite.NewConnector(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	pragmas := []string{
		// busy_timeout first: the pragmas after it, journal_mode in
		// particular, take locks and must wait for another connection or
		// process instead of failing with SQLITE_BUSY.
		fmt.Sprintf("busy_timeout = %d", cfg.busyTimeout.Milliseconds()),
		"journal_mode = WAL",
		"foreign_keys = ON",
		// FULL syncs the WAL at every commit. NORMAL syncs only at
		// checkpoints and can lose the last commits on power loss, yet a
		// 2xx tells the client its candidate is stored: a commit that
		// returned must be on disk.
		"synchronous = FULL",
	}
	s := &Store{}
	// The writer never checkpoints: SQLite would do it inside a commit,
	// holding every queued write behind it. A checkpointer on its own
	// connection does it in the background instead. Nor does the writer
	// fsync: its COMMIT only writes the WAL, and the WAL syncer fsyncs it
	// before any caller is answered (walsync.go says why that keeps FULL's
	// promise). Statement journals stay in memory (temp_store): the
	// triggers that keep the search tags and chart counters make every
	// insert of a batched commit open one, and on disk each cost a
	// temporary file's writes (27 % of a create's CPU). They only undo a
	// failed statement inside its transaction; the WAL keeps durability.
	s.wdb = sql.OpenDB(connector{Connector: base, pragmas: append(pragmas[:len(pragmas):len(pragmas)],
		"wal_autocheckpoint = 0", "synchronous = NORMAL", "temp_store = MEMORY")})
	s.wdb.SetMaxOpenConns(1)
	s.wdb.SetMaxIdleConns(1)
	// query_only on readers: a write sneaking onto the read path fails at
	// once instead of taking the write lock behind the writer's back.
	s.rdb = sql.OpenDB(connector{Connector: base, pragmas: append(pragmas[:len(pragmas):len(pragmas)], "query_only = ON")})
	s.rdb.SetMaxOpenConns(cfg.readers)
	s.rdb.SetMaxIdleConns(cfg.readers)
	s.cdb = sql.OpenDB(connector{Connector: base, pragmas: pragmas})
	s.cdb.SetMaxOpenConns(1)
	s.cdb.SetMaxIdleConns(1)

	conn, err := s.wdb.Conn(ctx)
	if err == nil {
		err = migrate(ctx, conn)
	}
	if err == nil {
		s.w, err = newWriter(ctx, conn, path, cfg)
	}
	if err == nil {
		err = s.r.prepare(ctx, s.rdb)
	}
	if err == nil {
		s.ckpt = startCheckpointer(s.cdb, cfg.checkpointEvery, cfg.walRestartSize, s.w.requestRestart, s.w.restartPending)
	}
	if err != nil {
		if s.w != nil {
			s.w.close()
			s.w.closeStmts()
		}
		if conn != nil {
			conn.Close()
		}
		s.r.close()
		s.rdb.Close()
		s.wdb.Close()
		s.cdb.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return s, nil
}

// Close waits for queued writes to commit, then closes every connection.
// Later calls return the first call's result; every method of a closed
// Store fails with EUnavailable.
func (s *Store) Close() error {
	s.once.Do(func() {
		s.closed.Store(true)
		s.w.close()
		s.ckpt.stop()
		s.err = errors.Join(s.w.closeStmts(), s.r.close(), s.w.conn.Close(), s.rdb.Close(), s.wdb.Close(), s.cdb.Close())
	})
	return s.err
}

// Ping reports whether the database answers a query. Errors: EUnavailable.
func (s *Store) Ping(ctx context.Context) error {
	if s.closed.Load() {
		return errClosed
	}
	if err := s.w.sync.err(); err != nil {
		return notDurable(err)
	}
	var one int
	if err := s.r.ping.QueryRowContext(ctx).Scan(&one); err != nil {
		return intake.WrapError(intake.EUnavailable, err, "database unavailable")
	}
	return nil
}

// connector runs the store's pragmas, in order, on every new connection.
// The driver's _pragma DSN parameter would sort them by name.
type connector struct {
	driver.Connector
	pragmas []string
}

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	ex, ok := conn.(driver.ExecerContext)
	if !ok {
		conn.Close()
		return nil, errors.New("sqlite: driver connection cannot execute statements")
	}
	for _, p := range c.pragmas {
		if _, err := ex.ExecContext(ctx, "PRAGMA "+p, nil); err != nil {
			conn.Close()
			return nil, fmt.Errorf("PRAGMA %s: %w", p, err)
		}
	}
	return conn, nil
}
