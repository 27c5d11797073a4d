// Package dashboard is intake's own web dashboard: a company's users sign in
// with their email and password and see every candidate of its jobs, whatever dialect
// they came through, and moves them along the pipeline. Pages are
// html/template files embedded in the binary; the Service enforces every
// rule (organization, scopes, validation).
package dashboard

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"intake"
	"intake/internal/httpapi/download"
	"intake/internal/httpapi/plumbing"
)

// MinSecretLen is the shortest Options.SessionSecret NewHandler accepts.
const MinSecretLen = 32

// SessionTTL is how long a sign-in lasts. Disabling the user or changing
// their password ends it sooner.
const SessionTTL = 12 * time.Hour

// maxFormBytes caps a posted form: the largest one is a message or a
// comment of up to intake.MaxLongText bytes, percent-encoded.
const maxFormBytes = 3*intake.MaxLongText + 16<<10

// Options configure NewHandler.
type Options struct {
	// Location renders times; UTC when nil.
	Location *time.Location
	// Files signs document download links; when nil documents are listed
	// without links.
	Files *download.Signer
	// SessionSecret keys the HMACs of session cookies and CSRF tokens; at
	// least MinSecretLen random bytes. Changing it signs everybody out.
	SessionSecret []byte
	// Logger receives the causes of internal errors; discarded when nil.
	Logger *slog.Logger
	// Secure sets the Secure flag of the session cookie: true whenever the
	// dashboard is reached over HTTPS.
	Secure bool
	// PublicURL is the base URL people reach intake at (no trailing
	// slash), for the password links mailed to them. Without it, links an
	// admin asks for use the request's address, and "forgot password"
	// sends nothing (see forgotPassword).
	PublicURL string
}

// handler serves the dashboard's routes.
type handler struct {
	svc    *intake.Service
	loc    *time.Location
	files  *download.Signer
	secret []byte
	log    *slog.Logger
	secure bool
	// publicURL is Options.PublicURL without its trailing slash.
	publicURL string
	pages     *pages
	// serve is the route table behind panic recovery.
	serve http.Handler
}

// NewHandler returns the dashboard for svc, serving /dashboard/... and
// redirecting / to /dashboard/. It panics when SessionSecret is shorter than
// MinSecretLen or a template does not parse: both are mistakes of the build
// or the wiring, better found at startup than on a request.
func NewHandler(svc *intake.Service, opts Options) http.Handler {
	if len(opts.SessionSecret) < MinSecretLen {
		panic("dashboard: SessionSecret shorter than MinSecretLen")
	}
	h := &handler{
		svc:       svc,
		loc:       opts.Location,
		files:     opts.Files,
		secret:    append([]byte(nil), opts.SessionSecret...),
		log:       opts.Logger,
		secure:    opts.Secure,
		publicURL: strings.TrimSuffix(opts.PublicURL, "/"),
	}
	if h.loc == nil {
		h.loc = time.UTC
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	p, err := parsePages()
	if err != nil {
		panic("dashboard: " + err.Error())
	}
	h.pages = p
	h.serve = plumbing.Recover(h.routes(), h.log, "dashboard", h.writeSessionless)
	return h
}

// ServeHTTP sets the security headers every answer carries and turns a panic
// into a logged error page: a bug must not drop the connection nor show a
// stack trace.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	// Styles come from our own stylesheet only, so no inline style or
	// script is needed and none injected can run.
	hd.Set("Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Content-Type-Options", "nosniff")
	h.serve.ServeHTTP(w, r)
}
