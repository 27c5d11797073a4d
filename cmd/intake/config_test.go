package main

import (
	"bytes"
	"errors"
	"log/slog"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestParseServeFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		// check inspects a parse that must succeed.
		check func(t *testing.T, c Config)
		// wantErr is the error text of a parse that must fail.
		wantErr string
	}{
		{name: "defaults", check: func(t *testing.T, c Config) {
			if c.LogLevel != slog.LevelInfo || c.FileURLTTL != 24*time.Hour || c.RateLimit != 200 || c.RateBurst != 400 {
				t.Errorf("defaults = %+v", c)
			}
		}},
		{name: "env sets typed values", env: map[string]string{"INTAKE_LOG_LEVEL": "debug", "INTAKE_SHUTDOWN_GRACE": "3s", "INTAKE_RATE_BURST": "7", "INTAKE_RATE_LIMIT": "1.5"},
			check: func(t *testing.T, c Config) {
				if c.LogLevel != slog.LevelDebug || c.ShutdownGrace != 3*time.Second || c.RateBurst != 7 || c.RateLimit != 1.5 {
					t.Errorf("config = %+v", c)
				}
			}},
		{name: "command line wins over env", args: []string{"--log-level", "warn", "--read-timeout", "1m"},
			env: map[string]string{"INTAKE_LOG_LEVEL": "not-a-level", "INTAKE_READ_TIMEOUT": "forever"},
			check: func(t *testing.T, c Config) {
				if c.LogLevel != slog.LevelWarn || c.BodyTimeout != time.Minute {
					t.Errorf("config = %+v", c)
				}
			}},
		{name: "empty env leaves a typed default", env: map[string]string{"INTAKE_FILE_URL_TTL": "", "INTAKE_LOG_LEVEL": ""},
			check: func(t *testing.T, c Config) {
				if c.FileURLTTL != 24*time.Hour || c.LogLevel != slog.LevelInfo {
					t.Errorf("config = %+v", c)
				}
			}},
		{name: "env duration", env: map[string]string{"INTAKE_FILE_URL_TTL": "3 days"},
			wantErr: `invalid value "3 days" for INTAKE_FILE_URL_TTL: parse error`},
		{name: "env log level", env: map[string]string{"INTAKE_LOG_LEVEL": "verbose"},
			wantErr: `invalid value "verbose" for INTAKE_LOG_LEVEL: slog: level string "verbose": unknown name`},
		{name: "env int", env: map[string]string{"INTAKE_RATE_BURST": "lots"},
			wantErr: `invalid value "lots" for INTAKE_RATE_BURST: parse error`},
		{name: "env int out of range", env: map[string]string{"INTAKE_RATE_BURST": "0"},
			wantErr: `INTAKE_RATE_BURST: want a whole number ≥ 1`},
		{name: "env rate not finite", env: map[string]string{"INTAKE_RATE_LIMIT": "NaN"},
			wantErr: `INTAKE_RATE_LIMIT: want a number of requests per second ≥ 0`},
		{name: "flag log level", args: []string{"--log-level", "loud"},
			wantErr: `invalid value "loud" for flag -log-level: slog: level string "loud": unknown name`},
		{name: "flag duration", args: []string{"--read-header-timeout", "10"},
			wantErr: `invalid value "10" for flag -read-header-timeout: parse error`},
		{name: "flag negative duration", args: []string{"--shutdown-grace", "-1s"},
			wantErr: `--shutdown-grace: want a duration ≥ 0, got -1s`},
		{name: "flag rate", args: []string{"--rate-limit", "-1"},
			wantErr: `--rate-limit: want a number of requests per second ≥ 0`},
		{name: "env timezone", env: map[string]string{"INTAKE_TIMEZONE": "Mars/Olympus"},
			wantErr: `INTAKE_TIMEZONE: unknown time zone Mars/Olympus`},
		{name: "extra argument", args: []string{"now"}, wantErr: `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			c, err := parseServeFlags(tt.args)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

// TestServeRefusesBadConfig runs the binary: a value it cannot parse stops
// it before it opens anything, exit status 1, with a message naming the
// value's source.
func TestServeRefusesBadConfig(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  []string
		want string
	}{
		{name: "env duration", env: []string{"INTAKE_READ_TIMEOUT=2 minutes"},
			want: `intake: invalid value "2 minutes" for INTAKE_READ_TIMEOUT: parse error`},
		{name: "env log level", env: []string{"INTAKE_LOG_LEVEL=chatty"},
			want: `intake: invalid value "chatty" for INTAKE_LOG_LEVEL: slog: level string "chatty": unknown name`},
		{name: "env int", env: []string{"INTAKE_RATE_BURST=1e3"},
			want: `intake: invalid value "1e3" for INTAKE_RATE_BURST: parse error`},
		{name: "flag log level", args: []string{"--log-level", "chatty"},
			want: `intake: invalid value "chatty" for flag -log-level: slog: level string "chatty": unknown name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dataDir := t.TempDir()
			cmd := exec.CommandContext(t.Context(), binaryPath, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dataDir}, tt.args...)...)
			cmd.Env = append(cmd.Environ(), tt.env...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if ee, ok := errors.AsType[*exec.ExitError](err); !ok || ee.ExitCode() != 1 {
				t.Fatalf("exit: %v, want status 1; stderr:\n%s", err, stderr.String())
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if last := lines[len(lines)-1]; last != tt.want {
				t.Errorf("last stderr line = %q, want %q", last, tt.want)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout = %q, want nothing (no banner: it must not start)", stdout.String())
			}
		})
	}
}
