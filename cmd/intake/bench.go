package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"

	"intake/internal/tooling/bench"
)

// runBenchCommand dispatches `bench` and its hidden helpers, the child
// processes bench starts: `bench-ceiling` and `bench-serve`.
func runBenchCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	switch args[0] {
	case "bench-ceiling":
		return runBenchCeiling(ctx, args[1:], stderr)
	case "bench-serve":
		return runBenchServe(ctx, args[1:], stdout, stderr)
	}
	c, err := parseBenchFlags(args[1:], stderr)
	if err != nil {
		return err
	}
	if c.Exe, err = os.Executable(); err != nil {
		return err
	}
	return bench.RunCommand(ctx, c, stdout, stderr)
}

func parseBenchFlags(args []string, stderr io.Writer) (bench.Config, error) {
	var c bench.Config
	fs := flag.NewFlagSet("intake bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, bench.Usage)
		fs.PrintDefaults()
	}
	c.Flags(fs)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if err := c.Check(); err != nil {
		return c, fmt.Errorf("%w: %w", errUsage, err)
	}
	return c, nil
}

// runBenchCeiling is the hidden `intake bench-ceiling` command (see
// bench.ServeCeiling).
func runBenchCeiling(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("intake bench-ceiling", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	status := fs.Int("status", http.StatusCreated, "status of every answer")
	contentType := fs.String("content-type", "application/json; charset=utf-8", "content type of every answer")
	bodyPath := fs.String("body", "", "file holding the body of every answer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var body []byte
	if *bodyPath != "" {
		b, err := os.ReadFile(*bodyPath)
		if err != nil {
			return err
		}
		body = b
	}
	return bench.ServeCeiling(ctx, *addr, bench.Answer{Status: *status, ContentType: *contentType, Body: body}, stderr)
}

// runBenchServe is the hidden `intake bench-serve --debug-addr ADDR --
// <serve flags>` command: serve, plus bench.ServeDebug's pprof and expvar
// listener. `intake bench --debug` runs its intake this way to take CPU
// profiles and allocation counts under load.
func runBenchServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("intake bench-serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	debugAddr := fs.String("debug-addr", "127.0.0.1:0", "listen address of pprof and expvar")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := parseServeFlags(fs.Args())
	if err != nil {
		return err
	}
	tuneGC()
	stopDebug, err := bench.ServeDebug(*debugAddr, stderr)
	if err != nil {
		return err
	}
	defer stopDebug()
	m := NewMain(cfg, stdout, stderr)
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	<-ctx.Done()
	return m.Close()
}
