package pgtest

import (
	"net"
	"net/url"
	"strconv"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Proxy forwards TCP connections to PostgreSQL and can cut them, standing
// in for a server that crashes, restarts or stops answering: the test
// server is shared, so it cannot really be stopped.
type Proxy struct {
	t      testing.TB
	target string
	addr   string

	mu      sync.Mutex
	ln      net.Listener
	conns   map[net.Conn]bool
	silent  bool // accept but never answer, like a host that went away
	stalled bool
	// gate is held by stall: bytes stop flowing both ways on every
	// connection, like a network partition that TCP has not noticed yet.
	gate sync.RWMutex
}

// NewProxy starts a proxy to the server databaseURL points at; it is cut
// when the test ends.
func NewProxy(t testing.TB, databaseURL string) *Proxy {
	t.Helper()
	p := &Proxy{t: t, target: serverAddr(t, databaseURL), conns: map[net.Conn]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(func() { p.Down() })
	return p
}

func (p *Proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.conns[c] = true
			silent := p.silent
			p.mu.Unlock()
			if !silent {
				go p.forward(c)
			}
		}
	}()
}

func (p *Proxy) forward(c net.Conn) {
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[s] = true
	p.mu.Unlock()
	go func() { p.pipe(s, c); s.Close() }()
	p.pipe(c, s)
	c.Close()
}

func (p *Proxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.gate.RLock()
			p.gate.RUnlock()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Stall stops every byte, on open and new connections alike, without
// closing anything.
func (p *Proxy) Stall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.stalled {
		p.gate.Lock()
		p.stalled = true
	}
}

// Down refuses new connections and breaks the open ones.
func (p *Proxy) Down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// Hang breaks the open connections and then accepts new ones without ever
// answering them.
func (p *Proxy) Hang() {
	p.Down()
	p.listen(true)
}

// Up serves again on the same address.
func (p *Proxy) Up() {
	p.Down()
	p.mu.Lock()
	if p.stalled {
		p.gate.Unlock()
		p.stalled = false
	}
	p.mu.Unlock()
	p.listen(false)
}

func (p *Proxy) listen(silent bool) {
	p.t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatalf("proxy: listen again on %s: %v", p.addr, err)
	}
	p.mu.Lock()
	p.silent = silent
	p.mu.Unlock()
	p.serve(ln)
}

// Through returns databaseURL with its server replaced by the proxy's.
func (p *Proxy) Through(databaseURL string) string {
	p.t.Helper()
	u, err := url.Parse(databaseURL)
	if err != nil || u.Scheme == "" {
		host, port, _ := net.SplitHostPort(p.addr)
		return databaseURL + " host=" + host + " port=" + port
	}
	u.Host = p.addr
	return u.String()
}

// serverAddr returns the host:port a database URL points at.
func serverAddr(t testing.TB, databaseURL string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host == "" || cfg.Host[0] == '/' {
		t.Skip("proxy tests need a TCP server address, not a socket")
	}
	return net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
}
