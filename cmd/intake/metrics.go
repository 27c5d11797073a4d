package main

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"intake"
)

// metrics are the Prometheus series intake exports on /metrics. A registry
// per Main (not the global one) keeps in-process tests independent.
type metrics struct {
	registry         *prometheus.Registry
	requests         *prometheus.CounterVec
	latency          *prometheus.HistogramVec
	created          *prometheus.CounterVec
	commitBatch      prometheus.Histogram
	commitLatency    prometheus.Histogram
	walSyncLatency   prometheus.Histogram
	walRestarts      *prometheus.HistogramVec
	uploadBytes      prometheus.Counter
	requestsInFlight prometheus.Gauge
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "intake_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "intake_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"route"}),
		created: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "intake_candidates_created_total", Help: "Candidates acknowledged as created, by dialect.",
		}, []string{"dialect"}),
		commitBatch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "intake_store_commit_batch_size", Help: "Write operations carried by one durable commit (group commit).",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128},
		}),
		commitLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "intake_store_commit_duration_seconds", Help: "Writer time of one commit, BEGIN to COMMIT (SQLite); the WAL sync that makes it durable is intake_store_wal_sync_duration_seconds.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .025, .05, .1, .25, 1},
		}),
		walSyncLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "intake_store_wal_sync_duration_seconds", Help: "One fdatasync of the SQLite WAL, after which the batches it covers are answered.",
			Buckets: []float64{.0001, .0002, .0005, .001, .002, .005, .01, .025, .05, .1, .25, 1},
		}),
		walRestarts: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "intake_store_wal_restart_duration_seconds", Help: "Time a RESTART checkpoint held the SQLite writer, by outcome (restarted, or gave_up waiting for readers).",
			Buckets: []float64{.001, .002, .005, .01, .02, .05, .1, .25, 1},
		}, []string{"outcome"}),
		uploadBytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "intake_upload_bytes_total", Help: "Bytes of documents received or downloaded into staging.",
		}),
		requestsInFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "intake_http_requests_in_flight", Help: "Requests being served.",
		}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.created, m.commitBatch, m.commitLatency, m.walSyncLatency, m.walRestarts, m.uploadBytes,
		m.requestsInFlight, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// handler serves the registry in the Prometheus text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// observeCommit is the store's OnCommit hook.
func (m *metrics) observeCommit(batch int, d time.Duration) {
	m.commitBatch.Observe(float64(batch))
	m.commitLatency.Observe(d.Seconds())
}

// observeWALSync is the SQLite store's OnWALSync hook.
func (m *metrics) observeWALSync(_ int, d time.Duration) {
	m.walSyncLatency.Observe(d.Seconds())
}

// observeWALRestart is the SQLite store's OnWALRestart hook.
func (m *metrics) observeWALRestart(ok bool, d time.Duration) {
	outcome := "gave_up"
	if ok {
		outcome = "restarted"
	}
	m.walRestarts.WithLabelValues(outcome).Observe(d.Seconds())
}

// createRoutes are the patterns whose 2xx answers acknowledge a new
// candidate, by dialect (Flatchr's /test stores nothing).
var createRoutes = map[string]string{
	"POST /api/v1/external/candidates": "welcomekit",
	"POST /vacancy/candidate/json":     "flatchr",
	"POST /vacancy/candidate/custom":   "flatchr",
}

// observe records one served request. route is the pattern of the mux that
// served it, so the label set stays bounded whatever paths clients send.
func (m *metrics) observe(route, method string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
	if dialect, ok := createRoutes[route]; ok && status >= 200 && status < 300 {
		m.created.WithLabelValues(dialect).Inc()
	}
}

// countingBlobs counts the bytes staged through a BlobStore.
type countingBlobs struct {
	intake.BlobStore
	bytes prometheus.Counter
}

func (c countingBlobs) Stage(ctx context.Context, r io.Reader, max int64) (*intake.Blob, error) {
	b, err := c.BlobStore.Stage(ctx, r, max)
	if err == nil {
		c.bytes.Add(float64(b.Size))
	}
	return b, err
}
