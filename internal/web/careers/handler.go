// Package careers serves an organization's public career site: the list of
// its published jobs, a page per job with its apply form posting to the
// Flatchr /vacancy/candidate/custom endpoint, the site's sitemap and Atom
// feed, and the pages /custom answers the form with (careerform.Pages).
package careers

import (
	"bytes"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"intake"
	"intake/internal/httpapi/plumbing"
	"intake/internal/web/careerform"
)

//go:embed templates/*.html
var templateFS embed.FS

// Options configure NewHandler.
type Options struct {
	// PublicURL is the base of canonical URLs, e.g. https://jobs.example;
	// when empty it is derived from each request.
	PublicURL string
	// Signer signs the apply form's token; /custom verifies it.
	Signer *careerform.Signer
	// Logger receives the causes of internal errors; discarded when nil.
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Handler serves the career site and renders /custom's answers to its form.
type Handler struct {
	svc    *intake.Service
	public string
	signer *careerform.Signer
	log    *slog.Logger
	now    func() time.Time
	pages  *template.Template
	serve  http.Handler
}

// NewHandler returns the career site for svc. Mount it on /careers/. It
// panics if its embedded templates do not parse, which tests catch.
func NewHandler(svc *intake.Service, opts Options) *Handler {
	h := &Handler{
		svc:    svc,
		public: opts.PublicURL,
		signer: opts.Signer,
		log:    opts.Logger,
		now:    opts.Now,
		pages:  template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")),
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.now == nil {
		h.now = time.Now
	}
	h.serve = plumbing.Recover(h.routes(), h.log, "careers", func(w http.ResponseWriter, r *http.Request, err error) {
		h.writeError(w, r, nil, err)
	})
	return h
}

// routes is the route table, all in one place.
func (h *Handler) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /careers/{slug}/{$}", h.listJobs)
	mux.HandleFunc("GET /careers/{slug}/sitemap.xml", h.sitemap)
	mux.HandleFunc("GET /careers/{slug}/feed.atom", h.feed)
	mux.HandleFunc("GET /careers/{slug}/{vacancy}/{$}", h.showJob)
	mux.HandleFunc("GET /careers/{slug}", h.addSlash)
	mux.HandleFunc("GET /careers/{slug}/{vacancy}", h.addSlash)
	mux.HandleFunc("/careers/", h.notFound)
	return mux
}

// ServeHTTP serves the site; a panic is a logged 500 page.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.serve.ServeHTTP(w, r) }

// addSlash sends a page's address without its final slash to the canonical
// one.
func (h *Handler) addSlash(w http.ResponseWriter, r *http.Request) {
	u := *r.URL
	u.Path += "/"
	http.Redirect(w, r, u.String(), http.StatusMovedPermanently)
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.writeError(w, r, nil, intake.Errorf(intake.ENotFound, "page not found"))
}

// render executes a page fully before sending it.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, view any) {
	var buf bytes.Buffer
	if err := h.pages.ExecuteTemplate(&buf, name, view); err != nil {
		h.log.ErrorContext(r.Context(), "careers: render", "request_id", intake.RequestID(r.Context()), "page", name, "err", err)
		writeBody(w, http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("Internal Server Error\n"))
		return
	}
	writeBody(w, status, "text/html; charset=utf-8", buf.Bytes())
}

func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	plumbing.WriteBody(w, status, contentType, body)
}

// base returns the site's public base URL, without a final slash.
func (h *Handler) base(r *http.Request) string {
	if h.public != "" {
		return trimSlash(h.public)
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}
