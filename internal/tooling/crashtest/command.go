package crashtest

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// Flags registers the `intake crash-test` flags on fs, their defaults into
// c; Binary and Log are the caller's to set.
func (c *Config) Flags(fs *flag.FlagSet) {
	fs.IntVar(&c.Cycles, "cycles", 10, "kill-and-restart cycles")
	fs.IntVar(&c.Concurrency, "concurrency", 8, "concurrent clients")
	fs.StringVar(&c.DataDir, "data", "", "data directory for the server under test (missing or empty)")
	fs.Uint64Var(&c.Seed, "seed", 0, "random seed (0: pick one)")
	fs.DurationVar(&c.MaxUptime, "max-uptime", DefaultMaxUptime, "longest a server runs before its kill (at least a tenth of it)")
	fs.IntVar(&c.MaxResume, "max-resume", DefaultMaxResume, "largest resume in bytes")
	fs.BoolVar(&c.Reapply, "reapply", false, "add Flatchr re-applies of earlier candidates, which replace their resume")
	fs.BoolVar(&c.Webhooks, "webhooks", false, "subscribe a receiver to new_applicant; every acknowledged create's event must reach it")
}

// RunCommand is `intake crash-test`: Run, then the report as text to
// stdout and, when reportPath is set, as JSON to that file. It fails when
// the verification found anything.
func RunCommand(ctx context.Context, cfg Config, reportPath string, stdout io.Writer) error {
	rep, err := Run(ctx, cfg)
	if err != nil {
		return fmt.Errorf("crash-test: %w", err)
	}
	rep.WriteText(stdout)
	if reportPath != "" {
		f, err := os.Create(reportPath)
		if err != nil {
			return err
		}
		err = rep.WriteJSON(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	if !rep.OK() {
		return fmt.Errorf("crash-test: FAILED after %s", time.Duration(rep.Seconds*float64(time.Second)).Round(time.Second))
	}
	return nil
}
