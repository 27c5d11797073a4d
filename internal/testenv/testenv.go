// Package testenv builds, for adapter tests, a real intake.Service over a
// real SQLite file, a real blob directory, the fetch guard and a download
// signer, all under t.TempDir() and closed by t.Cleanup.
package testenv

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"intake"
	"intake/internal/fetch"
	"intake/internal/filestore/blob"
	"intake/internal/httpapi/download"
	"intake/internal/store/postgres"
	"intake/internal/store/postgres/pgtest"
	"intake/internal/store/sqlite"
	"intake/internal/worldfile"
)

// Start is the time the clock of a new Env shows: the seed's example
// created_at (2016-08-23T12:55:27.206+02:00), so that rendered timestamps
// match the vendor's documentation.
var Start = time.Date(2016, 8, 23, 10, 55, 27, 206_000_000, time.UTC)

// URLTTL is the lifetime of the download URLs an Env signs.
const URLTTL = time.Hour

// Env is a running domain for one test.
type Env struct {
	Service *intake.Service
	Store   intake.Store
	Blobs   *blob.Dir
	Signer  *download.Signer
	Clock   *Clock
	// DataDir holds the database (intake.db), files/ and download.key.
	DataDir string
}

// StoreEnv names the environment variable choosing the store of every Env:
// "postgres" runs the adapters' suites against a throw-away PostgreSQL
// database (see pgtest), anything else against SQLite.
const StoreEnv = "INTAKE_TEST_STORE"

func openStore(t testing.TB, dir string) (intake.Store, error) {
	if os.Getenv(StoreEnv) == "postgres" {
		return postgres.Open(t.Context(), pgtest.NewDatabase(t))
	}
	return sqlite.Open(t.Context(), filepath.Join(dir, "intake.db"))
}

// New returns an Env whose store holds world, a YAML (or JSON) world file
// as worldfile.Decode reads it; "" applies nothing. Remote file URLs may
// point at 127.0.0.0/8, where the test's own servers listen.
func New(t testing.TB, world string, opts ...Option) *Env {
	t.Helper()
	dir := t.TempDir()
	store, err := openStore(t, dir)
	if err != nil {
		t.Fatalf("testenv: open store: %v", err)
	}
	t.Cleanup(func() {
		if err := store.Close(); err != nil {
			t.Errorf("testenv: close store: %v", err)
		}
	})
	blobs, err := blob.OpenDir(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatalf("testenv: open files: %v", err)
	}
	t.Cleanup(func() { blobs.Close() })
	secret, err := download.LoadOrCreateSecret(filepath.Join(dir, "download.key"))
	if err != nil {
		t.Fatalf("testenv: download secret: %v", err)
	}
	clock := &Clock{now: Start}
	env := &Env{
		Store:   store,
		Blobs:   blobs,
		Signer:  download.NewSigner(secret, URLTTL, clock.Now),
		Clock:   clock,
		DataDir: dir,
	}
	cfg := intake.ServiceConfig{
		Store:   store,
		Blobs:   blobs,
		Fetcher: fetch.New(fetch.Options{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}),
		Now:     clock.Now,
	}
	for _, o := range opts {
		o(&cfg)
	}
	env.Service = intake.NewService(cfg)
	if world != "" {
		env.Apply(t, world)
	}
	return env
}

// Option adjusts the service configuration of an Env, e.g. to add a rate
// limiter.
type Option func(*intake.ServiceConfig)

// Apply applies another world file, as a restart with a changed --world
// would.
func (e *Env) Apply(t testing.TB, world string) {
	t.Helper()
	w, err := worldfile.Decode([]byte(world))
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	if err := e.Service.ApplyWorld(t.Context(), w); err != nil {
		t.Fatalf("testenv: apply world: %v", err)
	}
}

// Files returns the handler serving signed document URLs, as the binary
// mounts it under /files/.
func (e *Env) Files() http.Handler { return e.Signer.Handler(e.Service.OpenBlob) }

// ServeFile starts a server on 127.0.0.1 answering every GET with body and
// contentType, for remote_*_url parameters, and returns a URL of it ending
// in name.
func ServeFile(t testing.TB, name, contentType string, body []byte) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/" + name
}

// Clock is the Env's settable clock. It only moves when told, so that
// timestamps in responses are predictable.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the current time of the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
