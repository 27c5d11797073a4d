// Command intake is the candidate-intake server: it speaks the WelcomeKit
// and Flatchr candidate APIs over one store.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: intake <command> [flags]

commands:
  serve       run the server (intake serve -h for flags)
  keys        create, list or revoke API keys (intake keys -h)
  users       create, list, disable users or reset their passwords (intake users -h)
  webhooks    manage webhook subscriptions, replay events, list deliveries
  backup      copy a data directory while it serves (intake backup --to DIR --data DIR)
  restore     rebuild a data directory from a backup (intake restore --from DIR --data DIR)
  crash-test  kill a server at random under load and verify nothing acknowledged was lost (intake crash-test -h)
  bench       measure creates against a bare net/http ceiling, or any target (intake bench -h)
  generate    fill a data directory with N realistic candidates (intake generate -h)
`

func main() {
	os.Exit(runMain(os.Args[1:], os.Stdout, os.Stderr))
}

// runMain runs one command line, SIGINT and SIGTERM cancelling it, and
// returns the exit code. The black-box tests run it too: their processes
// are the test binary acting as intake.
func runMain(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, args, stdout, stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "intake:", err)
		}
		return exitCode(err)
	}
	return 0
}

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) || errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

var errUsage = errors.New("bad usage")

// run dispatches a subcommand; it returns when the command is done (for
// serve: after ctx is cancelled and the server drained).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "serve":
		cfg, err := parseServeFlags(args[1:])
		if err != nil {
			return err
		}
		tuneGC()
		m := NewMain(cfg, stdout, stderr)
		if err := m.Run(ctx); err != nil {
			m.Close()
			return err
		}
		<-ctx.Done()
		return m.Close()
	case "keys":
		return runKeys(ctx, args[1:], stdout, stderr)
	case "users":
		return runUsers(ctx, args[1:], os.Stdin, stdout, stderr)
	case "webhooks":
		return runWebhooks(ctx, args[1:], stdout, stderr)
	case "bench", "bench-ceiling", "bench-serve":
		return runBenchCommand(ctx, args, stdout, stderr)
	case "backup":
		return runBackup(ctx, args[1:], stdout, stderr)
	case "restore":
		return runRestore(ctx, args[1:], stdout, stderr)
	case "crash-test":
		return runCrashTest(ctx, args[1:], stdout, stderr)
	case "generate":
		return runGenerate(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("%w: unknown command %q", errUsage, args[0])
}
