// Package bench drives HTTP load at intake or at any other server speaking
// its APIs, and measures the ceiling: a bare net/http server answering the
// same bytes, which tells how much of the machine the server under test
// leaves unused.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMaxRequests bounds a load whose options give no bound: about ten
// minutes at the ceiling on a small machine.
const DefaultMaxRequests = 20_000_000

// Options configure a load.
type Options struct {
	// URL is the base URL of the server, without a trailing slash.
	URL      string
	Workload Workload
	// Concurrency is the number of requests in flight: each worker sends
	// its next request when the previous one is answered (a closed loop).
	Concurrency int
	// Duration bounds the time workers start new requests in.
	Duration time.Duration
	// MaxRequests bounds the requests sent; DefaultMaxRequests when 0.
	MaxRequests int64
	// Client sends the requests; NewClient(Concurrency) when nil.
	Client *http.Client
	// FirstSeq numbers the first request; later ones follow, so loads on
	// one database given disjoint ranges never repeat an email.
	FirstSeq uint64
}

// Result is what a load measured.
type Result struct {
	// Requests counts the requests answered or failed.
	Requests int64
	// OK counts 2xx answers; only they make Latencies and RPS.
	OK int64
	// Statuses counts answers by status code.
	Statuses map[int]int64
	// TransportErrors counts requests that got no answer.
	TransportErrors int64
	// FirstError describes the first failure, "" when none.
	FirstError string
	// Elapsed is the time from the first request to the last answer.
	Elapsed time.Duration
	// Latencies of the 2xx answers, sorted.
	Latencies Latencies
	// BytesIn is the total size of the 2xx answers' bodies.
	BytesIn int64
	// NextSeq is the sequence number after the last one used.
	NextSeq uint64
}

// Errors counts non-2xx answers and transport errors.
func (r *Result) Errors() int64 { return r.Requests - r.OK }

// RPS is 2xx answers per second.
func (r *Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.OK) / r.Elapsed.Seconds()
}

// StatusSummary lists the answers by status, e.g. "201×9876 500×3".
func (r *Result) StatusSummary() string {
	codes := make([]int, 0, len(r.Statuses))
	for c := range r.Statuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	s := ""
	for _, c := range codes {
		if s != "" {
			s += " "
		}
		s += fmt.Sprintf("%d×%d", c, r.Statuses[c])
	}
	if r.TransportErrors > 0 {
		if s != "" {
			s += " "
		}
		s += fmt.Sprintf("transport×%d", r.TransportErrors)
	}
	return s
}

// NewClient returns a keep-alive client for conns concurrent requests to one
// host: as many idle connections kept, no proxy, no compression.
func NewClient(conns int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
			WriteBufferSize:     64 << 10,
			ReadBufferSize:      64 << 10,
		},
		Timeout: time.Minute,
	}
}

// worker is one closed loop's share of the results.
type worker struct {
	latencies []time.Duration
	statuses  map[int]int64
	transport int64
	bytesIn   int64
	firstErr  error
	firstAt   time.Time
}

// Run sends o.Workload's requests until o.Duration has passed, o.MaxRequests
// were sent or ctx is done, then waits for the requests in flight.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Workload == nil || o.URL == "" {
		return nil, errors.New("bench: a load needs a URL and a workload")
	}
	if o.Concurrency < 1 {
		return nil, errors.New("bench: concurrency must be at least 1")
	}
	if o.Duration <= 0 && o.MaxRequests <= 0 {
		return nil, errors.New("bench: a load needs a duration or a request count")
	}
	maxReq := o.MaxRequests
	if maxReq <= 0 {
		maxReq = DefaultMaxRequests
	}
	client := o.Client
	if client == nil {
		client = NewClient(o.Concurrency)
		defer client.CloseIdleConnections()
	}
	var claimed atomic.Int64
	start := time.Now()
	var deadline time.Time
	if o.Duration > 0 {
		deadline = start.Add(o.Duration)
	}
	workers := make([]worker, o.Concurrency)
	var wg sync.WaitGroup
	for i := range workers {
		w := &workers[i]
		w.statuses = map[int]int64{}
		w.latencies = make([]time.Duration, 0, 4096)
		wg.Go(func() {
			for ctx.Err() == nil && (deadline.IsZero() || time.Now().Before(deadline)) {
				n := claimed.Add(1)
				if n > maxReq {
					return
				}
				w.do(ctx, client, o, o.FirstSeq+uint64(n-1))
			}
		})
	}
	wg.Wait()
	res := &Result{Elapsed: time.Since(start), Statuses: map[int]int64{}, NextSeq: o.FirstSeq + uint64(min(claimed.Load(), maxReq))}
	var all []time.Duration
	var firstAt time.Time
	for i := range workers {
		w := &workers[i]
		all = append(all, w.latencies...)
		for c, n := range w.statuses {
			res.Statuses[c] += n
			res.Requests += n
			if c >= 200 && c < 300 {
				res.OK += n
			}
		}
		res.TransportErrors += w.transport
		res.Requests += w.transport
		res.BytesIn += w.bytesIn
		if w.firstErr != nil && (firstAt.IsZero() || w.firstAt.Before(firstAt)) {
			firstAt, res.FirstError = w.firstAt, w.firstErr.Error()
		}
	}
	res.Latencies = NewLatencies(all)
	return res, nil
}

// do sends one request and records its outcome.
func (w *worker) do(ctx context.Context, client *http.Client, o Options, seq uint64) {
	req, err := o.Workload.Request(o.URL, seq)
	if err != nil {
		w.fail(fmt.Errorf("building request %d: %w", seq, err))
		w.transport++
		return
	}
	req = req.WithContext(ctx)
	begin := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			w.fail(err)
			w.transport++
		}
		return
	}
	// Read the whole answer so the connection is reused; a short read would
	// make the client dial again and measure connection setup.
	var n int64
	var body []byte
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	if ok || w.firstErr != nil {
		n, err = io.Copy(io.Discard, resp.Body)
	} else {
		body, err = io.ReadAll(io.LimitReader(resp.Body, 512))
		_, _ = io.Copy(io.Discard, resp.Body)
	}
	resp.Body.Close()
	elapsed := time.Since(begin)
	if err != nil {
		if ctx.Err() == nil {
			w.fail(fmt.Errorf("reading answer: %w", err))
			w.transport++
		}
		return
	}
	w.statuses[resp.StatusCode]++
	if !ok {
		w.fail(fmt.Errorf("%s %s: %s: %s", req.Method, req.URL.Path, resp.Status, body))
		return
	}
	w.latencies = append(w.latencies, elapsed)
	w.bytesIn += n
}

func (w *worker) fail(err error) {
	if w.firstErr == nil {
		w.firstErr, w.firstAt = err, time.Now()
	}
}
