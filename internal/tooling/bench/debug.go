package bench

import (
	"expvar"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
)

// ServeDebug serves net/http/pprof and expvar (runtime memstats) on addr
// and logs {"msg":"debug","addr":…} to log, which is how StartChild learns
// the child's DebugAddr. `intake bench-serve` runs it beside serve; serve
// itself has no debug listener. The returned func stops it.
func ServeDebug(addr string, log io.Writer) (stop func() error, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/debug/vars", expvar.Handler())
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	slog.New(slog.NewJSONHandler(log, nil)).Info("debug", "addr", ln.Addr().String())
	return srv.Close, nil
}
