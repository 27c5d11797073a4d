package fetch

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"intake"
)

// countingListener counts accepted connections, to prove a refused fetch
// never connected.
type countingListener struct {
	net.Listener
	n atomic.Int32
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

type server struct {
	*httptest.Server
	ln *countingListener
}

func (s *server) conns() int { return int(s.ln.n.Load()) }

// serve starts h on addr ("127.0.0.1:0", "[::1]:0"…). When the address is
// unavailable on this machine it skips the test, or fails it under CI.
func serve(t testing.TB, addr string, h http.Handler) *server {
	t.Helper()
	s := tryServe(t, addr, h)
	if s == nil {
		unavailable(t, addr)
		t.Skipf("cannot listen on %s", addr)
	}
	return s
}

// unavailable fails t under CI=true, where every case must run: a CI
// machine without IPv6 on loopback is set up wrong (.ci/run enables it),
// not a reason to test less. Elsewhere it returns and the caller skips.
func unavailable(t testing.TB, addr string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("cannot listen on %s, and CI=true requires every case to run", addr)
	}
}

// tryServe is serve returning nil when addr is unavailable.
func tryServe(t testing.TB, addr string, h http.Handler) *server {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Logf("cannot listen on %s: %v", addr, err)
		return nil
	}
	s := &server{Server: httptest.NewUnstartedServer(h), ln: &countingListener{Listener: l}}
	s.Listener = s.ln
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func text(body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, body)
	})
}

func loopback(t testing.TB) []netip.Prefix {
	t.Helper()
	p, err := ParseAllowList("127.0.0.0/8,::1")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func wantError(t testing.TB, err error, code intake.ErrorCode, msg string) {
	t.Helper()
	if got := intake.ErrorCodeOf(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
	if got := intake.ErrorMessage(err); got != msg {
		t.Errorf("message %q, want %q", got, msg)
	}
}

func fetchAll(t testing.TB, g *Guard, url string, max int64) (string, error) {
	t.Helper()
	rc, err := g.Fetch(t.Context(), url, max)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	return string(b), err
}

func TestFetch(t *testing.T) {
	s := serve(t, "127.0.0.1:0", text("%PDF-1.7 resume"))
	g := New(Options{Allow: loopback(t)})
	got, err := fetchAll(t, g, s.URL+"/cv.pdf", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if got != "%PDF-1.7 resume" {
		t.Errorf("body %q", got)
	}
}

func TestFetchAllowedIPv6(t *testing.T) {
	s := serve(t, "[::1]:0", text("ok"))
	g := New(Options{Allow: loopback(t)})
	if got, err := fetchAll(t, g, s.URL, 100); err != nil || got != "ok" {
		t.Fatalf("got %q, %v", got, err)
	}
}

// TestFetchResolvedName fetches by a name resolving to both ::1 and
// 127.0.0.1 while only the latter is allowed: each dialled address is
// judged on its own.
func TestFetchResolvedName(t *testing.T) {
	s := serve(t, "127.0.0.1:0", text("ok"))
	allow, _ := ParseAllowList("127.0.0.0/8")
	g := New(Options{Allow: allow})
	url := "http://localhost:" + s.URL[strings.LastIndexByte(s.URL, ':')+1:]
	if got, err := fetchAll(t, g, url, 100); err != nil || got != "ok" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestFetchRefusesAddresses(t *testing.T) {
	v4 := serve(t, "127.0.0.1:0", text("secret"))
	port := v4.URL[strings.LastIndexByte(v4.URL, ':')+1:]
	local := []*server{v4}
	urls := []string{
		v4.URL,
		"http://localhost:" + port,
		"http://0.0.0.0:" + port,
		"http://[::ffff:127.0.0.1]:" + port,
		"http://[::ffff:7f00:1]:" + port,
		"https://127.0.0.1:" + port,
		"http://10.0.0.1/",
		"http://172.16.0.1/",
		"http://192.168.0.1/",
		"http://100.64.0.1/",
		"http://169.254.169.254/latest/meta-data/",
		"http://[fd00:ec2::254]/latest/meta-data/",
		"http://[fe80::1%25lo]/",
		"http://224.0.0.1/",
		"http://255.255.255.255/",
		"http://[64:ff9b::7f00:1]:" + port,
		"http://[::1]:" + port,
	}
	if v6 := tryServe(t, "[::1]:0", text("secret")); v6 != nil {
		local = append(local, v6)
		urls = append(urls, v6.URL, "http://localhost:"+v6.URL[strings.LastIndexByte(v6.URL, ':')+1:])
	} else {
		unavailable(t, "[::1]:0")
	}
	// Long timeouts: a refusal that waited for a connection would show.
	g := New(Options{ConnectTimeout: time.Minute, Timeout: time.Minute})
	for _, url := range urls {
		t.Run(url, func(t *testing.T) {
			start := time.Now()
			_, err := g.Fetch(t.Context(), url, 100)
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("refusal took %v", took)
			}
			wantError(t, err, intake.EInvalid, "could not be downloaded: address not allowed")
			if !errors.Is(err, errNotAllowed) {
				t.Errorf("err = %v, want the address check to refuse it", err)
			}
		})
	}
	for _, s := range local {
		if n := s.conns(); n != 0 {
			t.Errorf("%s accepted %d connections", s.URL, n)
		}
	}
}

func TestFetchRefusedMessage(t *testing.T) {
	g := New(Options{})
	for _, url := range []string{"http://169.254.169.254/", "http://localhost:1/"} {
		_, err := g.Fetch(t.Context(), url, 100)
		wantError(t, err, intake.EInvalid, "could not be downloaded: address not allowed")
		if !errors.Is(err, errNotAllowed) {
			t.Errorf("%s: err = %v, want errNotAllowed", url, err)
		}
	}
}

func TestFetchRedirects(t *testing.T) {
	allow, _ := ParseAllowList("127.0.0.1")
	other := serve(t, "127.0.0.2:0", text("internal"))
	var hops atomic.Int32
	var self *server
	self = serve(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-other":
			http.Redirect(w, r, other.URL+"/", http.StatusFound)
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusMovedPermanently)
		case "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case "/to-ftp":
			http.Redirect(w, r, "ftp://"+r.Host+"/", http.StatusFound)
		case "/done":
			io.WriteString(w, "done")
		default:
			var n int
			fmt.Sscanf(r.URL.Path, "/hops/%d", &n)
			hops.Add(1)
			if n == 0 {
				http.Redirect(w, r, "/done", http.StatusTemporaryRedirect)
				return
			}
			http.Redirect(w, r, self.URL+fmt.Sprintf("/hops/%d", n-1), http.StatusSeeOther)
		}
	}))
	tests := []struct {
		name     string
		max      int
		path     string
		body     string
		code     intake.ErrorCode
		msg      string
		wantHops int32
	}{
		{name: "to a disallowed server", path: "/to-other", code: intake.EInvalid, msg: "could not be downloaded: address not allowed"},
		{name: "to metadata", path: "/to-metadata", code: intake.EInvalid, msg: "could not be downloaded: address not allowed"},
		{name: "to file", path: "/to-file", code: intake.EInvalid, msg: "could not be downloaded: redirected to a URL that is not http or https"},
		{name: "to ftp", path: "/to-ftp", code: intake.EInvalid, msg: "could not be downloaded: redirected to a URL that is not http or https"},
		{name: "three redirects", path: "/hops/2", body: "done", wantHops: 3},
		{name: "four redirects", path: "/hops/3", code: intake.EInvalid, msg: "could not be downloaded: too many redirects", wantHops: 4},
		{name: "one allowed", max: 1, path: "/hops/0", body: "done", wantHops: 1},
		{name: "two with one allowed", max: 1, path: "/hops/1", code: intake.EInvalid, msg: "could not be downloaded: too many redirects", wantHops: 2},
		{name: "none allowed", max: -1, path: "/hops/0", code: intake.EInvalid, msg: "could not be downloaded: too many redirects", wantHops: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hops.Store(0)
			g := New(Options{Allow: allow, MaxRedirects: tt.max})
			got, err := fetchAll(t, g, self.URL+tt.path, 100)
			if tt.code != "" {
				wantError(t, err, tt.code, tt.msg)
			} else if err != nil || got != tt.body {
				t.Fatalf("got %q, %v; want %q", got, err, tt.body)
			}
			if n := hops.Load(); n != tt.wantHops {
				t.Errorf("%d hops served, want %d", n, tt.wantHops)
			}
		})
	}
	if n := other.conns(); n != 0 {
		t.Errorf("the disallowed server accepted %d connections", n)
	}
}

func TestFetchSizeCap(t *testing.T) {
	const max = 10 << 10
	s := serve(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(r.URL.Query().Get("n"), "%d", &n)
		if r.URL.Query().Has("length") {
			w.Header().Set("Content-Length", fmt.Sprint(n))
		}
		// Flushing first drops any Content-Length the server would compute.
		w.(http.Flusher).Flush()
		w.Write([]byte(strings.Repeat("x", n)))
	}))
	g := New(Options{Allow: loopback(t)})
	tests := []struct {
		name     string
		query    string
		wantSize int
		fetchErr bool
	}{
		{name: "exactly max", query: fmt.Sprintf("n=%d", max), wantSize: max},
		{name: "one over", query: fmt.Sprintf("n=%d", max+1)},
		{name: "far over", query: fmt.Sprintf("n=%d", 100*max)},
		{name: "exactly max, announced", query: fmt.Sprintf("n=%d&length", max), wantSize: max},
		{name: "announced over", query: fmt.Sprintf("n=%d&length", max+1), fetchErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc, err := g.Fetch(t.Context(), s.URL+"/?"+tt.query, max)
			if tt.fetchErr {
				wantError(t, err, intake.ETooLarge, "is too large")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if tt.wantSize == 0 {
				wantError(t, err, intake.ETooLarge, "is too large")
				if len(b) > max {
					t.Errorf("read %d bytes past the cap", len(b))
				}
				return
			}
			if err != nil || len(b) != tt.wantSize {
				t.Fatalf("read %d bytes, %v; want %d", len(b), err, tt.wantSize)
			}
		})
	}
}

func TestFetchTimeout(t *testing.T) {
	s := serve(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/stall-body" {
			io.WriteString(w, "partial")
			w.(http.Flusher).Flush()
		}
		<-r.Context().Done()
	}))
	g := New(Options{Allow: loopback(t), Timeout: 500 * time.Millisecond})

	start := time.Now()
	_, err := g.Fetch(t.Context(), s.URL+"/stall-headers", 100)
	wantError(t, err, intake.EInvalid, "could not be downloaded: timed out")
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %v", took)
	}

	rc, err := g.Fetch(t.Context(), s.URL+"/stall-body", 100)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	_, err = io.ReadAll(rc)
	wantError(t, err, intake.EInvalid, "could not be downloaded: timed out")
}

func TestFetchStatus(t *testing.T) {
	s := serve(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var code int
		fmt.Sscanf(r.URL.Path, "/%d", &code)
		w.WriteHeader(code)
		io.WriteString(w, "body")
	}))
	g := New(Options{Allow: loopback(t)})
	for _, code := range []int{404, 403, 500, 304, 300} {
		_, err := g.Fetch(t.Context(), fmt.Sprintf("%s/%d", s.URL, code), 100)
		wantError(t, err, intake.EInvalid, fmt.Sprintf("could not be downloaded (HTTP %d)", code))
	}
	for _, code := range []int{200, 203} {
		if _, err := fetchAll(t, g, fmt.Sprintf("%s/%d", s.URL, code), 100); err != nil {
			t.Errorf("HTTP %d: %v", code, err)
		}
	}
}

func TestFetchBadURL(t *testing.T) {
	g := New(Options{Allow: loopback(t)})
	tests := []struct {
		url string
		msg string
	}{
		{"ftp://example.com/cv.pdf", "must be an http or https URL"},
		{"file:///etc/passwd", "must be an http or https URL"},
		{"gopher://example.com/", "must be an http or https URL"},
		{"javascript:alert(1)", "must be an http or https URL"},
		{"data:text/plain,hello", "must be an http or https URL"},
		{"http:example.com", "is not a valid URL"},
		{"//example.com/cv.pdf", "must be an http or https URL"},
		{"example.com/cv.pdf", "must be an http or https URL"},
		{"http:///cv.pdf", "is not a valid URL"},
		{"http://exa mple.com/", "is not a valid URL"},
		{"", "must be an http or https URL"},
	}
	for _, tt := range tests {
		_, err := g.Fetch(t.Context(), tt.url, 100)
		if intake.ErrorCodeOf(err) != intake.EInvalid || intake.ErrorMessage(err) != tt.msg {
			t.Errorf("Fetch(%q) = %v, want invalid %q", tt.url, err, tt.msg)
		}
	}
}

func TestNoProxy(t *testing.T) {
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:9")
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:9")
	g := New(Options{})
	if p := g.client.Transport.(*http.Transport).Proxy; p != nil {
		t.Fatal("the transport has a proxy: it would bypass the address check")
	}
}
