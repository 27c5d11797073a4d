package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"
)

// op is one write waiting for the writer. Ops are pooled so that a write
// allocates neither the op nor its answer channel.
type op struct {
	ctx context.Context
	fn  func(*wtx) error
	res chan result
}

type result struct {
	err   error
	panic any
}

var opPool = sync.Pool{New: func() any { return &op{res: make(chan result, 1)} }}

// writer owns the write connection. It takes queued ops and runs as many as
// are waiting, up to maxBatch, in one transaction, each inside a savepoint,
// then commits once and answers them all: under load, one fsync serves a
// whole batch.
type writer struct {
	conn     *sql.Conn
	st       writeStmts
	tx       wtx
	ops      chan *op
	mu       sync.RWMutex // orders sends on ops before close(ops)
	closed   bool
	done     chan struct{}
	maxBatch int
	onCommit func(batch int, d time.Duration)
	batch    []*op
	results  []result
	prepared []*sql.Stmt
}

// wtx is what a write operation works with: the writer's connection, inside
// the batch's transaction, and its prepared statements.
type wtx struct {
	// ctx is never a caller's: cancelling a statement interrupts SQLite,
	// which then rolls back the whole transaction, other callers' work
	// included. Callers' contexts count only until their op is run.
	ctx  context.Context
	conn *sql.Conn
	st   *writeStmts
}

// writeStmts are prepared once on the write connection; the hot path then
// only binds and steps.
type writeStmts struct {
	begin, commit, rollback        *sql.Stmt
	savepoint, release, undo       *sql.Stmt
	insertIdempotency, purgeIdem   *sql.Stmt
	upsertPerson, updatePerson     *sql.Stmt
	insertApp, existingReference   *sql.Stmt
	appByReference, updateApp      *sql.Stmt
	upsertDocument, deleteDocument *sql.Stmt
	insertMove                     *sql.Stmt
	insertKey, revokeKey           *sql.Stmt
}

func newWriter(ctx context.Context, conn *sql.Conn, cfg config) (*writer, error) {
	w := &writer{
		conn: conn,
		// Room for the batch being filled while the previous one commits.
		ops:      make(chan *op, 2*cfg.maxBatch),
		done:     make(chan struct{}),
		maxBatch: cfg.maxBatch,
		onCommit: cfg.onCommit,
		batch:    make([]*op, 0, cfg.maxBatch),
		results:  make([]result, cfg.maxBatch),
	}
	w.tx = wtx{ctx: context.Background(), conn: conn, st: &w.st}
	stmts := []struct {
		dst   **sql.Stmt
		query string
	}{
		// IMMEDIATE takes the write lock at BEGIN, where busy_timeout
		// applies, rather than failing mid-batch when a deferred
		// transaction tries to upgrade while another process writes.
		{&w.st.begin, "BEGIN IMMEDIATE"},
		{&w.st.commit, "COMMIT"},
		{&w.st.rollback, "ROLLBACK"},
		{&w.st.savepoint, "SAVEPOINT op"},
		{&w.st.release, "RELEASE op"},
		{&w.st.undo, "ROLLBACK TO op"},
		{&w.st.insertIdempotency, insertIdempotencySQL},
		{&w.st.purgeIdem, purgeIdempotencySQL},
		{&w.st.upsertPerson, upsertPersonSQL},
		{&w.st.updatePerson, updatePersonSQL},
		{&w.st.insertApp, insertApplicationSQL},
		{&w.st.existingReference, existingReferenceSQL},
		{&w.st.appByReference, applicationByReferenceSQL},
		{&w.st.updateApp, updateApplicationSQL},
		{&w.st.upsertDocument, upsertDocumentSQL},
		{&w.st.deleteDocument, deleteDocumentSQL},
		{&w.st.insertMove, insertMoveSQL},
		{&w.st.insertKey, insertAPIKeySQL},
		{&w.st.revokeKey, revokeAPIKeySQL},
	}
	for _, s := range stmts {
		st, err := conn.PrepareContext(ctx, s.query)
		if err != nil {
			w.closeStmts()
			return nil, err
		}
		*s.dst = st
		w.prepared = append(w.prepared, st)
	}
	go w.run()
	return w, nil
}

// do queues fn and waits for its batch to commit. It gives up with
// EUnavailable if ctx ends before fn is run; once fn has run, do waits for
// the commit so that its answer is the truth. A panic in fn is re-raised
// here, on the caller's goroutine.
func (w *writer) do(ctx context.Context, fn func(*wtx) error) error {
	if err := ctx.Err(); err != nil {
		return storeError(err, "")
	}
	o := opPool.Get().(*op)
	o.ctx, o.fn = ctx, fn
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		w.recycle(o)
		return errClosed
	}
	select {
	case w.ops <- o:
		w.mu.RUnlock()
	case <-ctx.Done():
		w.mu.RUnlock()
		w.recycle(o)
		return storeError(ctx.Err(), "")
	}
	r := <-o.res
	w.recycle(o)
	if r.panic != nil {
		panic(r.panic)
	}
	return r.err
}

func (w *writer) recycle(o *op) {
	o.ctx, o.fn = nil, nil
	opPool.Put(o)
}

func (w *writer) run() {
	defer close(w.done)
	for o := range w.ops {
		w.batch = append(w.batch[:0], o)
	fill:
		for len(w.batch) < w.maxBatch {
			select {
			case o, ok := <-w.ops:
				if !ok {
					break fill
				}
				w.batch = append(w.batch, o)
			default:
				break fill
			}
		}
		w.commit(w.batch)
		clear(w.batch)
	}
}

func (w *writer) commit(batch []*op) {
	start := time.Now()
	res := w.results[:len(batch)]
	clear(res)
	err := w.execBatch(batch, res)
	if err == nil {
		_, err = w.st.commit.ExecContext(w.tx.ctx)
	}
	if err != nil {
		// The transaction is gone (or was never begun): every op that
		// thought it succeeded did not.
		_, _ = w.st.rollback.ExecContext(w.tx.ctx)
		err = storeError(err, "cannot commit")
		for i := range res {
			if res[i].err == nil && res[i].panic == nil {
				res[i].err = err
			}
		}
	}
	d := time.Since(start)
	for i, o := range batch {
		o.res <- res[i]
	}
	if w.onCommit != nil {
		w.onCommit(len(batch), d)
	}
}

// execBatch runs each op in its own savepoint, recording its outcome in
// res. It returns an error only when the transaction itself failed.
func (w *writer) execBatch(batch []*op, res []result) error {
	ctx := w.tx.ctx
	if _, err := w.st.begin.ExecContext(ctx); err != nil {
		return err
	}
	for i, o := range batch {
		if err := o.ctx.Err(); err != nil {
			res[i].err = storeError(err, "")
			continue
		}
		if _, err := w.st.savepoint.ExecContext(ctx); err != nil {
			return err
		}
		res[i].panic, res[i].err = w.call(o)
		if res[i].err != nil || res[i].panic != nil {
			// Fails when SQLite already rolled the whole transaction
			// back (SQLITE_FULL, I/O errors): then the batch is lost.
			if _, err := w.st.undo.ExecContext(ctx); err != nil {
				return errors.Join(res[i].err, err)
			}
		}
		if _, err := w.st.release.ExecContext(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) call(o *op) (p any, err error) {
	defer func() {
		if v := recover(); v != nil {
			p = v
		}
	}()
	return nil, o.fn(&w.tx)
}

// close stops accepting ops, lets the writer commit the queued ones, and
// waits for it to exit.
func (w *writer) close() {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	w.closed = true
	w.mu.Unlock()
	close(w.ops)
	<-w.done
}

func (w *writer) closeStmts() error {
	var errs []error
	for _, st := range w.prepared {
		errs = append(errs, st.Close())
	}
	return errors.Join(errs...)
}
