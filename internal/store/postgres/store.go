// Package postgres implements intake.Store on PostgreSQL through pgx.
//
// Several intake processes may share one database: migrations run under an
// advisory lock, uniqueness comes from constraints, and world saves are
// serialized by a transaction-scoped advisory lock.
package postgres

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"intake"
)

// Defaults of the pool. Connections are cheap to hold and every committing
// transaction needs its own: PostgreSQL flushes the WAL of all transactions
// committing at once with a single fsync, so the pool is the group commit.
const (
	DefaultMaxConns       = 16
	DefaultConnectTimeout = 3 * time.Second
	DefaultAcquireTimeout = 5 * time.Second
	DefaultPingTimeout    = time.Second
	DefaultTimeout        = 10 * time.Second
)

// Store is an intake.Store backed by a PostgreSQL database. It is safe for
// concurrent use.
type Store struct {
	pool           *pgxpool.Pool
	acquireTimeout time.Duration
	pingTimeout    time.Duration
	timeout        time.Duration
}

var _ intake.Store = (*Store)(nil)

// Option tunes Open.
type Option func(*options)

type options struct {
	maxConns       int32
	connectTimeout time.Duration
	acquireTimeout time.Duration
	pingTimeout    time.Duration
	timeout        time.Duration
}

// WithMaxConns caps the pool; a pool_max_conns in the URL wins over the
// default but not over this option.
func WithMaxConns(n int) Option { return func(o *options) { o.maxConns = int32(n) } }

// WithConnectTimeout bounds how long opening one connection may take, so a
// request fails fast while the server is unreachable.
func WithConnectTimeout(d time.Duration) Option { return func(o *options) { o.connectTimeout = d } }

// WithAcquireTimeout bounds how long a request waits for a pooled
// connection when its context allows longer.
func WithAcquireTimeout(d time.Duration) Option { return func(o *options) { o.acquireTimeout = d } }

// WithPingTimeout bounds Ping.
func WithPingTimeout(d time.Duration) Option { return func(o *options) { o.pingTimeout = d } }

// WithTimeout bounds each store call, retries included, when its context
// allows longer: a connection whose peer went silent would otherwise hold
// a request until TCP gives up, many minutes later.
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// Open connects to databaseURL (a postgres:// URL or key=value DSN), applies
// pending migrations and returns a Store. Several processes may Open the same
// database at once. Errors: EUnavailable when the server cannot be reached,
// EInternal for a bad URL or a failed migration.
func Open(ctx context.Context, databaseURL string, opts ...Option) (*Store, error) {
	o := options{acquireTimeout: DefaultAcquireTimeout, pingTimeout: DefaultPingTimeout, timeout: DefaultTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, intake.WrapError(intake.EInternal, err, "invalid database URL")
	}
	if o.maxConns > 0 {
		cfg.MaxConns = o.maxConns
	} else if !urlHasParam(databaseURL, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns
	}
	switch {
	case o.connectTimeout > 0:
		cfg.ConnConfig.ConnectTimeout = o.connectTimeout
	case cfg.ConnConfig.ConnectTimeout == 0:
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	// Sent in the startup packet, which overrides postgresql.conf and any
	// ALTER DATABASE/ROLE default: a server tuned with
	// synchronous_commit=off would otherwise acknowledge commits that a
	// crash can lose, and our 2xx promises the write survives.
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "on"
	cfg.ConnConfig.RuntimeParams["application_name"] = "intake"
	// A process that stalls or loses the network mid-transaction would
	// otherwise keep its row locks (a FOR UPDATE of an application, the
	// world lock) until the server's TCP keepalive fires, hours later, and
	// block every other process sharing the database.
	cfg.ConnConfig.RuntimeParams["idle_in_transaction_session_timeout"] = strconv.FormatInt((2 * o.timeout).Milliseconds(), 10)
	// A broken connection must be noticed within the request that finds it
	// rather than after minutes of silence.
	cfg.PingTimeout = o.pingTimeout

	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, intake.WrapError(intake.EInternal, err, "invalid database configuration")
	}
	s := &Store{pool: pool, acquireTimeout: o.acquireTimeout, pingTimeout: o.pingTimeout, timeout: o.timeout}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Close waits for the queries in flight and closes every connection.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Ping reports whether the database answers within the ping timeout.
// Errors: EUnavailable.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.pingTimeout)
	defer cancel()
	if err := s.pool.Ping(ctx); err != nil {
		return intake.WrapError(intake.EUnavailable, err, "database unavailable")
	}
	return nil
}

// urlHasParam reports whether the URL or key=value DSN sets name, so an
// operator's explicit setting beats our default.
func urlHasParam(databaseURL, name string) bool {
	if u, err := url.Parse(databaseURL); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		return u.Query().Has(name)
	}
	for _, field := range strings.Fields(databaseURL) {
		if k, _, ok := strings.Cut(field, "="); ok && strings.TrimSpace(k) == name {
			return true
		}
	}
	return false
}
