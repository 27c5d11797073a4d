package bench

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

// Machine describes the machine a load runs on, for reports: numbers are
// only comparable on the same machine under the same load.
type Machine struct {
	CPUs     int
	CPUModel string
	MemTotal int64  // bytes; 0 when unknown
	LoadAvg  string // the 1, 5 and 15 minute load averages
}

// ReadMachine reads the machine's description from /proc (Linux); fields it
// cannot read stay empty.
func ReadMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), LoadAvg: LoadAvg()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				m.MemTotal = kb << 10
			}
		}
	}
	return m
}

func (m Machine) String() string {
	return fmt.Sprintf("%d CPUs (%s), %.1f GiB memory, load average %s", m.CPUs, m.CPUModel, float64(m.MemTotal)/(1<<30), m.LoadAvg)
}

// LoadAvg returns the 1, 5 and 15 minute load averages, "" when unknown.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// FileSystem names the file system holding path: a database on tmpfs never
// waits for a disk, so its numbers say nothing of durable writes.
func FileSystem(path string) string {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return "unknown"
	}
	switch uint64(st.Type) {
	case 0xEF53:
		return "ext4"
	case 0x01021994:
		return "tmpfs"
	case 0x58465342:
		return "xfs"
	case 0x9123683E:
		return "btrfs"
	case 0x794C7630:
		return "overlayfs"
	case 0x2FC12FC1:
		return "zfs"
	}
	return fmt.Sprintf("0x%x", st.Type)
}
