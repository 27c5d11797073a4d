package postgres

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"intake"
)

// maxAttempts bounds retries of serialization failures and deadlocks; past
// it the request answers 503 rather than spinning.
const maxAttempts = 5

// querier is what both a pooled connection and a transaction offer.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

var (
	readWrite = pgx.TxOptions{}
	// snapshot gives multi-statement reads one consistent view, such as a
	// page and its total.
	snapshot = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
)

// run runs fn on a pooled connection outside any transaction. fn must be
// idempotent (reads, or a write that is harmless twice): it is run again on
// a fresh connection when the first one turns out to be broken.
func (s *Store) run(ctx context.Context, fn func(ctx context.Context, q querier) error) error {
	return s.retry(ctx, func(ctx context.Context) error {
		conn, err := s.acquire(ctx)
		if err != nil {
			return err
		}
		defer conn.Release()
		return markBroken(ctx, fn(ctx, conn))
	})
}

// tx runs fn in a transaction and commits it; fn may run several times, so
// it must not have side effects outside the transaction.
func (s *Store) tx(ctx context.Context, opts pgx.TxOptions, fn func(ctx context.Context, tx pgx.Tx) error) error {
	return s.retry(ctx, func(ctx context.Context) error {
		conn, err := s.acquire(ctx)
		if err != nil {
			return err
		}
		defer conn.Release()
		tx, err := conn.BeginTx(ctx, opts)
		if err != nil {
			return markBroken(ctx, err)
		}
		if err := fn(ctx, tx); err != nil {
			_ = tx.Rollback(ctx)
			return markBroken(ctx, err)
		}
		// A connection lost during COMMIT leaves the outcome unknown, so
		// that error is never marked for a retry.
		return tx.Commit(ctx)
	})
}

func (s *Store) retry(ctx context.Context, attempt func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	backoff := 2 * time.Millisecond
	reconnected := false
	for i := 1; ; i++ {
		err := attempt(ctx)
		if b, ok := errors.AsType[*brokenConn](err); ok {
			if reconnected || ctx.Err() != nil {
				return storeError(b.err)
			}
			// A connection the server dropped means it restarted or the
			// network failed, and its siblings in the pool are just as
			// dead: drop them all so the retry connects afresh. If the
			// server is still down, that connect fails at once.
			s.pool.Reset()
			reconnected = true
			continue
		}
		if err == nil || i == maxAttempts || !retryable(err) || ctx.Err() != nil {
			return storeError(err)
		}
		// Jitter keeps two transactions that deadlocked from meeting again
		// in lockstep.
		wait := backoff/2 + rand.N(backoff)
		backoff *= 2
		select {
		case <-ctx.Done():
			return storeError(err)
		case <-time.After(wait):
		}
	}
}

// acquire waits for a pooled connection at most acquireTimeout even when
// ctx allows longer, so requests fail fast while the server is down.
func (s *Store) acquire(ctx context.Context) (*pgxpool.Conn, error) {
	actx, cancel := context.WithTimeout(ctx, s.acquireTimeout)
	defer cancel()
	conn, err := s.pool.Acquire(actx)
	if err != nil {
		return nil, intake.WrapError(intake.EUnavailable, err, "database unavailable")
	}
	return conn, nil
}

// brokenConn wraps a connection failure that struck before anything could
// commit: the work may be redone on another connection.
type brokenConn struct{ err error }

func (e *brokenConn) Error() string { return e.err.Error() }
func (e *brokenConn) Unwrap() error { return e.err }

// markBroken marks err as a broken connection unless the caller's context
// ended or the server answered with an error of the query itself.
func markBroken(ctx context.Context, err error) error {
	if err == nil || ctx.Err() != nil {
		return err
	}
	if _, ok := errors.AsType[*intake.Error](err); ok {
		return err
	}
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok {
		if pgErr.Code != codeAdminShutdown && pgErr.Code != codeCrashShutdown {
			return err
		}
		return &brokenConn{err: err}
	}
	if unreachable(err) {
		return &brokenConn{err: err}
	}
	return err
}
