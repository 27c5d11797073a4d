// Package flatchr serves the Flatchr candidate intake, POST
// /vacancy/candidate/{json,custom,test}, and the public vacancy feed, GET
// /company/{slug}.json, over the intake domain: it reads the vendor's
// requests, calls intake.Service and writes the vendor's answers.
package flatchr

import (
	"bytes"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"intake"
	"intake/internal/httpapi/download"
	"intake/internal/httpapi/plumbing"
)

// DefaultMaxBodyBytes caps a request body when Options.MaxBodyBytes is zero:
// the largest resume (intake.MaxResumeBytes) in base64, which is 4/3 as
// long, plus 2 MiB of slack for the other parameters and for escaping: an
// urlencoded resume[data] spends three bytes on each '+' and '/' (about 6%
// more), a JSON encoder may write '/' as "\/".
const DefaultMaxBodyBytes = (intake.MaxResumeBytes+2)/3*4 + 2<<20

// Options configure NewHandler.
type Options struct {
	// PublicURL is the base of absolute URLs, e.g. https://intake.example;
	// when empty it is derived from each request.
	PublicURL string
	// Files signs document URLs; when nil the create answer has no cv link.
	Files *download.Signer
	// Logger receives the causes of internal errors; discarded when nil.
	Logger *slog.Logger
	// MaxBodyBytes caps request bodies; DefaultMaxBodyBytes when zero.
	MaxBodyBytes int64
	// Location is the zone of search dates (spec flatchr §12 #12);
	// Europe/Paris when nil.
	Location *time.Location
	// Career, when set, lets intake's career site post its forms to
	// /custom; nil refuses their tokens like any unknown credential.
	Career *Career
}

// handler serves the Flatchr routes.
type handler struct {
	svc     *intake.Service
	public  string
	files   *download.Signer
	log     *slog.Logger
	maxBody int64
	pages   *template.Template
	career  *Career
	// serve is the route table behind panic recovery.
	serve http.Handler
	loc   *time.Location
}

// NewHandler returns the Flatchr careers-host API for svc. Mount it on
// /vacancy/ and /company/. It panics if its embedded page templates do not
// parse, which tests catch.
func NewHandler(svc *intake.Service, opts Options) http.Handler {
	h := &handler{
		svc:     svc,
		public:  opts.PublicURL,
		files:   opts.Files,
		log:     opts.Logger,
		maxBody: opts.MaxBodyBytes,
		pages:   parsePages(),
		career:  opts.Career,
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.maxBody <= 0 {
		h.maxBody = DefaultMaxBodyBytes
	}
	h.loc = opts.Location
	if h.loc == nil {
		h.loc = paris()
	}
	h.serve = plumbing.Recover(h.routes(), h.log, "flatchr", h.writeError)
	return h
}

// ServeHTTP serves the routes, a panic answered as an internal error.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.serve.ServeHTTP(w, r) }

// encodeJSON is the one place bodies are encoded, fully before anything is
// sent. The idempotency record stores its output, so a replay is the same
// bytes as the first answer. Like the vendor's Node.js server it leaves
// <, > and & unescaped and ends without a newline.
func encodeJSON(v any) ([]byte, error) {
	b, err := plumbing.AppendJSON(nil, v)
	return bytes.TrimSuffix(b, []byte("\n")), err
}

// writeJSON encodes v, then sends it; an encoding failure becomes a clean
// 500 rather than a truncated body.
func (h *handler) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := encodeJSON(v)
	plumbing.Respond(w, r, status, plumbing.ContentTypeJSON, body, err, h.writeError)
}
