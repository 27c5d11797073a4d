package sqlite

import (
	"context"
	"database/sql"
	"os"
	"time"
)

// checkpointEvery is how often the WAL is copied back into the database
// file. At a few thousand creates per second the WAL then stays within a
// few megabytes.
const checkpointEvery = 250 * time.Millisecond

// checkpointer runs PASSIVE checkpoints on its own connection: they never
// wait for the writer nor make it wait, unlike the automatic checkpoint,
// which SQLite runs inside the commit that crosses its threshold.
type checkpointer struct {
	done    chan struct{}
	stopped chan struct{}
}

// walRestartSize is the WAL file size past which the writer is asked to
// restart the WAL (see startCheckpointer).
const walRestartSize = 64 << 20

// startCheckpointer checkpoints every tick. PASSIVE checkpoints copy the WAL
// into the database but never make SQLite write the WAL from its start
// again: that happens only when a write transaction begins with the whole
// WAL copied, which a writer that commits every few milliseconds never
// leaves time for. The WAL would grow without end. So once the file passes
// walRestartSize, the checkpointer catches up once more and then calls
// restart, which asks the writer to run a RESTART checkpoint between two
// batches: it only has the last few milliseconds of frames left to copy.
func startCheckpointer(db *sql.DB, every time.Duration, wal string, restartSize int64, restart func()) *checkpointer {
	c := &checkpointer{done: make(chan struct{}), stopped: make(chan struct{})}
	passive := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		// A failed checkpoint is retried at the next tick; the WAL only
		// grows meanwhile.
		_, _ = db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
	}
	go func() {
		defer close(c.stopped)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-c.done:
				return
			case <-tick.C:
				passive()
				if fi, err := os.Stat(wal); err == nil && fi.Size() > restartSize {
					passive()
					restart()
				}
			}
		}
	}()
	return c
}

// stop waits for a running checkpoint to end.
func (c *checkpointer) stop() {
	if c == nil {
		return
	}
	close(c.done)
	<-c.stopped
}
