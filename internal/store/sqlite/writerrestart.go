package sqlite

import (
	"fmt"
	"time"
)

// requestRestart asks the writer for a RESTART checkpoint between two
// batches (see startCheckpointer).
func (w *writer) requestRestart() { w.restartAsked.Store(int64(time.Since(writerEpoch)) + 1) }

// restartPending reports whether a restart asked for less than
// maxRestartPause ago has not ended yet. A PASSIVE checkpoint running
// meanwhile would make the RESTART wait for it, and perhaps give up and
// back off. The bound is for an idle writer, which takes no batch and so
// runs no restart: the WAL must still be checkpointed then.
func (w *writer) restartPending() bool {
	asked := w.restartAsked.Load()
	return asked != 0 && time.Since(writerEpoch)-time.Duration(asked) < maxRestartPause
}

// writerEpoch makes restart request times monotonic durations.
var writerEpoch = time.Now()

// maxRestartPause bounds how long the checkpointer holds back for a
// restart it asked for.
const maxRestartPause = time.Second

// restart copies what is left of the WAL into the database, syncs it and
// waits for readers of older snapshots, so that the next transaction
// writes the WAL from its start. The writer holds no transaction here, and
// the batches still waiting for their sync lose nothing: the checkpoint
// syncs the WAL before copying it.
//
// It waits at most restartWait for readers, not the connection's busy
// timeout: a long read (a backup holds one for its whole copy) would
// otherwise stop every write for seconds. A restart that gives up is tried
// again after the next checkpoint.
func (w *writer) restart() {
	ctx := w.tx.ctx
	start := time.Now()
	ok := false
	if w.onRestart != nil {
		defer func() { w.onRestart(ok, time.Since(start)) }()
	}
	if _, err := w.conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", restartWait.Milliseconds())); err != nil {
		return
	}
	var busy, frames, copied int
	err := w.conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(RESTART)").Scan(&busy, &frames, &copied)
	if ok = err == nil && busy == 0; !ok {
		// A reader holds the WAL (a backup's copy, say): asking again at
		// every checkpoint would cost the writer 20 ms four times a second.
		w.noRestartUntil = time.Now().Add(restartBackoff)
	}
	// Should this fail the connection would keep the short timeout: BEGIN
	// IMMEDIATE would then give up sooner on another process's lock, and
	// that op would fail as unavailable. Nothing is lost.
	_, _ = w.conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", w.busyTimeout.Milliseconds()))
}
