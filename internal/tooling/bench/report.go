package bench

import (
	"fmt"
	"slices"
	"time"
)

// report prints every measurement, then the summary: medians over rounds,
// and last the machine-readable line.
func (r *runner) report() {
	c, w, subject := r.c, r.stdout, r.subject
	fmt.Fprintf(w, "\n%-8s %5s %9s %7s %10s %8s %8s %9s %8s\n", "target", "round", "requests", "errors", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms")
	for _, t := range r.targets {
		for i, res := range t.results {
			l := res.Latencies
			fmt.Fprintf(w, "%-8s %5d %9d %7d %10.1f %8.2f %8.2f %9.2f %8.2f\n", t.name, i+1, res.Requests, res.Errors(), res.RPS(),
				Millis(l.Quantile(0.5)), Millis(l.Quantile(0.99)), Millis(l.Quantile(0.999)), Millis(l.Max()))
		}
	}
	for _, t := range r.targets {
		for i, res := range t.results {
			if res.Errors() > 0 {
				fmt.Fprintf(w, "%s round %d answers: %s; first error: %s\n", t.name, i+1, res.StatusSummary(), res.FirstError)
			}
		}
	}
	for i, l := range subject.server {
		fmt.Fprintf(w, "%s round %d server-side (request log, %d requests): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
			subject.name, i+1, len(l), Millis(l.Quantile(0.5)), Millis(l.Quantile(0.99)), Millis(l.Quantile(0.999)), Millis(l.Max()))
	}
	for i, cm := range subject.commits {
		if cm.count > 0 {
			el := subject.results[i].Elapsed.Seconds()
			fmt.Fprintf(w, "%s round %d store (/metrics): %.0f durable commits (%.0f/s), %.1f writes per commit, %.2f ms per commit, writer busy %.0f%%",
				subject.name, i+1, cm.count, cm.count/el, cm.ops/cm.count, 1000*cm.seconds/cm.count, 100*cm.seconds/el)
			if cm.syncs > 0 {
				fmt.Fprintf(w, ", %.0f WAL syncs (%.2f ms each)", cm.syncs, 1000*cm.syncSeconds/cm.syncs)
			}
			if cm.restarts > 0 {
				fmt.Fprintf(w, ", %.0f WAL restarts (%.1f ms each, %.0f gave up waiting for readers)", cm.restarts, 1000*cm.restartSeconds/cm.restarts, cm.gaveUp)
			}
			fmt.Fprintln(w)
		}
	}
	for _, t := range r.targets {
		for i, res := range t.results {
			if res.Requests == 0 {
				continue
			}
			perRequest := func(d time.Duration) string {
				return fmt.Sprintf("%.0f µs per request, %.2f cores", float64(d.Microseconds())/float64(res.Requests), d.Seconds()/res.Elapsed.Seconds())
			}
			line := fmt.Sprintf("%s round %d CPU:", t.name, i+1)
			if t.cpu[i] >= 0 {
				line += " server " + perRequest(t.cpu[i]) + ";"
			}
			if t.loader[i] >= 0 {
				line += " load generator " + perRequest(t.loader[i])
			}
			fmt.Fprintln(w, line)
		}
	}
	for i, a := range subject.allocs {
		if a.requests > 0 {
			fmt.Fprintf(w, "%s round %d heap: %.1f KiB and %d objects allocated per request, %d GCs\n",
				subject.name, i+1, float64(a.bytes)/float64(a.requests)/1024, a.objects/uint64(a.requests), a.gcs)
		}
	}
	if ch := subject.child; ch != nil {
		time.Sleep(time.Second)
		if after, err := ch.Memory(); err == nil {
			fmt.Fprintf(w, "%s RSS: %.1f MiB at start, %.1f MiB 1 s after the load, peak %.1f MiB\n",
				subject.name, mib(r.startMem.RSS), mib(after.RSS), mib(after.Peak))
		}
	}
	if c.CPUProfile != "" {
		fmt.Fprintf(w, "cpu profile of %s's first measurement: %s (go tool pprof -top %s %s)\n", subject.name, c.CPUProfile, r.exe, c.CPUProfile)
	}
	if c.MemProfile != "" {
		fmt.Fprintf(w, "allocation profile of %s after its first measurement: %s (go tool pprof -sample_index=alloc_space -top %s %s)\n", subject.name, c.MemProfile, r.exe, c.MemProfile)
	}
	fmt.Fprintf(w, "load average after: %s\n", LoadAvg())

	ceiling := r.targets[0]
	var ratios, rps, p99 []float64
	var errs int64
	for i, res := range subject.results {
		ratios = append(ratios, res.RPS()/ceiling.results[i].RPS())
		rps = append(rps, res.RPS())
		p99 = append(p99, Millis(res.Latencies.Quantile(0.99)))
		errs += res.Errors()
	}
	if c.Compare != "" {
		other := r.targets[2]
		var times []float64
		for i, res := range subject.results {
			times = append(times, res.RPS()/other.results[i].RPS())
		}
		fmt.Fprintf(w, "%s ÷ %s: %.2f× req/s (median of %d round(s))\n", subject.name, c.Compare, median(times), c.Rounds)
	}
	fmt.Fprintf(w, "ratio_to_ceiling=%.3f rps=%.1f p99_ms=%.2f errors=%d\n", median(ratios), median(rps), median(p99), errs)
}

// workload builds the configured workload and the path it loads.
func (c Config) workload(runID string) (Workload, string, error) {
	if c.Op == "jobs" {
		w := NewJobListWorkload(JobListOptions{Token: c.Token, Org: c.Org, PerPage: c.PerPage, Pages: c.Pages})
		return w, w.Path(), nil
	}
	if c.Op == "search" {
		w, err := NewSearchWorkload(SearchOptions{Token: c.Token, Company: c.Company, Run: c.Run, People: c.People})
		if err != nil {
			return nil, "", err
		}
		return w, w.Path(), nil
	}
	if c.Op == "list" {
		w, err := NewListWorkload(ListOptions{Token: c.Token, Job: c.Job, PerPage: c.PerPage, Pages: c.Pages})
		if err != nil {
			return nil, "", err
		}
		return w, w.Path(), nil
	}
	w, err := NewCreateWorkload(CreateOptions{
		Dialect: Dialect(c.Dialect), Token: c.Token, Org: c.Org, Job: c.Job, StageID: c.StageID,
		Vacancy: c.Vacancy, ResumeSize: c.ResumeSize, RunID: runID,
	})
	if err != nil {
		return nil, "", err
	}
	return w, w.Path(), nil
}

// bodySize is the size of a request body of wl.
func bodySize(wl Workload, base string) int64 {
	req, err := wl.Request(base, 0)
	if err != nil {
		return 0
	}
	return req.ContentLength
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
