package main

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"intake"
)

// statusRecorder remembers the status a handler wrote, for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// withRequestLog gives every request an id (echoed as X-Request-Id), logs
// one line per request and records its metrics. Only the path is logged: query strings may carry
// access tokens.
func withRequestLog(log *slog.Logger, m *metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		rec := &statusRecorder{ResponseWriter: w}
		m.requestsInFlight.Inc()
		defer m.requestsInFlight.Dec()
		// The muxes record the pattern they matched on the request they
		// were given; reading it back afterwards labels metrics by route.
		served := r.WithContext(intake.WithRequestID(r.Context(), id))
		next.ServeHTTP(rec, served)
		elapsed := time.Since(start)
		m.observe(served.Pattern, r.Method, rec.status, elapsed)
		// The record is built here rather than by LogAttrs, which would
		// walk the stack for a source location that is always this line.
		if h := log.Handler(); h.Enabled(r.Context(), slog.LevelInfo) {
			line := slog.NewRecord(start.Add(elapsed), slog.LevelInfo, "request", 0)
			line.AddAttrs(
				slog.String("request_id", id),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", rec.status),
				slog.Int64("bytes", rec.bytes),
				slog.String("route", served.Pattern),
				slog.Duration("duration", elapsed),
			)
			_ = h.Handle(r.Context(), line)
		}
	})
}
