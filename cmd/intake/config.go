package main

import (
	"flag"
	"fmt"
	"net/mail"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"intake/internal/fetch"
	"intake/internal/mailer"
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
	LogLevel       string
	FileURLTTL     time.Duration
	FileURLSecret  string
	RateLimit      float64
	RateBurst      int
	ShutdownGrace  time.Duration
	HeaderTimeout  time.Duration
	BodyTimeout    time.Duration
	SMTPURL        string
	SMTPFrom       string
}

// envDefault lets every flag be set by its INTAKE_* variable; a flag given on
// the command line still wins.
func envDefault(name, fallback string) string {
	if v, ok := os.LookupEnv("INTAKE_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))); ok {
		return v
	}
	return fallback
}

func envDuration(fs *flag.FlagSet, p *time.Duration, name string, fallback time.Duration, usage string) {
	d := fallback
	if v := envDefault(name, ""); v != "" {
		if parsed, err := time.ParseDuration(v); err == nil {
			d = parsed
		}
	}
	fs.DurationVar(p, name, d, usage+" (env INTAKE_"+strings.ToUpper(strings.ReplaceAll(name, "-", "_"))+")")
}

func envString(fs *flag.FlagSet, p *string, name, fallback, usage string) {
	fs.StringVar(p, name, envDefault(name, fallback), usage+" (env INTAKE_"+strings.ToUpper(strings.ReplaceAll(name, "-", "_"))+")")
}

// parseServeFlags reads the serve command line.
func parseServeFlags(args []string) (Config, error) {
	var c Config
	var allow string
	fs := flag.NewFlagSet("intake serve", flag.ContinueOnError)
	envString(fs, &c.Addr, "addr", "127.0.0.1:8080", "listen address")
	envString(fs, &c.DataDir, "data", "./data", "data directory: SQLite database, files, secrets")
	envString(fs, &c.WorldFile, "world", "", "world file (YAML or JSON) applied at every start")
	envString(fs, &c.Timezone, "timezone", "Europe/Paris", "time zone of WelcomeKit timestamps and date filters")
	envString(fs, &c.DatabaseURL, "database-url", "", "postgres://… to use PostgreSQL instead of the embedded SQLite")
	envString(fs, &c.BlobURL, "blob-url", "", "s3://bucket/prefix[?endpoint=host:port&region=r&path_style=true] to keep files in S3-compatible storage (credentials: INTAKE_S3_ACCESS_KEY, INTAKE_S3_SECRET_KEY or the AWS environment)")
	envString(fs, &c.PublicURL, "public-url", "", "base URL clients reach intake at (for absolute URLs); default: from each request")
	envString(fs, &allow, "allow-fetch-from", "", "comma-separated CIDRs that remote file URLs may point into (private ranges are refused otherwise)")
	envString(fs, &c.LogLevel, "log-level", "info", "debug, info, warn or error")
	envString(fs, &c.FileURLSecret, "file-url-secret", "", "hex key signing download URLs; every process sharing a database needs the same (default: generated into the data dir)")
	envDuration(fs, &c.FileURLTTL, "file-url-ttl", 24*time.Hour, "lifetime of signed file download URLs")
	envDuration(fs, &c.HeaderTimeout, "read-header-timeout", 10*time.Second, "time a client has to send its request headers (slow clients are cut off)")
	envDuration(fs, &c.BodyTimeout, "read-timeout", 2*time.Minute, "time a client has to send a whole request, body included; also the time to write the answer")
	envDuration(fs, &c.ShutdownGrace, "shutdown-grace", 20*time.Second, "how long in-flight requests may finish on SIGTERM")
	envString(fs, &c.SMTPURL, "smtp-url", "", "smtp://user:pass@host:port (STARTTLS when offered) or smtps://… to send emails and messages; without it they are stored as not sent")
	envString(fs, &c.SMTPFrom, "smtp-from", "", "sender address of sent mail; the client's from_email becomes Reply-To (default: send from the client's from_email)")
	var rate, burst string
	envString(fs, &rate, "rate-limit", "200", "requests per second allowed per API key (0: unlimited)")
	envString(fs, &burst, "rate-burst", "400", "requests an API key may send at once before --rate-limit applies")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	var err error
	if c.RateLimit, err = strconv.ParseFloat(rate, 64); err != nil || c.RateLimit < 0 {
		return c, fmt.Errorf("--rate-limit: want a number of requests per second ≥ 0")
	}
	if c.RateBurst, err = strconv.Atoi(burst); err != nil || c.RateBurst < 1 {
		return c, fmt.Errorf("--rate-burst: want a whole number ≥ 1")
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	prefixes, err := fetch.ParseAllowList(allow)
	if err != nil {
		return c, fmt.Errorf("--allow-fetch-from: %w", err)
	}
	c.AllowFetchFrom = prefixes
	if c.SMTPURL != "" {
		if _, err := mailer.Parse(c.SMTPURL); err != nil {
			return c, fmt.Errorf("--smtp-url: %w", err)
		}
	}
	if c.SMTPFrom != "" {
		if _, err := mail.ParseAddress(c.SMTPFrom); err != nil {
			return c, fmt.Errorf("--smtp-from: not an email address")
		}
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		return c, fmt.Errorf("--timezone: %w", err)
	}
	return c, nil
}
