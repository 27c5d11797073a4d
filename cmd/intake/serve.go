package main

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"intake"
	"intake/internal/auth"
	"intake/internal/fetch"
	"intake/internal/httpapi/download"
	"intake/internal/httpapi/flatchr"
	"intake/internal/httpapi/welcomekit"
	"intake/internal/store/sqlite"
	"intake/internal/web/dashboard"
	"intake/internal/worldfile"
)

// Main is the serve program. Tests start it in-process on port 0 with a temp
// data dir; main only adds signals and exit codes.
type Main struct {
	Config Config
	stdout io.Writer
	log    *slog.Logger

	store   intake.Store
	service *intake.Service
	metrics *metrics
	hooks   *webhooks

	closeBlobs func() error
	stopPurge  chan struct{}
	purged     chan struct{}
	server     *http.Server
	listener   net.Listener
	served     chan error
}

// NewMain returns a Main for cfg writing its banner to stdout and JSON logs
// to stderr.
func NewMain(cfg Config, stdout, stderr io.Writer) *Main {
	return &Main{
		Config: cfg,
		stdout: stdout,
		log:    slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel})),
	}
}

// Addr is the address the server listens on, once Run returned.
func (m *Main) Addr() string { return m.listener.Addr().String() }

// Run opens the store, applies the world, settles files left by a crash and
// starts serving. It returns once the listener accepts connections.
func (m *Main) Run(ctx context.Context) error {
	cfg := m.Config
	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil {
		return fmt.Errorf("timezone: %w", err)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	m.metrics = newMetrics()
	store, err := openStore(ctx, cfg, sqlite.OnCommit(m.metrics.observeCommit),
		sqlite.OnWALSync(m.metrics.observeWALSync), sqlite.OnWALRestart(m.metrics.observeWALRestart))
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	m.store = store
	blobs, closeBlobs, err := openBlobs(ctx, cfg)
	if err != nil {
		return fmt.Errorf("open files: %w", err)
	}
	m.closeBlobs = closeBlobs
	secret, err := fileURLSecret(cfg)
	if err != nil {
		return err
	}
	signer := download.NewSigner(secret, cfg.FileURLTTL, time.Now)
	var limiter intake.RateLimiter
	if cfg.RateLimit > 0 {
		limiter = intake.NewTokenBucket(cfg.RateLimit, cfg.RateBurst)
	}
	// User tokens are signed with a key derived from the download-URL
	// secret, distinct from it, so processes sharing --file-url-secret
	// accept each other's tokens.
	tokenKey, err := hkdf.Key(sha256.New, secret, nil, "intake user token", 32)
	if err != nil {
		return fmt.Errorf("user token key: %w", err)
	}
	m.service = intake.NewService(intake.ServiceConfig{
		Passwords:    auth.Bcrypt{},
		UserTokens:   auth.JWT{Key: tokenKey},
		UserTokenTTL: cfg.UserTokenTTL,
		Store:        store,
		Blobs:        countingBlobs{BlobStore: blobs, bytes: m.metrics.uploadBytes},
		Fetcher:      fetch.New(fetch.Options{Allow: cfg.AllowFetchFrom}),
		Logger:       m.log,
		RateLimiter:  limiter,
		Activity:     activityConfig(cfg),
	})

	// Listen before applying the world so the demo banner can print the real
	// port (--addr may say :0); nothing is served until the world is in.
	m.listener, err = net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	if err := m.applyWorld(ctx); err != nil {
		return err
	}
	if err := m.service.RecoverBlobs(ctx); err != nil {
		return fmt.Errorf("recover files: %w", err)
	}

	mux := http.NewServeMux()
	wk := welcomekit.NewHandler(m.service, welcomekit.Options{Location: loc, PublicURL: cfg.PublicURL, Files: signer, Logger: m.log})
	mux.Handle("/api/v1/external/", wk)
	mux.Handle("/assets/", wk)
	mux.Handle("/api/v1/embed", wk)
	site, career, err := careerSite(m.service, secret, cfg.PublicURL, m.log)
	if err != nil {
		return err
	}
	mux.Handle("/careers/", site)
	fl := flatchr.NewHandler(m.service, flatchr.Options{PublicURL: cfg.PublicURL, Files: signer, Logger: m.log, Career: career})
	mux.Handle("/vacancy/", fl)
	mux.Handle("/company/", fl)
	for _, path := range flatchr.ReferentialPaths {
		mux.Handle(path, fl)
	}
	mux.Handle("/user/", fl)
	mux.Handle("/files/", signer.Handler(m.service.OpenBlob))
	// Sessions are signed with a key derived from the download-URL secret,
	// so processes sharing --file-url-secret share dashboard sessions too.
	sessionKey, err := hkdf.Key(sha256.New, secret, nil, "intake dashboard session", 32)
	if err != nil {
		return fmt.Errorf("session key: %w", err)
	}
	dash := dashboard.NewHandler(m.service, dashboard.Options{
		Location: loc, Files: signer, SessionSecret: sessionKey, Logger: m.log,
		Secure: strings.HasPrefix(cfg.PublicURL, "https://"), PublicURL: cfg.PublicURL,
	})
	mux.Handle("/dashboard/", dash)
	mux.Handle("GET /{$}", dash)
	mux.HandleFunc("GET /healthz", m.healthz)
	mux.HandleFunc("GET /readyz", m.readyz)
	mux.Handle("GET /metrics", m.metrics.handler())

	m.server = &http.Server{
		Handler:           withRequestLog(m.log, m.metrics, mux),
		ReadHeaderTimeout: cfg.HeaderTimeout,
		ReadTimeout:       cfg.BodyTimeout,
		WriteTimeout:      cfg.BodyTimeout,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.log.Handler(), slog.LevelWarn),
	}
	m.served = make(chan error, 1)
	go func() { m.served <- m.server.Serve(m.listener) }()
	m.stopPurge = make(chan struct{})
	m.purged = make(chan struct{})
	go m.maintain()
	m.startWebhooks()
	m.log.Info("serving", "addr", m.Addr(), "data", cfg.DataDir)
	return nil
}

// applyWorld applies --world, or the demo world to a store that holds no
// organization yet.
func (m *Main) applyWorld(ctx context.Context) error {
	if m.Config.WorldFile != "" {
		w, err := worldfile.Load(m.Config.WorldFile)
		if err != nil {
			return err
		}
		if err := m.service.ApplyWorld(ctx, w); err != nil {
			return fmt.Errorf("world file %s: %w", m.Config.WorldFile, err)
		}
		return nil
	}
	orgs, err := m.store.Orgs(ctx)
	if err != nil || len(orgs) > 0 {
		return err
	}
	return m.applyDemo(ctx)
}

func (m *Main) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"status":"ok"}`)
}

func (m *Main) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	if err := m.service.Ready(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"status":"unavailable"}`)
		return
	}
	_, _ = io.WriteString(w, `{"status":"ready"}`)
}

// maintain runs the background upkeep until Close: once, the sweep of files
// that a crash left without their row (it reads every file name, so it does
// not delay the start); now and every hour, forgetting expired
// Idempotency-Keys.
func (m *Main) maintain() {
	defer close(m.purged)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-m.stopPurge:
			cancel()
		case <-ctx.Done():
		}
	}()
	if n, err := m.service.SweepBlobs(ctx); err != nil {
		if ctx.Err() == nil {
			m.log.Warn("sweep files", "err", err)
		}
	} else {
		// Tools that check the data dir after a start wait for this line.
		m.log.Info("files swept", "deleted", n)
	}
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		pctx, pcancel := context.WithTimeout(ctx, time.Minute)
		if n, err := m.service.PurgeIdempotency(pctx); err != nil && ctx.Err() == nil {
			m.log.Warn("purge idempotency keys", "err", err)
		} else if n > 0 {
			m.log.Info("purged idempotency keys", "count", n)
		}
		pcancel()
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// baseURL is how a local client reaches the listener, for the demo banner.
func (m *Main) baseURL() string {
	addr, ok := m.listener.Addr().(*net.TCPAddr)
	if !ok || addr.IP.IsUnspecified() {
		return fmt.Sprintf("http://127.0.0.1:%d", addr.Port)
	}
	return "http://" + addr.String()
}

// Close stops accepting connections, lets in-flight requests finish within
// the shutdown grace, then closes the store (which flushes pending commits).
func (m *Main) Close() error {
	var errs []error
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownGrace)
		defer cancel()
		if err := m.server.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown: %w", err))
		}
		if err := <-m.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
		m.server = nil
	} else if m.listener != nil {
		m.listener.Close()
	}
	if m.stopPurge != nil {
		close(m.stopPurge)
		<-m.purged
		m.stopPurge = nil
	}
	m.stopWebhooks()
	if m.store != nil {
		if err := m.store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close store: %w", err))
		}
		m.store = nil
	}
	if m.closeBlobs != nil {
		if err := m.closeBlobs(); err != nil {
			errs = append(errs, fmt.Errorf("close files: %w", err))
		}
		m.closeBlobs = nil
	}
	return errors.Join(errs...)
}
