package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// op is one write waiting for the writer. Ops are pooled so that a write
// allocates neither the op nor its answer channel.
type op struct {
	ctx context.Context
	fn  func(*wtx) error
	// replayable ops may run twice: fn's only effects are its statements
	// and fields it sets afresh on each run. See execBatch.
	replayable bool
	res        chan result
}

type result struct {
	err   error
	panic any
}

var opPool = sync.Pool{New: func() any { return &op{res: make(chan result, 1)} }}

// batch is the ops of one transaction and their outcomes. It goes from the
// writer, which runs and commits it, to the WAL syncer, which answers its
// callers once the commit is on disk, then back to the writer's free list.
type batch struct {
	ops  []*op
	res  []result
	exec time.Duration // BEGIN to the end of COMMIT
}

// inFlight is how many committed batches may wait for their WAL sync while
// the writer runs the next one. One sync covers all that are waiting, so a
// few are enough; when they are all waiting the writer waits too, and ops
// pile up into a bigger next batch.
const inFlight = 4

// writer owns the write connection. It takes queued ops and runs as many as
// are waiting, up to maxBatch, in one transaction, commits once and hands
// the batch to the WAL syncer: under load, one fsync serves whole batches,
// and the writer runs the next batch while the previous one is synced.
type writer struct {
	conn      *sql.Conn
	st        writeStmts
	tx        wtx
	ops       chan *op
	mu        sync.RWMutex // orders sends on ops before close(ops)
	closed    bool
	done      chan struct{}
	maxBatch  int
	onCommit  func(batch int, d time.Duration)
	onRestart func(ok bool, d time.Duration)
	sync      *walSyncer
	free      chan *batch
	// optimistic: run the next batch without savepoints (see execBatch).
	optimistic bool
	// restartAsked, when not zero, asks for a RESTART checkpoint before
	// the next batch; it holds when it was asked (since writerEpoch) and
	// stays set until that restart is over, so that the checkpointer can
	// hold back its PASSIVE checkpoints meanwhile (restartPending).
	restartAsked   atomic.Int64
	noRestartUntil time.Time // after a restart that gave up
	busyTimeout    time.Duration
	prepared       []*sql.Stmt
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
	insertPerson                   *sql.Stmt
	upsertPerson, updatePerson     *sql.Stmt
	insertApp, existingReference   *sql.Stmt
	appByReference, updateApp      *sql.Stmt
	upsertDocument, deleteDocument *sql.Stmt
	insertMove                     *sql.Stmt
	insertKey, revokeKey           *sql.Stmt
	insertEvent                    *sql.Stmt
	finishDelivery, insertAttempt  *sql.Stmt
}

func newWriter(ctx context.Context, conn *sql.Conn, dbPath string, cfg config) (*writer, error) {
	w := &writer{
		conn: conn,
		// Room for the batch being filled while the previous one commits.
		ops:        make(chan *op, 2*cfg.maxBatch),
		done:       make(chan struct{}),
		maxBatch:   cfg.maxBatch,
		onCommit:   cfg.onCommit,
		onRestart:  cfg.onRestart,
		free:       make(chan *batch, inFlight),
		optimistic: true,

		busyTimeout: cfg.busyTimeout,
	}
	for range inFlight {
		w.free <- &batch{ops: make([]*op, 0, cfg.maxBatch), res: make([]result, cfg.maxBatch)}
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
		{&w.st.insertPerson, insertPersonSQL},
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
		{&w.st.insertEvent, insertEventSQL},
		{&w.st.finishDelivery, finishDeliverySQL},
		{&w.st.insertAttempt, insertAttemptSQL},
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
	w.sync = newWALSyncer(dbPath, inFlight, w.answer, cfg.onWALSync)
	go w.run()
	return w, nil
}

// do queues fn and waits for its batch to commit. It gives up with
// EUnavailable if ctx ends before fn is run; once fn has run, do waits for
// the commit so that its answer is the truth. A panic in fn is re-raised
// here, on the caller's goroutine.
func (w *writer) do(ctx context.Context, fn func(*wtx) error) error {
	return w.enqueue(ctx, fn, false)
}

// doReplayable is do for an fn that may safely run twice in a row (see
// op.replayable): such ops can share a transaction without savepoints.
func (w *writer) doReplayable(ctx context.Context, fn func(*wtx) error) error {
	return w.enqueue(ctx, fn, true)
}

func (w *writer) enqueue(ctx context.Context, fn func(*wtx) error, replayable bool) error {
	if err := ctx.Err(); err != nil {
		return storeError(err, "")
	}
	o := opPool.Get().(*op)
	o.ctx, o.fn, o.replayable = ctx, fn, replayable
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
		if w.restartAsked.Load() != 0 {
			if time.Now().After(w.noRestartUntil) {
				w.restart()
			}
			w.restartAsked.Store(0)
		}
		b := <-w.free
		b.ops = append(b.ops[:0], o)
	fill:
		for len(b.ops) < w.maxBatch {
			select {
			case o, ok := <-w.ops:
				if !ok {
					break fill
				}
				b.ops = append(b.ops, o)
			default:
				break fill
			}
		}
		w.commit(b)
	}
}

// restartWait bounds how long a RESTART checkpoint holds the writer while
// readers of older snapshots finish; after one that gave up, the writer
// ignores restart requests for restartBackoff.
const (
	restartWait    = 20 * time.Millisecond
	restartBackoff = 2 * time.Second
)

// commit runs and commits b, then queues it for the WAL sync, which
// answers its callers. A batch that did not commit is answered at once:
// there is nothing of it to make durable.
func (w *writer) commit(b *batch) {
	start := time.Now()
	res := b.res[:len(b.ops)]
	clear(res)
	err := w.sync.err()
	if err != nil {
		err = notDurable(err)
	} else if err = w.execBatch(b.ops, res); err == nil {
		_, err = w.st.commit.ExecContext(w.tx.ctx)
	}
	b.exec = time.Since(start)
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
		w.answer(b, nil)
		return
	}
	w.sync.queue <- b
}

// answer sends each op of b its outcome, or syncErr to those that
// succeeded when the WAL sync that was to make them durable failed, and
// returns b to the free list. It runs on the syncer goroutine for
// committed batches.
func (w *writer) answer(b *batch, syncErr error) {
	var failed error
	if syncErr != nil {
		failed = notDurable(syncErr)
	}
	// Before the answers: a caller that returned sees its commit counted.
	if w.onCommit != nil {
		w.onCommit(len(b.ops), b.exec)
	}
	for i, o := range b.ops {
		r := b.res[i]
		if failed != nil && r.err == nil && r.panic == nil {
			r.err = failed
		}
		o.res <- r
	}
	clear(b.ops)
	b.ops = b.ops[:0]
	w.free <- b
}

// execBatch runs the ops of one transaction, recording each outcome in
// res. It returns an error only when the transaction itself failed.
//
// Each op must leave no trace if it fails. A savepoint per op gives that,
// but costs: SQLite copies every page the op changes into a statement
// journal first. Ops nearly always succeed, so a batch of replayable ops
// runs without savepoints; if one fails, the whole transaction is rolled
// back and the batch run again, this time with savepoints. The next batch
// keeps the savepoints unless this one needed none (failures come in runs:
// a client resending duplicates).
func (w *writer) execBatch(ops []*op, res []result) error {
	ctx := w.tx.ctx
	if w.optimistic && allReplayable(ops) {
		if _, err := w.st.begin.ExecContext(ctx); err != nil {
			return err
		}
		if w.execPlain(ops, res) {
			return nil
		}
		// Fails when SQLite already rolled back (SQLITE_FULL, I/O errors);
		// the new BEGIN below then tells whether the database still works.
		_, _ = w.st.rollback.ExecContext(ctx)
		clear(res)
	}
	if _, err := w.st.begin.ExecContext(ctx); err != nil {
		return err
	}
	failures, err := w.execSavepoints(ops, res)
	w.optimistic = failures == 0
	return err
}

func allReplayable(ops []*op) bool {
	for _, o := range ops {
		if !o.replayable {
			return false
		}
	}
	return true
}

// execPlain runs ops one after another in the open transaction and
// reports whether they all succeeded; it stops at the first failure.
func (w *writer) execPlain(ops []*op, res []result) bool {
	for i, o := range ops {
		if err := o.ctx.Err(); err != nil {
			res[i].err = storeError(err, "")
			continue
		}
		res[i].panic, res[i].err = w.call(o)
		if res[i].err != nil || res[i].panic != nil {
			return false
		}
	}
	return true
}

// execSavepoints runs each op in its own savepoint of the open
// transaction, so that a failing op is undone alone, and returns how many
// failed.
func (w *writer) execSavepoints(ops []*op, res []result) (int, error) {
	ctx := w.tx.ctx
	failures := 0
	for i, o := range ops {
		if err := o.ctx.Err(); err != nil {
			res[i].err = storeError(err, "")
			continue
		}
		if _, err := w.st.savepoint.ExecContext(ctx); err != nil {
			return failures, err
		}
		res[i].panic, res[i].err = w.call(o)
		if res[i].err != nil || res[i].panic != nil {
			failures++
			// Fails when SQLite already rolled the whole transaction
			// back (SQLITE_FULL, I/O errors): then the batch is lost.
			if _, err := w.st.undo.ExecContext(ctx); err != nil {
				return failures, errors.Join(res[i].err, err)
			}
		}
		if _, err := w.st.release.ExecContext(ctx); err != nil {
			return failures, err
		}
	}
	return failures, nil
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
	_ = w.sync.close()
}

func (w *writer) closeStmts() error {
	var errs []error
	for _, st := range w.prepared {
		errs = append(errs, st.Close())
	}
	return errors.Join(errs...)
}
