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

// walRestartSize is how much of the WAL may be in use before the writer is
// asked to restart it (see startCheckpointer).
const walRestartSize = 64 << 20

// startCheckpointer checkpoints every tick. PASSIVE checkpoints copy the WAL
// into the database but never make SQLite write the WAL from its start
// again: that happens only when a write transaction begins with the whole
// WAL copied, which a writer that commits every few milliseconds never
// leaves time for. The WAL would grow without end. So once the frames in
// use pass restartSize bytes, the checkpointer catches up once more and
// then calls restart, which asks the writer to run a RESTART checkpoint
// between two batches: it only has the last few milliseconds of frames left
// to copy. It counts frames in use, not the file's size: after a restart
// the file keeps its size and is written again from its start.
//
// While a restart it asked for is pending or running (restartPending, at
// most a second), it skips its ticks: the RESTART would otherwise wait for
// its PASSIVE, give up after restartWait, and leave the WAL to grow for
// restartBackoff.
func startCheckpointer(db *sql.DB, every time.Duration, restartSize int64, restart func(), restartPending func() bool) *checkpointer {
	c := &checkpointer{done: make(chan struct{}), stopped: make(chan struct{})}
	// passive returns how many bytes of WAL frames are in use, 0 when
	// the checkpoint failed: it is retried at the next tick, and the WAL
	// only grows meanwhile.
	var frameSize int64
	passive := func() int64 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if frameSize == 0 {
			var pageSize int64
			if err := db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pageSize); err != nil {
				return 0
			}
			frameSize = pageSize + walFrameHeader
		}
		var busy, frames, copied int64
		if err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
			return 0
		}
		return frames * frameSize
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
				if restartPending() {
					continue
				}
				if passive() > restartSize {
					passive()
					restart()
				}
			}
		}
	}()
	return c
}

// walFrameHeader is the size of the header SQLite writes before each page
// in the WAL.
const walFrameHeader = 24

// stop waits for a running checkpoint to end.
func (c *checkpointer) stop() {
	if c == nil {
		return
	}
	close(c.done)
	<-c.stopped
}
