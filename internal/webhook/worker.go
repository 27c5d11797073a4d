package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"intake"
)

// Defaults of Config's zero fields.
const (
	DefaultTimeout     = 10 * time.Second
	DefaultLease       = time.Minute
	DefaultPoll        = 200 * time.Millisecond
	DefaultConcurrency = 16
	DefaultBatch       = 100
	// MaxResponseBody is how much of a receiver's answer is read (and
	// kept in the attempt's error text, shortened).
	MaxResponseBody = 4 << 10
)

// Renderer turns an event into the exact body posted.
type Renderer func(*intake.Event) ([]byte, error)

// Observer is told about each attempt, for metrics: outcome is
// "delivered", "retry" or "failed".
type Observer func(outcome string, latency time.Duration)

// Config configures a Worker. Zero fields take the defaults.
type Config struct {
	Store  intake.WebhookStore
	Render Renderer
	// Client posts the deliveries; it must refuse internal addresses
	// (fetch.Guard.Client) and follow no redirect.
	Client   *http.Client
	Schedule []time.Duration
	// Timeout bounds one attempt, answer included.
	Timeout time.Duration
	// Lease is how long a claimed subscription is this worker's; a worker
	// that dies is replaced after at most that long.
	Lease time.Duration
	Poll  time.Duration
	// Concurrency is how many subscriptions are sent to at once: a slow
	// receiver holds one slot, not the others.
	Concurrency int
	Batch       int
	// Owner names this worker in leases; unique per process.
	Owner   string
	Now     func() time.Time
	Logger  *slog.Logger
	Observe Observer
}

// Worker delivers the outbox's events.
type Worker struct {
	cfg  Config
	slot chan struct{}
	wake chan struct{}
	wg   sync.WaitGroup
}

// New returns a Worker; Run starts it.
func New(cfg Config) *Worker {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultLease
	}
	if cfg.Lease < 2*cfg.Timeout {
		cfg.Lease = 2 * cfg.Timeout
	}
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultPoll
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.Batch <= 0 {
		cfg.Batch = DefaultBatch
	}
	if len(cfg.Schedule) == 0 {
		cfg.Schedule, _ = ParseSchedule(DefaultSchedule)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Owner == "" {
		cfg.Owner = intake.NewEncodedID()
	}
	return &Worker{cfg: cfg, slot: make(chan struct{}, cfg.Concurrency), wake: make(chan struct{}, 1)}
}

// Wake makes the worker look for work now rather than at its next poll.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends, then waits for the attempts in flight.
func (w *Worker) Run(ctx context.Context) {
	defer w.wg.Wait()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-w.wake:
		}
		busy := w.step(ctx)
		wait := w.cfg.Poll
		if busy {
			wait = 0
		}
		timer.Reset(wait)
	}
}

// step dispatches new events and starts sending to the subscriptions it can
// claim; it reports whether there may be more to do at once.
func (w *Worker) step(ctx context.Context) bool {
	n, err := w.cfg.Store.DispatchEvents(ctx, w.cfg.Now(), w.cfg.Batch*10)
	if err != nil {
		w.logError(ctx, "dispatch webhook events", err)
		return false
	}
	free := cap(w.slot) - len(w.slot)
	if free == 0 {
		return false
	}
	ds, err := w.cfg.Store.ClaimDeliveries(ctx, w.cfg.Owner, w.cfg.Now(), w.cfg.Lease, free, w.cfg.Batch)
	if err != nil {
		w.logError(ctx, "claim webhook deliveries", err)
		return false
	}
	deadline := time.Now().Add(w.cfg.Lease - w.cfg.Timeout - w.cfg.Timeout/2)
	var groups [][]*intake.Delivery
	for len(ds) > 0 {
		i := 1
		for i < len(ds) && ds[i].SubscriptionID == ds[0].SubscriptionID {
			i++
		}
		groups = append(groups, ds[:i])
		ds = ds[i:]
	}
	// Waking at once after each group would make the next step find only
	// the few deliveries made meanwhile, each step costing three writes.
	// Only a full group (more may wait) or every free slot taken (other
	// subscriptions may wait) calls for it; otherwise the poll gathers a
	// batch.
	starved := len(groups) == free
	for _, group := range groups {
		w.slot <- struct{}{}
		w.wg.Go(func() {
			full := w.send(ctx, group, deadline)
			<-w.slot
			if full || starved {
				w.Wake()
			}
		})
	}
	return n == w.cfg.Batch*10
}

func (w *Worker) logError(ctx context.Context, what string, err error) {
	if ctx.Err() == nil {
		w.cfg.Logger.Error(what, "err", err)
	}
}

// send posts one subscription's deliveries in order, stopping at the first
// that must wait for a retry, or when the lease nears its end, then saves
// the outcomes and releases the subscription.
//
// It reports whether it sent a whole batch: the subscription may have more.
func (w *Worker) send(ctx context.Context, ds []*intake.Delivery, deadline time.Time) bool {
	sub := ds[0].Subscription
	var (
		done     []*intake.Delivery
		attempts []intake.DeliveryAttempt
	)
	for _, d := range ds {
		if ctx.Err() != nil || time.Now().After(deadline) || d.NextAttemptAt.After(w.cfg.Now()) {
			break
		}
		a := w.attempt(ctx, d)
		if ctx.Err() != nil && a.Error != "" {
			// Shutting down cut the attempt short: not the receiver's
			// fault, and the delivery stays pending for the next run.
			break
		}
		attempts = append(attempts, a)
		done = append(done, d)
		if d.Status == intake.DeliveryPending {
			break
		}
	}
	// A fresh context: the outcomes of attempts made must be saved even
	// when shutting down, or they would be sent again.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := w.cfg.Store.FinishDeliveries(fctx, w.cfg.Owner, sub.ID, done, attempts); err != nil {
		w.cfg.Logger.Error("save webhook deliveries", "subscription", sub.ID, "err", err)
	}
	return len(ds) == w.cfg.Batch && len(done) == len(ds)
}

// attempt posts d once and updates it with the outcome.
func (w *Worker) attempt(ctx context.Context, d *intake.Delivery) intake.DeliveryAttempt {
	start := time.Now()
	now := w.cfg.Now()
	status, err := w.post(ctx, d, now)
	latency := time.Since(start)
	a := intake.DeliveryAttempt{DeliveryID: d.ID, At: now, Status: status, Latency: latency}
	d.Attempts++
	d.LastStatus, d.LastLatency, d.UpdatedAt = status, latency, w.cfg.Now()
	outcome := "delivered"
	if err == nil {
		d.Status, d.LastError = intake.DeliveryDelivered, ""
	} else {
		a.Error = err.Error()
		d.LastError = a.Error
		if d.Attempts > len(w.cfg.Schedule) {
			d.Status, outcome = intake.DeliveryFailed, "failed"
		} else {
			d.NextAttemptAt, outcome = d.UpdatedAt.Add(jitter(w.cfg.Schedule[d.Attempts-1])), "retry"
		}
	}
	if w.cfg.Observe != nil {
		w.cfg.Observe(outcome, latency)
	}
	return a
}

func (w *Worker) post(ctx context.Context, d *intake.Delivery, now time.Time) (int, error) {
	body, err := w.cfg.Render(d.Event)
	if err != nil {
		return 0, fmt.Errorf("cannot render the event: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Subscription.URL, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("invalid URL: %w", err)
	}
	ts := now.Unix()
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "intake-webhooks")
	h.Set(HeaderEvent, string(d.Event.Name))
	h.Set(HeaderEventID, strconv.FormatInt(d.EventID, 10))
	h.Set(HeaderDelivery, strconv.FormatInt(d.ID, 10))
	h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	if d.Replay {
		h.Set(HeaderReplay, "true")
	}
	if len(d.Subscription.Secrets) > 0 {
		h.Set(HeaderSignature, Signature(ts, body, d.Subscription.Secrets))
	}
	resp, err := w.cfg.Client.Do(req)
	if err != nil {
		var ue interface{ Timeout() bool }
		if errors.As(err, &ue) && ue.Timeout() {
			return 0, errors.New("timed out")
		}
		return 0, fmt.Errorf("request failed: %w", errors.Unwrap(err))
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBody))
	if resp.StatusCode/100 == 2 {
		return resp.StatusCode, nil
	}
	if len(answer) > 200 {
		answer = answer[:200]
	}
	return resp.StatusCode, fmt.Errorf("HTTP %d: %s", resp.StatusCode, bytes.ToValidUTF8(answer, nil))
}
