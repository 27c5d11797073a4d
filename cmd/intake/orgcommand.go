package main

import (
	"flag"
	"fmt"
	"io"
)

// orgCommand is the frame the administration subcommands share (keys,
// users, webhooks): a verb, the flags that find the store, and the
// organization they work on.
type orgCommand struct {
	verb string
	fs   *flag.FlagSet
	cfg  Config
	org  *string
}

// newOrgCommand reads the verb of `intake NAME VERB …` and registers the
// shared flags; the caller adds its own before parse. Without a verb it
// prints usage and returns errUsage.
func newOrgCommand(name, usage string, args []string, stderr io.Writer) (*orgCommand, error) {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return nil, errUsage
	}
	c := &orgCommand{verb: args[0]}
	c.fs = flag.NewFlagSet("intake "+name+" "+c.verb, flag.ContinueOnError)
	c.fs.SetOutput(stderr)
	c.fs.StringVar(&c.cfg.DataDir, "data", "./data", "data directory")
	c.fs.StringVar(&c.cfg.DatabaseURL, "database-url", "", "PostgreSQL URL instead of the data directory's SQLite")
	c.org = c.fs.String("org", "", "organization reference")
	return c, nil
}

// parse reads the flags after the verb (INTAKE_DATA and
// INTAKE_DATABASE_URL too) and requires --org.
func (c *orgCommand) parse(args []string) error {
	if _, err := parseFlags(c.fs, args[1:], "data", "database-url"); err != nil {
		return err
	}
	if *c.org == "" {
		return fmt.Errorf("%w: --org is required", errUsage)
	}
	return nil
}
