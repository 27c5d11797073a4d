package blob

import "sync"

// dirSync shares the fsyncs of one directory between goroutines (group
// sync). Sync returns once an fsync that started after Sync was called has
// ended, with that fsync's error: whatever the caller created, renamed or
// removed in the directory before calling is then durable. Callers arriving
// while an fsync is in flight are not covered by it (it may have read the
// directory before their change); they share the next one, which one of
// them runs as soon as the flight ends. So one fsync is in flight at a
// time, and a burst of N callers costs about two fsyncs instead of N.
//
// Sync takes no context: a caller that gave up could strand the round it
// was to run, and an fsync cannot be interrupted anyway.
type dirSync struct {
	fsync func() error

	mu      sync.Mutex
	running bool       // an fsync is in flight, or a round is being handed to its runner
	next    *syncRound // the round starting once the running one ends; nil if nobody waits
}

// syncRound is one fsync shared by the callers that joined it.
type syncRound struct {
	lead    chan struct{} // receives one token: the caller taking it runs the round
	done    chan struct{} // closed once err is set
	err     error
	waiters int // callers sharing the round, for tests
}

func newSyncRound() *syncRound {
	return &syncRound{lead: make(chan struct{}, 1), done: make(chan struct{})}
}

// Sync runs or joins an fsync that starts after this call and returns its
// error.
func (s *dirSync) Sync() error {
	s.mu.Lock()
	if !s.running {
		s.running = true
		s.mu.Unlock()
		return s.run(newSyncRound())
	}
	r := s.next
	if r == nil {
		r = newSyncRound()
		s.next = r
	}
	r.waiters++
	s.mu.Unlock()
	select {
	case <-r.done:
		return r.err
	case <-r.lead:
		return s.run(r)
	}
}

// run performs r's fsync, then hands the next round, if any joined
// meanwhile, to one of its callers: each caller runs at most one fsync, so
// none is held back by a stream of later arrivals.
func (s *dirSync) run(r *syncRound) error {
	r.err = s.fsync()
	close(r.done)
	s.mu.Lock()
	next := s.next
	s.next = nil
	s.running = next != nil
	s.mu.Unlock()
	if next != nil {
		next.lead <- struct{}{}
	}
	return r.err
}
