// Package flatchr serves the Flatchr candidate intake, POST
// /vacancy/candidate/{json,custom,test}, and the public vacancy feed, GET
// /company/{slug}.json, over the intake domain: it reads the vendor's
// requests, calls intake.Service and writes the vendor's answers.
package flatchr

import (
	"bytes"
	"encoding/json"
	"html/template"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"

	"intake"
	"intake/internal/httpapi/download"
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
	mux     *http.ServeMux
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
	h.mux = h.routes()
	return h
}

// ServeHTTP turns a panic into a logged 500 in the dialect's format: a bug
// must not cost the client its connection nor leak a stack trace.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.log.ErrorContext(r.Context(), "flatchr: panic", "request_id", intake.RequestID(r.Context()),
				"panic", v, "stack", string(debug.Stack()))
			h.writeError(w, r, intake.Errorf(intake.EInternal, "panic"))
		}
	}()
	h.mux.ServeHTTP(w, r)
}

// encodeJSON is the one place bodies are encoded, fully before anything is
// sent. The idempotency record stores its output, so a replay is the same
// bytes as the first answer. Like the vendor's Node.js server it leaves
// <, > and & unescaped and ends without a newline.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, intake.WrapError(intake.EInternal, err, "encode response")
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// writeJSON encodes v, then sends it; an encoding failure becomes a clean
// 500 rather than a truncated body.
func (h *handler) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := encodeJSON(v)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeBody(w, status, "application/json; charset=utf-8", body)
}

func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
