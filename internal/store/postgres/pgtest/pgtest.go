// Package pgtest gives tests a throw-away PostgreSQL database.
//
// The server is named by INTAKE_TEST_DATABASE_URL (default: the local
// trust-auth server as user postgres). When it does not answer, tests are
// skipped, except under CI=true where a missing database is a failure, so
// that CI never passes by skipping.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultURL is the server used when INTAKE_TEST_DATABASE_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// ServerURL returns the URL of the test server's maintenance database.
func ServerURL() string {
	if u := os.Getenv("INTAKE_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// NewDatabase creates an empty database named intake_test_<random> and
// returns its URL; it is dropped, connections and all, when the test ends.
// It skips the test, or fails it under CI=true, when no server answers.
func NewDatabase(t testing.TB) string {
	t.Helper()
	admin := connect(t)
	name := "intake_test_" + randomSuffix()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		admin.Close(ctx)
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	admin.Close(ctx)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := pgx.Connect(ctx, ServerURL())
		if err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
			return
		}
		defer admin.Close(ctx)
		// FORCE ends the sessions a failed test left open, which a plain
		// DROP would wait for forever.
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	u, err := withDatabase(ServerURL(), name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return u
}

func connect(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, ServerURL())
	if err == nil {
		return conn
	}
	msg := "pgtest: no PostgreSQL server at " + redact(ServerURL()) +
		" (set INTAKE_TEST_DATABASE_URL to a server where this user may CREATE DATABASE): " + err.Error()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return nil
}

// withDatabase points a URL or key=value DSN at another database.
func withDatabase(serverURL, name string) (string, error) {
	if strings.HasPrefix(serverURL, "postgres://") || strings.HasPrefix(serverURL, "postgresql://") {
		u, err := url.Parse(serverURL)
		if err != nil {
			return "", err
		}
		u.Path = "/" + name
		return u.String(), nil
	}
	return serverURL + " dbname=" + name, nil
}

func redact(serverURL string) string {
	if u, err := url.Parse(serverURL); err == nil && u.User != nil {
		return u.Redacted()
	}
	return serverURL
}

func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
