package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"intake/internal/tooling/bench"
)

// runBenchCeiling is the hidden `intake bench-ceiling` command: the ceiling
// server the bench starts as a child process. It answers every request with
// the recorded answer in --body, after reading the request body, and logs
// {"msg":"serving","addr":…} as serve does.
func runBenchCeiling(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("intake bench-ceiling", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	status := fs.Int("status", http.StatusCreated, "status of every answer")
	contentType := fs.String("content-type", "application/json; charset=utf-8", "content type of every answer")
	bodyPath := fs.String("body", "", "file holding the body of every answer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var body []byte
	if *bodyPath != "" {
		b, err := os.ReadFile(*bodyPath)
		if err != nil {
			return err
		}
		body = b
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// The same server limits as intake's, so that both spend the same on
	// connection handling.
	srv := &http.Server{
		Handler:           bench.Ceiling(bench.Answer{Status: *status, ContentType: *contentType, Body: body}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("serving", "addr", ln.Addr().String(), "status", *status, "bytes", len(body))
	select {
	case <-ctx.Done():
	case err := <-served:
		return fmt.Errorf("ceiling: %w", err)
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
