package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"intake/internal/tooling/crashtest"
)

// runCrashTest runs the crash harness against this very binary: it
// re-executes itself as `intake serve`, kills it at random moments and
// verifies that nothing acknowledged was lost (see crashtest.RunCommand).
func runCrashTest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("intake crash-test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg crashtest.Config
	cfg.Flags(fs)
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
	return crashtest.RunCommand(ctx, cfg, *report, stdout)
}
