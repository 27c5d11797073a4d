// Package fetch downloads user-supplied URLs without letting them reach
// the server's own network, implementing intake.Fetcher.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"

	"intake"
)

var _ intake.Fetcher = (*Guard)(nil)

// Defaults for zero Options fields.
const (
	DefaultConnectTimeout = 5 * time.Second
	DefaultTimeout        = 30 * time.Second
	DefaultMaxRedirects   = 3
)

// Options configure a Guard. Zero fields take the defaults above.
type Options struct {
	// Allow opens ranges that are refused by default (loopback, private,
	// link-local…), for tests and on-premise document servers.
	Allow []netip.Prefix
	// ConnectTimeout bounds each TCP connect and TLS handshake.
	ConnectTimeout time.Duration
	// Timeout bounds a whole download, redirects and body included.
	Timeout time.Duration
	// MaxRedirects is how many redirects are followed; negative follows none.
	MaxRedirects int
}

// Guard is an intake.Fetcher that only reaches public addresses (and the
// allowed ranges), over http or https, within bounded time, size and
// redirects. The address check runs on every IP actually dialled, for
// the first request and each redirect, so a hostname resolving (or
// rebinding) to an internal address is refused before any connection.
type Guard struct {
	allow        []netip.Prefix
	maxRedirects int
	client       *http.Client
}

// New returns a Guard configured by opts.
func New(opts Options) *Guard {
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	switch {
	case opts.MaxRedirects == 0:
		opts.MaxRedirects = DefaultMaxRedirects
	case opts.MaxRedirects < 0:
		opts.MaxRedirects = 0
	}
	g := &Guard{allow: opts.Allow, maxRedirects: opts.MaxRedirects}
	dialer := &net.Dialer{Timeout: opts.ConnectTimeout, ControlContext: g.control}
	g.client = &http.Client{
		Transport: &http.Transport{
			// No proxy, from the environment or otherwise: the proxy would
			// dial the target and bypass the address check.
			Proxy:                  nil,
			DialContext:            dialer.DialContext,
			TLSHandshakeTimeout:    opts.ConnectTimeout,
			MaxResponseHeaderBytes: 64 << 10,
			ForceAttemptHTTP2:      true,
			MaxIdleConns:           16,
			IdleConnTimeout:        30 * time.Second,
		},
		CheckRedirect: g.checkRedirect,
		Timeout:       opts.Timeout,
	}
	return g
}

var (
	errNotAllowed        = errors.New("fetch: address not allowed")
	errScheme            = errors.New("fetch: scheme not allowed")
	errTooManyRedirects  = errors.New("fetch: too many redirects")
	errUnexpectedAddress = errors.New("fetch: unexpected dial address")
)

// control runs after the dialer resolved the host and before connect(2),
// once per candidate address.
func (g *Guard) control(_ context.Context, network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s %q", errUnexpectedAddress, network, address)
	}
	if !allowed(ap.Addr(), g.allow) {
		return errNotAllowed
	}
	return nil
}

func (g *Guard) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > g.maxRedirects {
		return errTooManyRedirects
	}
	if !httpScheme(req.URL) {
		return errScheme
	}
	return nil
}

func httpScheme(u *url.URL) bool {
	return u.Scheme == "http" || u.Scheme == "https"
}

// Fetch downloads rawURL. The body must be closed; reading past max bytes
// fails with ETooLarge. Errors: EInvalid for a refused URL or a failed
// download, with a message naming the reason in terms safe for the client
// ("could not be downloaded: address not allowed", "… (HTTP 404)");
// ETooLarge when the announced length exceeds max.
func (g *Guard) Fetch(ctx context.Context, rawURL string, max int64) (io.ReadCloser, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, intake.WrapError(intake.EInvalid, err, "is not a valid URL")
	}
	if !httpScheme(u) {
		return nil, intake.Errorf(intake.EInvalid, "must be an http or https URL")
	}
	if u.Opaque != "" || u.Host == "" {
		return nil, intake.Errorf(intake.EInvalid, "is not a valid URL")
	}
	// An address literal is judged before any socket exists; names are
	// judged on each address they resolve to, in control.
	if a, err := netip.ParseAddr(u.Hostname()); err == nil && !allowed(a, g.allow) {
		return nil, failed(errNotAllowed, "could not be downloaded: address not allowed")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, intake.WrapError(intake.EInvalid, err, "is not a valid URL")
	}
	req.Header.Set("User-Agent", "intake-fetch/1")
	resp, err := g.client.Do(req)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, g.doError(ctx, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		resp.Body.Close()
		return nil, intake.Errorf(intake.EInvalid, "could not be downloaded (HTTP %d)", resp.StatusCode)
	}
	if resp.ContentLength > max {
		resp.Body.Close()
		return nil, intake.Errorf(intake.ETooLarge, "is too large")
	}
	return &body{rc: resp.Body, left: max}, nil
}

func (g *Guard) doError(ctx context.Context, err error) error {
	switch {
	case errors.Is(err, errNotAllowed):
		return failed(err, "could not be downloaded: address not allowed")
	case errors.Is(err, errScheme):
		return failed(err, "could not be downloaded: redirected to a URL that is not http or https")
	case errors.Is(err, errTooManyRedirects):
		return failed(err, "could not be downloaded: too many redirects")
	case errors.Is(ctx.Err(), context.Canceled):
		return fmt.Errorf("fetch: %w", err)
	}
	return readError(err)
}

// readError words a transport failure for the client. Resolver, dial and
// TLS details stay in the cause: they describe our network, not the URL.
func readError(err error) error {
	if ne, ok := errors.AsType[net.Error](err); (ok && ne.Timeout()) || errors.Is(err, context.DeadlineExceeded) {
		return failed(err, "could not be downloaded: timed out")
	}
	return failed(err, "could not be downloaded")
}

func failed(cause error, message string) error {
	return intake.WrapError(intake.EInvalid, cause, message)
}

// body caps a response body: the first left bytes read through, and any
// byte beyond fails the read with ETooLarge.
type body struct {
	rc   io.ReadCloser
	left int64
}

func (b *body) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// Probe for one more byte to tell a body of exactly max bytes,
		// which is fine, from a longer one.
		var one [1]byte
		n, err := io.ReadAtLeast(b.rc, one[:], 1)
		if n > 0 {
			return 0, intake.Errorf(intake.ETooLarge, "is too large")
		}
		return 0, b.wrap(err)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, b.wrap(err)
}

func (b *body) wrap(err error) error {
	if err == nil || errors.Is(err, io.EOF) {
		return err
	}
	return readError(err)
}

// Close releases the connection.
func (b *body) Close() error {
	return b.rc.Close()
}
