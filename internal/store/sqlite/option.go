package sqlite

import "time"

// Option configures Open.
type Option func(*config)

type config struct {
	maxBatch    int
	readers     int
	busyTimeout time.Duration
	onCommit    func(batch int, d time.Duration)
	onWALSync   func(batches int, d time.Duration)
	onRestart   func(ok bool, d time.Duration)
	// walRestartSize: tests shrink it to see restarts without writing
	// 64 MiB.
	walRestartSize int64
	// checkpointEvery: tests shorten it so that the WAL's growth between
	// two checks stays small however fast the machine writes.
	checkpointEvery time.Duration
}

// OnCommit registers f to be called after each transaction with the number
// of operations it carried and the writer's time from BEGIN to the end of
// COMMIT (the WAL sync that follows is not included: it overlaps the next
// batch). f runs once the commit is durable, just before its callers get
// their answers: keep it short (update a histogram).
func OnCommit(f func(batch int, d time.Duration)) Option {
	return func(c *config) { c.onCommit = f }
}

// OnWALSync registers f to be called after each fdatasync of the WAL with
// the number of committed batches it made durable and its duration. It
// runs on the syncer goroutine before those batches are answered: keep it
// short.
func OnWALSync(f func(batches int, d time.Duration)) Option {
	return func(c *config) { c.onWALSync = f }
}

// OnWALRestart registers f to be called after each RESTART checkpoint the
// writer runs (see startCheckpointer) with whether it restarted the WAL and
// how long it held the writer.
func OnWALRestart(f func(ok bool, d time.Duration)) Option {
	return func(c *config) { c.onRestart = f }
}

// MaxBatch caps how many queued operations one transaction carries
// (default 128). 1 disables group commit.
func MaxBatch(n int) Option {
	return func(c *config) {
		if n >= 1 {
			c.maxBatch = n
		}
	}
}

// Readers sets the size of the read connection pool (default
// max(4, 2×GOMAXPROCS)).
func Readers(n int) Option {
	return func(c *config) {
		if n >= 1 {
			c.readers = n
		}
	}
}

// BusyTimeout sets how long a connection waits for a lock held by another
// process sharing the file (default 5s).
func BusyTimeout(d time.Duration) Option {
	return func(c *config) {
		if d >= 0 {
			c.busyTimeout = d
		}
	}
}
