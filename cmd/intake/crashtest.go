package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"intake/internal/tooling/crashtest"
)

// runCrashTest runs the crash harness against this very binary: it
// re-executes itself as `intake serve`, kills it at random moments and
// verifies that nothing acknowledged was lost. It fails when the
// verification found anything.
func runCrashTest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("intake crash-test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg crashtest.Config
	fs.IntVar(&cfg.Cycles, "cycles", 10, "kill-and-restart cycles")
	fs.IntVar(&cfg.Concurrency, "concurrency", 8, "concurrent clients")
	fs.StringVar(&cfg.DataDir, "data", "", "data directory for the server under test (missing or empty)")
	fs.Uint64Var(&cfg.Seed, "seed", 0, "random seed (0: pick one)")
	fs.DurationVar(&cfg.MaxUptime, "max-uptime", crashtest.DefaultMaxUptime, "longest a server runs before its kill (at least a tenth of it)")
	fs.IntVar(&cfg.MaxResume, "max-resume", crashtest.DefaultMaxResume, "largest resume in bytes")
	fs.BoolVar(&cfg.Reapply, "reapply", false, "add Flatchr re-applies of earlier candidates, which replace their resume")
	report := fs.String("report", "", "also write the report as JSON to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.DataDir == "" || fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%w: crash-test needs --data DIR and no arguments", errUsage)
	}
	bin, err := os.Executable()
	if err != nil {
		return err
	}
	cfg.Binary, cfg.Log = bin, stderr
	rep, err := crashtest.Run(ctx, cfg)
	if err != nil {
		return fmt.Errorf("crash-test: %w", err)
	}
	rep.WriteText(stdout)
	if *report != "" {
		f, err := os.Create(*report)
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
