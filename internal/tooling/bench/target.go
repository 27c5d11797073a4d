package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// CheckLoopback refuses a base URL whose host is not a loopback address or
// a name resolving only to loopback addresses: a load aimed elsewhere by
// mistake would hit a real server.
func CheckLoopback(ctx context.Context, base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%s: only http and https URLs can be loaded", base)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() {
			return fmt.Errorf("%s: %s is not a loopback address", base, host)
		}
		return nil
	}
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if !a.IP.IsLoopback() {
			return fmt.Errorf("%s: %s resolves to %s, not a loopback address", base, host, a.IP)
		}
	}
	if len(addrs) == 0 {
		return fmt.Errorf("%s: %s has no address", base, host)
	}
	return nil
}

// TrimBase drops a trailing slash, so that paths join with one.
func TrimBase(base string) string { return strings.TrimRight(base, "/") }

// FetchCPUProfile fetches a CPU profile covering the next d from a
// net/http/pprof endpoint at debugAddr and writes it to path.
func FetchCPUProfile(ctx context.Context, debugAddr string, d time.Duration, path string) error {
	secs := max(1, int(d.Round(time.Second)/time.Second))
	return fetchProfile(ctx, fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", debugAddr, secs), d+time.Minute, path)
}

// FetchAllocsProfile fetches the allocation profile (every allocation since
// the process started, sampled) from debugAddr and writes it to path.
func FetchAllocsProfile(ctx context.Context, debugAddr string, path string) error {
	return fetchProfile(ctx, "http://"+debugAddr+"/debug/pprof/allocs", time.Minute, path)
}

func fetchProfile(ctx context.Context, url string, timeout time.Duration, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{Proxy: nil}, Timeout: timeout}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s: %s: %s", url, resp.Status, b)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// MemStats is the part of a Go server's runtime.MemStats the bench reports,
// as published by expvar at /debug/vars.
type MemStats struct {
	TotalAlloc   uint64 // bytes allocated on the heap, cumulative
	Mallocs      uint64 // heap objects allocated, cumulative
	NumGC        uint32
	PauseTotalNs uint64
	HeapInuse    uint64
	Sys          uint64
}

// FetchMemStats reads the memstats expvar of the server at debugAddr.
func FetchMemStats(ctx context.Context, debugAddr string) (MemStats, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+debugAddr+"/debug/vars", nil)
	if err != nil {
		return MemStats{}, err
	}
	client := &http.Client{Transport: &http.Transport{Proxy: nil}, Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return MemStats{}, err
	}
	defer resp.Body.Close()
	var vars struct {
		MemStats *MemStats `json:"memstats"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&vars); err != nil {
		return MemStats{}, fmt.Errorf("/debug/vars: %w", err)
	}
	if vars.MemStats == nil {
		return MemStats{}, fmt.Errorf("/debug/vars: no memstats")
	}
	return *vars.MemStats, nil
}
