package download

import (
	"context"
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"

	"intake"
	"intake/internal/httpapi/plumbing"
)

// Handler serves GET (and HEAD) /files/{key}/{name} for URLs made by Path:
// 403 when the signature does not match or the URL expired, 404 when open
// reports ENotFound, else the bytes as an attachment with the signed file
// name, content type and size; a preview link (PreviewPath) of a
// Previewable type is answered inline instead, to be framed by this origin
// only. Errors are small JSON bodies
// {"error": code, "message": text}, those of other paths and methods under
// /files/ included. Mount it on /files/.
func (s *Signer) Handler(open func(ctx context.Context, key string) (io.ReadCloser, error)) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /files/{key}/{name}", func(w http.ResponseWriter, r *http.Request) {
		s.serveFile(w, r, open)
	})
	plumbing.HandleNotRouted(mux, []string{"/files/"}, func(*http.Request) error {
		return intake.Errorf(intake.ENotFound, "file not found")
	}, s.answerError)
	return plumbing.Recover(mux, s.log(), "download", s.answerError)
}

// answerError answers the errors of the plumbing (a path or method not
// served, a panic) in the package's format.
func (s *Signer) answerError(w http.ResponseWriter, r *http.Request, err error) {
	if me, ok := errors.AsType[*plumbing.MethodError](err); ok {
		me.SetAllow(w.Header())
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", me.Error())
		return
	}
	if intake.ErrorCodeOf(err) == intake.ENotFound {
		writeError(w, http.StatusNotFound, "not_found", "file not found")
		return
	}
	s.log().Error("download: internal error", "request_id", intake.RequestID(r.Context()), "err", err)
	writeError(w, http.StatusInternalServerError, "internal", "internal error")
}

func (s *Signer) serveFile(w http.ResponseWriter, r *http.Request, open func(ctx context.Context, key string) (io.ReadCloser, error)) {
	q := r.URL.Query()
	l := link{key: r.PathValue("key"), name: r.PathValue("name"), typ: q.Get("type"), size: q.Get("size"), exp: q.Get("exp"), disp: q.Get("disp")}
	sig, err := hex.DecodeString(q.Get("sig"))
	if err != nil || !hmac.Equal(sig, s.mac(l)) {
		writeError(w, http.StatusForbidden, "forbidden", "invalid download link")
		return
	}
	exp, err := strconv.ParseInt(l.exp, 10, 64)
	left := exp - s.now().Unix()
	if err != nil || left <= 0 {
		writeError(w, http.StatusForbidden, "forbidden", "download link expired")
		return
	}

	rc, err := open(r.Context(), l.key)
	if err != nil {
		if intake.ErrorCodeOf(err) == intake.ENotFound {
			writeError(w, http.StatusNotFound, "not_found", "file not found")
			return
		}
		s.log().Error("download: open blob", "key", l.key, "request_id", intake.RequestID(r.Context()), "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	defer rc.Close()

	typ := l.typ
	if typ == "" {
		typ = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", typ)
	inline := l.disp == "inline" && Previewable(typ)
	kind, csp := "attachment", "default-src 'none'; sandbox"
	switch {
	case inline && typ == "application/pdf":
		// Chromium refuses to run its PDF viewer in a sandboxed document,
		// so a PDF gets no sandbox; it gets no script, frame or connection
		// either, may only be framed by this origin, and nosniff with the
		// signed type keeps it from ever being read as HTML. The viewer
		// lays its page out with inline styles.
		kind, csp = "inline", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'"
	case inline:
		kind, csp = "inline", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"
	}
	disposition := mime.FormatMediaType(kind, map[string]string{"filename": l.name})
	if disposition == "" {
		disposition = kind
	}
	h.Set("Content-Disposition", disposition)
	h.Set("X-Content-Type-Options", "nosniff")
	// An attachment a browser renders anyway gets no script, style or
	// same-origin access.
	h.Set("Content-Security-Policy", csp)
	h.Set("Cache-Control", "private, max-age="+strconv.FormatInt(left, 10))
	if l.size != "" {
		h.Set("Content-Length", l.size)
	}
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.Copy(w, rc); err != nil {
		// Headers are gone; the client sees a short body against
		// Content-Length.
		s.log().Warn("download: copy blob", "key", l.key, "request_id", intake.RequestID(r.Context()), "err", err)
	}
}

func (s *Signer) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// writeError answers with a small JSON error, encoded before any header is
// written.
func writeError(w http.ResponseWriter, status int, code, message string) {
	body, err := plumbing.AppendJSON(nil, struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}{code, message})
	if err != nil {
		http.Error(w, message, status)
		return
	}
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	plumbing.WriteBody(w, status, "application/json", body)
}
