package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Metrics are the samples of a Prometheus text exposition, keyed by series:
// the metric name with its labels as written, e.g.
// `intake_store_commit_batch_size_sum` or
// `intake_http_requests_total{method="POST",route="…",status="201"}`.
type Metrics map[string]float64

// Delta returns m[series] − before[series].
func (m Metrics) Delta(before Metrics, series string) float64 {
	return m[series] - before[series]
}

// FetchMetrics reads a Prometheus text exposition (/metrics).
func FetchMetrics(ctx context.Context, client *http.Client, url string) (Metrics, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	return ParseMetrics(resp.Body)
}

// ParseMetrics reads the samples of a Prometheus text exposition; comments
// and lines it cannot read are skipped, and so is a trailing timestamp.
func ParseMetrics(r io.Reader) (Metrics, error) {
	m := Metrics{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		// Label values may hold spaces: the series ends at the closing
		// brace when there is one.
		cut := strings.LastIndexByte(line, '}')
		if cut < 0 {
			cut = strings.IndexByte(line, ' ')
			if cut < 0 {
				continue
			}
			cut--
		}
		series, rest := line[:cut+1], strings.Fields(line[cut+1:])
		if len(rest) == 0 {
			continue
		}
		v, err := strconv.ParseFloat(rest[0], 64)
		if err != nil {
			continue
		}
		m[series] = v
	}
	return m, sc.Err()
}
