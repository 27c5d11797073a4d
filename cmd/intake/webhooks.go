package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"intake"
	"intake/internal/fetch"
	"intake/internal/httpapi/flatchr"
	"intake/internal/webhook"
)

// webhooks is the running delivery worker of a Main.
type webhooks struct {
	worker *webhook.Worker
	stop   context.CancelFunc
	done   chan struct{}
}

// startWebhooks starts delivering the outbox's events, and purging
// deliveries older than --webhook-retention every hour.
func (m *Main) startWebhooks() {
	cfg := m.Config
	outcomes := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "intake_webhook_attempts_total", Help: "Webhook delivery attempts by outcome: delivered, retry (failed, will retry) or failed (retries exhausted).",
	}, []string{"outcome"})
	latency := prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "intake_webhook_attempt_duration_seconds", Help: "Time from sending a webhook to its answer (or failure).",
		Buckets: []float64{.001, .005, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	})
	queue := newQueueCollector(m.store)
	m.metrics.registry.MustRegister(outcomes, latency, queue)
	host, _ := os.Hostname()
	guard := fetch.New(fetch.Options{Allow: cfg.AllowFetchFrom})
	w := webhook.New(webhook.Config{
		Store:    m.store,
		Render:   flatchr.WebhookBody,
		Client:   guard.Client(cfg.WebhookTimeout),
		Schedule: cfg.WebhookSchedule,
		Timeout:  cfg.WebhookTimeout,
		Lease:    cfg.WebhookLease,
		Owner:    fmt.Sprintf("%s/%d/%s", host, os.Getpid(), intake.NewEncodedID()),
		Logger:   m.log,
		Observe: func(outcome string, d time.Duration) {
			outcomes.WithLabelValues(outcome).Inc()
			latency.Observe(d.Seconds())
		},
	})
	ctx, cancel := context.WithCancel(context.Background())
	m.hooks = &webhooks{worker: w, stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(m.hooks.done)
		go m.purgeDeliveries(ctx)
		w.Run(ctx)
	}()
}

// stopWebhooks stops the worker; attempts in flight end with their timeout
// or are cut short and stay pending.
func (m *Main) stopWebhooks() {
	if m.hooks == nil {
		return
	}
	m.hooks.stop()
	<-m.hooks.done
	m.hooks = nil
}

func (m *Main) purgeDeliveries(ctx context.Context) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		pctx, cancel := context.WithTimeout(ctx, time.Minute)
		n, err := m.store.PurgeDeliveries(pctx, time.Now().Add(-m.Config.WebhookRetention))
		cancel()
		if err != nil && ctx.Err() == nil {
			m.log.Warn("purge webhook deliveries", "err", err)
		} else if n > 0 {
			m.log.Info("purged webhook deliveries", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// queueCollector reports the pending deliveries when scraped.
type queueCollector struct {
	store         intake.WebhookStore
	depth, oldest *prometheus.Desc
}

func newQueueCollector(s intake.WebhookStore) *queueCollector {
	return &queueCollector{
		store:  s,
		depth:  prometheus.NewDesc("intake_webhook_queue_depth", "Webhook deliveries not yet delivered nor failed.", nil, nil),
		oldest: prometheus.NewDesc("intake_webhook_oldest_pending_age_seconds", "Age of the oldest pending webhook delivery (0 when none).", nil, nil),
	}
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.depth; ch <- c.oldest }

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	n, oldest, err := c.store.WebhookQueue(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.depth, err)
		return
	}
	age := 0.0
	if !oldest.IsZero() {
		age = time.Since(oldest).Seconds()
	}
	ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, age)
}
