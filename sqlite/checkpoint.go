package sqlite

import (
	"context"
	"database/sql"
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

func startCheckpointer(db *sql.DB, every time.Duration) *checkpointer {
	c := &checkpointer{done: make(chan struct{}), stopped: make(chan struct{})}
	go func() {
		defer close(c.stopped)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-c.done:
				return
			case <-tick.C:
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				// A failed checkpoint is retried at the next tick; the WAL
				// only grows meanwhile.
				_, _ = db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
				cancel()
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
