package bench

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// FileServer serves the résumé of a WelcomeKit --remote-resume-size load
// on loopback: the same PDF under every path, one path per create. It
// counts fetches, so that a file fetched twice shows in the report.
type FileServer struct {
	URL  string
	pdf  []byte
	srv  *http.Server
	mu   sync.Mutex
	seen map[string]int
	// fetches and refetches are the requests served and those for a path
	// already served.
	fetches, refetches int64
}

// StartFileServer serves a Resume of size bytes on 127.0.0.1.
func StartFileServer(size int) (*FileServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	fs := &FileServer{URL: "http://" + ln.Addr().String(), pdf: Resume(size), seen: map[string]int{}}
	fs.srv = &http.Server{Handler: fs, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = fs.srv.Serve(ln) }()
	return fs, nil
}

func (fs *FileServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	fs.fetches++
	if fs.seen[r.URL.Path]++; fs.seen[r.URL.Path] > 1 {
		fs.refetches++
	}
	fs.mu.Unlock()
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Length", strconv.Itoa(len(fs.pdf)))
	_, _ = w.Write(fs.pdf)
}

// Counts returns the fetches served so far and how many were repeats.
func (fs *FileServer) Counts() (fetches, refetches int64) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.fetches, fs.refetches
}

// Close stops the server.
func (fs *FileServer) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return fs.srv.Shutdown(ctx)
}
