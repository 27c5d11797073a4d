package sqlite

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"intake"
)

// walSyncer makes committed batches durable off the writer goroutine.
//
// The write connection runs with synchronous=NORMAL: its COMMIT writes the
// batch's frames into the WAL file (the OS page cache) and returns without
// an fsync. The syncer then fdatasyncs the WAL file and only after that
// answers the batch's callers. Meanwhile the writer already runs the next
// batch, so the fsync, the longest step of a commit, no longer holds every
// queued write behind it; and one fsync covers every batch committed before
// it started.
//
// Why this is as durable as synchronous=FULL for what is acknowledged: a
// caller is answered only after an fdatasync that began after its COMMIT
// returned, so its frames, and the commit frame that seals them, are on
// disk. What a crash can leave behind are frames of unanswered batches;
// SQLite's recovery drops any frame whose checksum chain or salt does not
// match, exactly as with FULL. Frames from before a WAL restart were copied
// into the database file and that file was synced by the checkpoint (SQLite
// syncs the WAL before a checkpoint and the database after it, at NORMAL as
// at FULL) before SQLite lets the writer restart the WAL.
//
// The one difference: readers see a batch between its COMMIT and its sync
// (a millisecond or so). After a power loss in that window, rows that a
// reader saw but whose creator was never answered can be gone. Nothing
// acknowledged is.
type walSyncer struct {
	path   string
	queue  chan *batch
	done   chan struct{}
	onSync func(b *batch, err error)
	// onSynced sees each sync: how many batches it covered, how long.
	onSynced func(batches int, d time.Duration)
	mu       sync.Mutex // guards f and failed
	f        *os.File
	failed   error
	pending  []*batch
}

// errNotDurable is what every write gets once a WAL sync has failed: after
// a failed fsync the kernel may have dropped the dirty pages, so what the
// database holds can no longer be promised. Like PostgreSQL, the store then
// refuses writes until it is reopened (the process restarted).
var errNotDurable = errors.New("sqlite: a WAL sync failed; writes are refused until the store is reopened")

func newWALSyncer(dbPath string, inFlight int, onSync func(*batch, error), onSynced func(int, time.Duration)) *walSyncer {
	s := &walSyncer{
		path:     walPath(dbPath),
		queue:    make(chan *batch, inFlight),
		done:     make(chan struct{}),
		onSync:   onSync,
		onSynced: onSynced,
	}
	go s.run()
	return s
}

// walPath is where SQLite keeps the WAL of the database at dbPath.
func walPath(dbPath string) string {
	return strings.TrimPrefix(dbPath, "file:") + "-wal"
}

func (s *walSyncer) run() {
	defer close(s.done)
	for b := range s.queue {
		s.pending = append(s.pending[:0], b)
	drain:
		for {
			select {
			case b, ok := <-s.queue:
				if !ok {
					break drain
				}
				s.pending = append(s.pending, b)
			default:
				break drain
			}
		}
		start := time.Now()
		err := s.sync()
		if s.onSynced != nil {
			s.onSynced(len(s.pending), time.Since(start))
		}
		for _, b := range s.pending {
			s.onSync(b, err)
		}
		clear(s.pending)
	}
}

// sync fdatasyncs the WAL file. The file is opened at the first sync (it
// exists once the writer has committed) and kept: SQLite deletes a WAL only
// when its last connection closes, and the writer's stays open until the
// syncer is closed.
func (s *walSyncer) sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed != nil {
		return s.failed
	}
	if s.f == nil {
		f, err := os.Open(s.path)
		if err != nil {
			s.failed = fmt.Errorf("%w: %w", errNotDurable, err)
			return s.failed
		}
		s.f = f
	}
	var err error
	for {
		err = unix.Fdatasync(int(s.f.Fd()))
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	if err != nil {
		s.failed = fmt.Errorf("%w: fdatasync %s: %w", errNotDurable, s.path, err)
		return s.failed
	}
	return nil
}

// err reports a past sync failure, if any.
func (s *walSyncer) err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failed
}

// close waits for the queued batches to be synced and answered, then
// closes the file.
func (s *walSyncer) close() error {
	close(s.queue)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}

// notDurable wraps a sync failure for callers.
func notDurable(err error) error {
	return intake.WrapError(intake.EUnavailable, err, "database unavailable")
}
