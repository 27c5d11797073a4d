package main

import (
	"context"
	"expvar"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
)

// runBenchServe is the hidden `intake bench-serve --debug-addr ADDR --
// <serve flags>` command: serve, plus net/http/pprof and expvar (runtime
// memstats) on a separate debug listener, which it logs as
// {"msg":"debug","addr":…} before serving. `intake bench --debug` runs its
// intake this way to take CPU profiles and allocation counts under load;
// serve itself has no debug listener.
func runBenchServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("intake bench-serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	debugAddr := fs.String("debug-addr", "127.0.0.1:0", "listen address of pprof and expvar")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := parseServeFlags(fs.Args())
	if err != nil {
		return err
	}
	tuneGC()
	ln, err := net.Listen("tcp", *debugAddr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/debug/vars", expvar.Handler())
	debug := &http.Server{Handler: mux}
	go func() { _ = debug.Serve(ln) }()
	defer debug.Close()
	slog.New(slog.NewJSONHandler(stderr, nil)).Info("debug", "addr", ln.Addr().String())

	m := NewMain(cfg, stdout, stderr)
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	<-ctx.Done()
	return m.Close()
}
