package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ServeCeiling is the hidden `intake bench-ceiling` command: the ceiling
// server the bench starts as a child process. It answers every request on
// addr with a, after reading the request body, and logs
// {"msg":"serving","addr":…} to log as serve does. It returns when ctx is
// done and the server has shut down.
func ServeCeiling(ctx context.Context, addr string, a Answer, log io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	// The same server limits as intake's, so that both spend the same on
	// connection handling.
	srv := &http.Server{
		Handler:           Ceiling(a),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	slog.New(slog.NewJSONHandler(log, nil)).Info("serving", "addr", ln.Addr().String(), "status", a.Status, "bytes", len(a.Body))
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
