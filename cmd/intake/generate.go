package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"intake/internal/tooling/generate"
)

// runGenerate is `intake generate` (see generate.Run).
func runGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c generate.Config
	fs := flag.NewFlagSet("intake generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, generate.Usage)
		fs.PrintDefaults()
	}
	c.Flags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if err := c.Check(); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	return generate.Run(ctx, c, stdout, stderr)
}
