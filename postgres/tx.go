package postgres

import (
	"context"
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

// run runs fn on a pooled connection outside any transaction: reads, and
// writes of one statement, which commit on their own.
func (s *Store) run(ctx context.Context, fn func(q querier) error) error {
	return s.retry(ctx, func() error {
		conn, err := s.acquire(ctx)
		if err != nil {
			return err
		}
		defer conn.Release()
		return fn(conn)
	})
}

// tx runs fn in a transaction and commits it; fn may run several times, so
// it must not have side effects outside the transaction.
func (s *Store) tx(ctx context.Context, opts pgx.TxOptions, fn func(tx pgx.Tx) error) error {
	return s.retry(ctx, func() error {
		conn, err := s.acquire(ctx)
		if err != nil {
			return err
		}
		defer conn.Release()
		tx, err := conn.BeginTx(ctx, opts)
		if err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			return err
		}
		return tx.Commit(ctx)
	})
}

func (s *Store) retry(ctx context.Context, attempt func() error) error {
	backoff := 2 * time.Millisecond
	for i := 1; ; i++ {
		err := attempt()
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
