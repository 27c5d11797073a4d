package bench

import (
	"context"
	"errors"
	"time"
)

// measureRounds loads each target in turn, round after round, each load
// after its own warm-up. Sequence numbers never repeat, so no email does.
func (r *runner) measureRounds(ctx context.Context) error {
	c := r.c
	seq := uint64(2) // 0 and 1 were the probes
	opts := func(t *loadTarget, d time.Duration) Options {
		return Options{URL: t.url, Workload: r.workload, Concurrency: c.Concurrency, Duration: d,
			MaxRequests: c.MaxRequests, Client: r.client, FirstSeq: seq}
	}
	for round := 1; round <= c.Rounds; round++ {
		for _, t := range r.targets {
			if c.Warmup > 0 {
				r.progress("round %d: %s: warm-up %s", round, t.name, c.Warmup)
				res, err := Run(ctx, opts(t, c.Warmup))
				if err != nil {
					return err
				}
				seq = res.NextSeq
				if res.Errors() > 0 {
					r.progress("round %d: %s: warm-up answers %s; first error: %s", round, t.name, res.StatusSummary(), res.FirstError)
				}
			}
			r.progress("round %d: %s: measuring %s", round, t.name, c.Duration)
			res, err := r.measure(ctx, t, round, opts(t, c.Duration))
			if err != nil {
				return err
			}
			seq = res.NextSeq
			r.client.CloseIdleConnections()
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// measure runs one measured load on t, with a started intake's own view of
// it: request log latencies, heap allocations and, on the first round, a
// CPU profile.
func (r *runner) measure(ctx context.Context, t *loadTarget, round int, o Options) (*Result, error) {
	ch := t.child
	if ch == nil {
		res, err := r.run(ctx, t, o)
		if err == nil {
			t.results = append(t.results, res)
		}
		return res, err
	}
	// The request log is written after each answer: give the warm-up's
	// last lines time to reach the file before taking its offset.
	time.Sleep(200 * time.Millisecond)
	from := ch.LogOffset()
	metricsBefore, metricsErr := FetchMetrics(ctx, r.client, t.url+"/metrics")
	var before MemStats
	profile := r.c.CPUProfile != "" && round == 1
	profiled := make(chan error, 1)
	if ch.DebugAddr != "" {
		ms, err := FetchMemStats(ctx, ch.DebugAddr)
		if err != nil {
			return nil, err
		}
		before = ms
		if profile {
			go func() { profiled <- FetchCPUProfile(ctx, ch.DebugAddr, o.Duration, r.c.CPUProfile) }()
		}
	}
	res, err := r.run(ctx, t, o)
	if err != nil {
		return nil, err
	}
	t.results = append(t.results, res)
	if ch.DebugAddr != "" {
		after, err := FetchMemStats(ctx, ch.DebugAddr)
		if err != nil {
			return nil, err
		}
		t.allocs = append(t.allocs, allocation{
			bytes: after.TotalAlloc - before.TotalAlloc, objects: after.Mallocs - before.Mallocs,
			gcs: uint64(after.NumGC - before.NumGC), requests: res.Requests,
		})
		if profile {
			if err := <-profiled; err != nil {
				r.progress("cpu profile: %v", err)
			}
		}
		if r.c.MemProfile != "" && round == 1 {
			if err := FetchAllocsProfile(ctx, ch.DebugAddr, r.c.MemProfile); err != nil {
				r.progress("allocation profile: %v", err)
			}
		}
	}
	if metricsErr == nil {
		if after, err := FetchMetrics(ctx, r.client, t.url+"/metrics"); err == nil {
			t.commits = append(t.commits, commits{
				count:       after.Delta(metricsBefore, "intake_store_commit_batch_size_count"),
				ops:         after.Delta(metricsBefore, "intake_store_commit_batch_size_sum"),
				seconds:     after.Delta(metricsBefore, "intake_store_commit_duration_seconds_sum"),
				syncs:       after.Delta(metricsBefore, "intake_store_wal_sync_duration_seconds_count"),
				syncSeconds: after.Delta(metricsBefore, "intake_store_wal_sync_duration_seconds_sum"),
				restarts: after.Delta(metricsBefore, `intake_store_wal_restart_duration_seconds_count{outcome="restarted"}`) +
					after.Delta(metricsBefore, `intake_store_wal_restart_duration_seconds_count{outcome="gave_up"}`),
				restartSeconds: after.Delta(metricsBefore, `intake_store_wal_restart_duration_seconds_sum{outcome="restarted"}`) +
					after.Delta(metricsBefore, `intake_store_wal_restart_duration_seconds_sum{outcome="gave_up"}`),
				gaveUp: after.Delta(metricsBefore, `intake_store_wal_restart_duration_seconds_count{outcome="gave_up"}`),
			})
		}
	}
	time.Sleep(200 * time.Millisecond)
	l, err := ch.ServerLatencies(from, ch.LogOffset(), r.path)
	if err != nil {
		return nil, err
	}
	t.server = append(t.server, l)
	return res, nil
}

// run runs one load on t and records the CPU time t's process and this
// one (the load generator) used meanwhile, when it can read them.
func (r *runner) run(ctx context.Context, t *loadTarget, o Options) (*Result, error) {
	procCPU := func() (time.Duration, error) {
		if t.proc == nil {
			return 0, errors.New("no process")
		}
		return t.proc.CPUTime()
	}
	procBefore, procErr := procCPU()
	selfBefore, selfErr := SelfCPUTime()
	res, err := Run(ctx, o)
	if err != nil {
		return nil, err
	}
	t.loader = append(t.loader, cpuDelta(selfBefore, selfErr, SelfCPUTime))
	t.cpu = append(t.cpu, cpuDelta(procBefore, procErr, procCPU))
	return res, nil
}

// cpuDelta is the CPU time used since before, or -1 when either reading
// failed.
func cpuDelta(before time.Duration, beforeErr error, now func() (time.Duration, error)) time.Duration {
	after, err := now()
	if beforeErr != nil || err != nil {
		return -1
	}
	return after - before
}
