// Package welcomekit serves the WelcomeKit (Welcome to the Jungle) external
// API, /api/v1/external/..., over the intake domain: it reads the vendor's
// requests, calls intake.Service and writes the vendor's JSON byte for byte.
package welcomekit

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"intake"
	"intake/internal/httpapi/download"
	"intake/internal/httpapi/plumbing"
)

// DefaultMaxBodyBytes caps a request body when Options.MaxBodyBytes is zero.
// A create is a few kilobytes of JSON (files come as URLs), so 1 MiB leaves
// room for long cover letters and comments (intake.MaxLongText each).
const DefaultMaxBodyBytes = 1 << 20

// Options configure NewHandler.
type Options struct {
	// Location renders timestamps and reads date filters; Europe/Paris when
	// nil, as the vendor's examples (+02:00 in August).
	Location *time.Location
	// PublicURL is the base of absolute URLs, e.g. https://intake.example;
	// when empty it is derived from each request.
	PublicURL string
	// Files signs document URLs; when nil resume_url and portfolio_url are
	// null and avatar_url is the default avatar.
	Files *download.Signer
	// Logger receives the causes of internal errors; discarded when nil.
	Logger *slog.Logger
	// MaxBodyBytes caps request bodies; DefaultMaxBodyBytes when zero.
	MaxBodyBytes int64
}

//go:embed assets/default-avatar.png
var defaultAvatarPNG []byte

// handler serves the WelcomeKit routes.
type handler struct {
	svc     *intake.Service
	loc     *time.Location
	public  string
	files   *download.Signer
	log     *slog.Logger
	maxBody int64
	// serve is the route table behind panic recovery.
	serve http.Handler
	// avatarPath is the default avatar's path, named after its content hash
	// so that it can be cached forever.
	avatarPath string
}

// NewHandler returns the WelcomeKit API for svc: the candidate endpoints
// under /api/v1/external and the default avatar under /assets. Mount it on
// both prefixes.
func NewHandler(svc *intake.Service, opts Options) http.Handler {
	h := &handler{
		svc:     svc,
		loc:     opts.Location,
		public:  opts.PublicURL,
		files:   opts.Files,
		log:     opts.Logger,
		maxBody: opts.MaxBodyBytes,
	}
	if h.loc == nil {
		h.loc = paris()
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.maxBody <= 0 {
		h.maxBody = DefaultMaxBodyBytes
	}
	sum := sha256.Sum256(defaultAvatarPNG)
	h.avatarPath = "/assets/default-avatar-" + hex.EncodeToString(sum[:]) + ".png"
	h.serve = plumbing.Recover(h.routes(), h.log, "welcomekit", h.writeError)
	return h
}

// paris loads Europe/Paris, falling back to a fixed +01:00 on systems
// without a time zone database so that the handler always starts.
func paris() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.FixedZone("CET", 3600)
}

// ServeHTTP serves the routes, a panic answered as an internal error.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.serve.ServeHTTP(w, r) }

// writeJSON encodes v fully before sending anything, so an encoding failure
// becomes a clean 500 rather than a truncated body.
func (h *handler) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := encodeJSON(v)
	plumbing.Respond(w, r, status, plumbing.ContentTypeJSON, body, err, h.writeError)
}

// encodeJSON is the one place bodies are encoded; the idempotency record
// stores its output, so a replay is byte-identical to the first answer.
func encodeJSON(v any) ([]byte, error) {
	// A candidate encodes to ~1 KiB: one allocation instead of a buffer
	// doubling from 64 bytes.
	return plumbing.AppendJSON(make([]byte, 0, 1536), v)
}
