// Package download serves stored documents through signed, expiring URLs,
// so links can be handed to API clients and browsers without a credential.
package download

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"intake"
)

// SecretLen is the length of the secrets LoadOrCreateSecret makes and the
// minimum NewSigner accepts.
const SecretLen = 32

// Signer makes and checks download URLs. A URL names a blob and carries the
// file name, content type and size to serve it with, and its expiry, all
// covered by an HMAC-SHA256 under the secret: whoever holds the URL may
// download until it expires, and nothing in it can be changed.
type Signer struct {
	secret []byte
	ttl    time.Duration
	now    func() time.Time
	// Log receives failures to read a blob; nil means slog.Default().
	Log *slog.Logger
}

// NewSigner returns a Signer whose URLs last ttl. now is the clock (nil
// means time.Now). It panics if secret is shorter than SecretLen or ttl is
// not positive: both are wiring mistakes.
func NewSigner(secret []byte, ttl time.Duration, now func() time.Time) *Signer {
	if len(secret) < SecretLen {
		panic("download: secret shorter than SecretLen")
	}
	if ttl <= 0 {
		panic("download: ttl must be positive")
	}
	if now == nil {
		now = time.Now
	}
	return &Signer{secret: append([]byte(nil), secret...), ttl: ttl, now: now}
}

// Path returns the signed path and query of doc's download URL, such as
// /files/<key>/cv.pdf?exp=…&sig=…&size=…&type=application%2Fpdf. Prefix it
// with BaseURL for an absolute URL.
func (s *Signer) Path(doc *intake.Document) string { return s.path(doc, "") }

func (s *Signer) path(doc *intake.Document, disp string) string {
	l := link{
		disp: disp,
		key:  doc.BlobKey,
		name: urlName(doc.FileName),
		typ:  doc.ContentType,
		exp:  strconv.FormatInt(s.now().Add(s.ttl).Unix(), 10),
	}
	if doc.Size > 0 {
		l.size = strconv.FormatInt(doc.Size, 10)
	}
	q := url.Values{"exp": {l.exp}, "type": {l.typ}, "sig": {hex.EncodeToString(s.mac(l))}}
	if l.size != "" {
		q.Set("size", l.size)
	}
	if disp != "" {
		q.Set("disp", disp)
	}
	return "/files/" + url.PathEscape(l.key) + "/" + url.PathEscape(l.name) + "?" + q.Encode()
}

// PreviewPath is Path for showing doc inside a page (an <iframe> or <img>
// of the dashboard): the URL also signs "disp=inline", and the handler then
// answers Content-Disposition: inline when doc's type is Previewable; any
// other type is still an attachment.
func (s *Signer) PreviewPath(doc *intake.Document) string {
	return s.path(doc, "inline")
}

// Previewable reports whether a browser may show a file of this sniffed
// content type inline: PDF and raster images, never a type that can carry
// a script (HTML, SVG, XML).
func Previewable(contentType string) bool {
	switch contentType {
	case "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

// urlName keeps a file name usable as a path segment: ServeMux redirects
// paths holding "." or ".." segments, and an empty one would not match.
func urlName(name string) string {
	switch name {
	case "", ".", "..":
		return "download"
	}
	return name
}

// link is what a download URL carries, as the strings it carries them in,
// so that the MAC is checked over exactly what was received.
type link struct {
	key, name, typ, size, exp string
	// disp is "inline" on preview links, else empty.
	disp string
}

// mac authenticates every field of l, each length-prefixed so that no
// shifting of bytes between fields keeps the same MAC.
func (s *Signer) mac(l link) []byte {
	m := hmac.New(sha256.New, s.secret)
	var buf []byte
	buf = append(buf, "intake download v1"...)
	for _, f := range []string{l.key, l.name, l.typ, l.size, l.exp} {
		buf = binary.AppendUvarint(buf, uint64(len(f)))
		buf = append(buf, f...)
	}
	// Only preview links sign a disposition, so the links signed before
	// it existed keep their MAC.
	if l.disp != "" {
		buf = append(buf, "\x00disp"...)
		buf = binary.AppendUvarint(buf, uint64(len(l.disp)))
		buf = append(buf, l.disp...)
	}
	m.Write(buf)
	return m.Sum(nil)
}

// BaseURL returns the scheme and host to prefix download paths with: public
// (the configured public URL, trailing slash dropped) when set, else the
// request's own host, over https if it came over TLS. Forwarded headers are
// not trusted; behind a proxy, configure public.
func BaseURL(r *http.Request, public string) string {
	if public != "" {
		return strings.TrimSuffix(public, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
