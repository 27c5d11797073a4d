package main

import (
	"flag"
	"fmt"
	"log/slog"
	"math"
	"net/netip"
	"os"
	"strings"
	"time"

	"intake"
	"intake/internal/fetch"
	"intake/internal/webhook"
)

// Config is everything `intake serve` needs, from flags or INTAKE_* env.
type Config struct {
	Addr           string
	DataDir        string
	WorldFile      string
	Timezone       string
	DatabaseURL    string
	BlobURL        string
	PublicURL      string
	AllowFetchFrom []netip.Prefix
	LogLevel       slog.Level
	FileURLTTL     time.Duration
	FileURLSecret  string
	UserTokenTTL   time.Duration
	RateLimit      float64
	RateBurst      int
	ShutdownGrace  time.Duration
	HeaderTimeout  time.Duration
	BodyTimeout    time.Duration
	// Webhook delivery: see docs/WEBHOOKS.md.
	WebhookSchedule  []time.Duration
	WebhookTimeout   time.Duration
	WebhookLease     time.Duration
	WebhookRetention time.Duration
}

// envName is the variable that may set the flag name: INTAKE_ and the name
// in upper case, dashes as underscores.
func envName(name string) string {
	return "INTAKE_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// parseFlags parses args into fs, then gives each of the named flags (all
// of them when none is named) that the command line left out the value of
// its INTAKE_* variable. A value the flag cannot parse is an error naming
// the variable: a typo must stop the start-up, not leave a default silently
// in place. An empty variable leaves a typed flag (duration, number, level)
// at its default, as if unset. It returns the flags set from variables.
func parseFlags(fs *flag.FlagSet, args []string, names ...string) (fromEnv map[string]bool, err error) {
	if len(names) == 0 {
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	}
	for _, name := range names {
		fs.Lookup(name).Usage += " (env " + envName(name) + ")"
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	fromEnv = map[string]bool{}
	for _, name := range names {
		v, ok := os.LookupEnv(envName(name))
		if !ok || given[name] {
			continue
		}
		if _, isString := fs.Lookup(name).Value.(flag.Getter).Get().(string); v == "" && !isString {
			continue
		}
		if err := fs.Set(name, v); err != nil {
			return nil, fmt.Errorf("invalid value %q for %s: %w", v, envName(name), err)
		}
		fromEnv[name] = true
	}
	return fromEnv, nil
}

// parseServeFlags reads the serve command line, INTAKE_* variables standing
// in for absent flags.
func parseServeFlags(args []string) (Config, error) {
	var c Config
	var allow string
	fs := flag.NewFlagSet("intake serve", flag.ContinueOnError)
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:8080", "listen address")
	fs.StringVar(&c.DataDir, "data", "./data", "data directory: SQLite database, files, secrets")
	fs.StringVar(&c.WorldFile, "world", "", "world file (YAML or JSON) applied at every start")
	fs.StringVar(&c.Timezone, "timezone", "Europe/Paris", "time zone of WelcomeKit timestamps and date filters")
	fs.StringVar(&c.DatabaseURL, "database-url", "", "postgres://… to use PostgreSQL instead of the embedded SQLite")
	fs.StringVar(&c.BlobURL, "blob-url", "", "s3://bucket/prefix[?endpoint=host:port&region=r&path_style=true] to keep files in S3-compatible storage (credentials: INTAKE_S3_ACCESS_KEY, INTAKE_S3_SECRET_KEY or the AWS environment)")
	fs.StringVar(&c.PublicURL, "public-url", "", "base URL clients reach intake at (for absolute URLs); default: from each request")
	fs.StringVar(&allow, "allow-fetch-from", "", "comma-separated CIDRs that remote file URLs may point into (private ranges are refused otherwise)")
	fs.TextVar(&c.LogLevel, "log-level", slog.LevelInfo, "log `level`: debug, info, warn or error")
	fs.StringVar(&c.FileURLSecret, "file-url-secret", "", "hex key signing download URLs; every process sharing a database needs the same (default: generated into the data dir)")
	fs.DurationVar(&c.UserTokenTTL, "user-token-ttl", intake.DefaultUserTokenTTL, "lifetime of the user tokens POST /user/login issues")
	fs.DurationVar(&c.FileURLTTL, "file-url-ttl", 24*time.Hour, "lifetime of signed file download URLs")
	fs.DurationVar(&c.HeaderTimeout, "read-header-timeout", 10*time.Second, "time a client has to send its request headers (slow clients are cut off)")
	fs.DurationVar(&c.BodyTimeout, "read-timeout", 2*time.Minute, "time a client has to send a whole request, body included; also the time to write the answer")
	fs.DurationVar(&c.ShutdownGrace, "shutdown-grace", 20*time.Second, "how long in-flight requests may finish on SIGTERM")
	fs.Float64Var(&c.RateLimit, "rate-limit", 200, "requests per second allowed per API key (0: unlimited)")
	fs.IntVar(&c.RateBurst, "rate-burst", 400, "requests an API key may send at once before --rate-limit applies")
	schedule := fs.String("webhook-retry-schedule", webhook.DefaultSchedule, "comma-separated delays between webhook attempts; a delivery fails after the last")
	fs.DurationVar(&c.WebhookTimeout, "webhook-timeout", webhook.DefaultTimeout, "time a webhook receiver has to answer")
	fs.DurationVar(&c.WebhookLease, "webhook-lease", webhook.DefaultLease, "how long a process holds a subscription it sends to; another takes over after this if it dies")
	fs.DurationVar(&c.WebhookRetention, "webhook-retention", 30*24*time.Hour, "how long delivered and failed webhook deliveries (and their events) are kept")
	fromEnv, err := parseFlags(fs, args)
	if err != nil {
		return c, err
	}

	// source names where a flag's value came from, for an error about it.
	source := func(name string) string {
		if fromEnv[name] {
			return envName(name)
		}
		return "--" + name
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.RateLimit < 0 || math.IsNaN(c.RateLimit) || math.IsInf(c.RateLimit, 0) {
		return c, fmt.Errorf("%s: want a number of requests per second ≥ 0", source("rate-limit"))
	}
	if c.RateBurst < 1 {
		return c, fmt.Errorf("%s: want a whole number ≥ 1", source("rate-burst"))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"webhook-timeout", c.WebhookTimeout}, {"webhook-lease", c.WebhookLease}, {"webhook-retention", c.WebhookRetention}, {"file-url-ttl", c.FileURLTTL}, {"read-header-timeout", c.HeaderTimeout}, {"read-timeout", c.BodyTimeout}, {"shutdown-grace", c.ShutdownGrace}} {
		if d.v < 0 {
			return c, fmt.Errorf("%s: want a duration ≥ 0, got %s", source(d.name), d.v)
		}
	}
	if c.WebhookSchedule, err = webhook.ParseSchedule(*schedule); err != nil {
		return c, fmt.Errorf("%s: %w", source("webhook-retry-schedule"), err)
	}
	prefixes, err := fetch.ParseAllowList(allow)
	if err != nil {
		return c, fmt.Errorf("%s: %w", source("allow-fetch-from"), err)
	}
	c.AllowFetchFrom = prefixes
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		return c, fmt.Errorf("%s: %w", source("timezone"), err)
	}
	return c, nil
}
