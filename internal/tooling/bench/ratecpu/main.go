// Command ratecpu drives WelcomeKit creates at a fixed rate (open loop)
// against a running intake and prints the server's CPU time per create,
// read from /proc/PID/stat before and after. At a fixed rate both servers
// compared see the same batches, so their CPU per create can be compared
// even on a machine others load, unlike a closed loop's, whose batches
// (and so CPU per create) follow its throughput. Used for issue 14's
// "create cost with a subscription" (docs/BENCHMARKS.md).
//
//	go build -o /tmp/ratecpu ./internal/tooling/bench/ratecpu
//	/tmp/ratecpu -url http://127.0.0.1:PORT -pid PID -token TOKEN -rate 300 -n 3000
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"intake/internal/tooling/bench"
)

// cpuOf returns the user and system CPU time of a process (clock ticks of
// 10 ms).
func cpuOf(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	k, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bad /proc/%d/stat", pid)
	}
	return time.Duration(u+k) * 10 * time.Millisecond, nil
}

func main() {
	base := flag.String("url", "", "base URL of the intake under test")
	pid := flag.Int("pid", 0, "its process id")
	token := flag.String("token", "", "API token")
	rate := flag.Int("rate", 300, "creates per second")
	n := flag.Int("n", 3000, "creates measured")
	warm := flag.Int("warm", 600, "creates sent first, unmeasured")
	drain := flag.Duration("drain", 2*time.Second, "wait after each phase (webhook deliveries included)")
	flag.Parse()
	if *base == "" || *pid == 0 || *token == "" || *rate <= 0 {
		log.Fatal("ratecpu: -url, -pid, -token and a positive -rate are needed")
	}
	wl, err := bench.NewCreateWorkload(bench.CreateOptions{Dialect: bench.WelcomeKit, Token: *token, Org: bench.DemoOrg,
		Job: bench.DemoJob, StageID: bench.DemoStageID, RunID: "r" + strconv.FormatInt(time.Now().UnixNano(), 36)})
	if err != nil {
		log.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	var seq uint64
	var errs atomic.Int64
	send := func(count int) {
		var wg sync.WaitGroup
		tick := time.NewTicker(time.Second / time.Duration(*rate))
		defer tick.Stop()
		for range count {
			<-tick.C
			seq++
			req, err := wl.Request(*base, seq)
			if err != nil {
				log.Fatal(err)
			}
			wg.Go(func() {
				resp, err := client.Do(req)
				if err != nil {
					errs.Add(1)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode/100 != 2 {
					errs.Add(1)
				}
			})
		}
		wg.Wait()
	}
	send(*warm)
	time.Sleep(*drain)
	c0, err := cpuOf(*pid)
	if err != nil {
		log.Fatal(err)
	}
	t0 := time.Now()
	send(*n)
	time.Sleep(*drain)
	c1, err := cpuOf(*pid)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("rate=%d n=%d wall=%s server_cpu=%s cpu_per_create_us=%.0f errors=%d\n", *rate, *n,
		time.Since(t0).Round(time.Millisecond), c1-c0, float64((c1-c0).Microseconds())/float64(*n), errs.Load())
}
