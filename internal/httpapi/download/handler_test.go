package download

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"intake"
	"intake/internal/filestore/blob"
)

const ttl = 10 * time.Minute

// clock is a settable time source, safe to read from the server goroutine.
type clock struct{ unix atomic.Int64 }

func (c *clock) now() time.Time      { return time.Unix(c.unix.Load(), 0) }
func (c *clock) add(d time.Duration) { c.unix.Add(int64(d / time.Second)) }

type env struct {
	signer *Signer
	clock  *clock
	store  *blob.Dir
	srv    *httptest.Server
}

func newEnv(t testing.TB) *env {
	t.Helper()
	store, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	c := &clock{}
	c.unix.Store(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).Unix())
	s := NewSigner(bytes.Repeat([]byte{7}, SecretLen), ttl, c.now)
	srv := httptest.NewServer(s.Handler(store.Open))
	t.Cleanup(srv.Close)
	return &env{signer: s, clock: c, store: store, srv: srv}
}

// document stores data and returns its document as the Service would.
func (e *env) document(t testing.TB, name, data string) *intake.Document {
	t.Helper()
	b, err := e.store.Stage(t.Context(), strings.NewReader(data), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.Commit(t.Context(), b.Key); err != nil {
		t.Fatal(err)
	}
	return &intake.Document{Kind: intake.DocResume, BlobKey: b.Key, FileName: name, ContentType: b.ContentType, Size: b.Size, SHA256: b.SHA256}
}

func get(t testing.TB, method, u string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// headers returns h without the headers the server adds on its own.
func headers(h http.Header) http.Header {
	h = h.Clone()
	h.Del("Date")
	return h
}

func TestDownload(t *testing.T) {
	e := newEnv(t)
	const pdf = "%PDF-1.7\n% Jane Doe\n%%EOF\n"
	doc := e.document(t, "CV Jane Doë.pdf", pdf)
	if doc.ContentType != "application/pdf" {
		t.Fatalf("sniffed %q", doc.ContentType)
	}
	path := e.signer.Path(doc)
	wantPath := "/files/" + doc.BlobKey + "/CV%20Jane%20Do%C3%AB.pdf?exp=1772367000&sig="
	if !strings.HasPrefix(path, wantPath) || !strings.HasSuffix(path, "&size=26&type=application%2Fpdf") {
		t.Errorf("Path = %s", path)
	}

	resp, body := get(t, http.MethodGet, e.srv.URL+path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if body != pdf {
		t.Errorf("body %q, want %q", body, pdf)
	}
	want := http.Header{
		"Content-Type":            {"application/pdf"},
		"Content-Disposition":     {"attachment; filename*=utf-8''CV%20Jane%20Do%C3%AB.pdf"},
		"Content-Length":          {"26"},
		"X-Content-Type-Options":  {"nosniff"},
		"Content-Security-Policy": {"default-src 'none'; sandbox"},
		"Cache-Control":           {"private, max-age=600"},
	}
	if diff := cmp.Diff(want, headers(resp.Header)); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}

	resp, body = get(t, http.MethodHead, e.srv.URL+path)
	if resp.StatusCode != http.StatusOK || body != "" {
		t.Errorf("HEAD: %d %q", resp.StatusCode, body)
	}
	if diff := cmp.Diff(want, headers(resp.Header)); diff != "" {
		t.Errorf("HEAD headers (-want +got):\n%s", diff)
	}

	e.clock.add(ttl - time.Second)
	resp, _ = get(t, http.MethodGet, e.srv.URL+path)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "private, max-age=1" {
		t.Errorf("a second before expiry: %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
}

func TestDownloadFileNames(t *testing.T) {
	e := newEnv(t)
	tests := []struct{ name, want string }{
		{"cv.pdf", "cv.pdf"},
		{"résumé final.txt", "résumé final.txt"},
		{"100% sure?#&.txt", "100% sure?#&.txt"},
		{`quote".txt`, `quote".txt`},
		{"a/b.txt", "a/b.txt"},
		{"semi;colon.txt", "semi;colon.txt"},
		{"..", "download"},
		{".", "download"},
		{"", "download"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := e.document(t, tt.name, "text")
			resp, body := get(t, http.MethodGet, e.srv.URL+e.signer.Path(doc))
			if resp.StatusCode != http.StatusOK || body != "text" {
				t.Fatalf("%d %q", resp.StatusCode, body)
			}
			typ, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
			if err != nil || typ != "attachment" || params["filename"] != tt.want {
				t.Errorf("Content-Disposition %q: %s %q %v, want file name %q", resp.Header.Get("Content-Disposition"), typ, params["filename"], err, tt.want)
			}
		})
	}
}

func TestDownloadRefused(t *testing.T) {
	e := newEnv(t)
	doc := e.document(t, "cv.pdf", "%PDF-1.7\n")
	other := e.document(t, "other.pdf", "%PDF-1.7\nother\n")
	u, err := url.Parse(e.signer.Path(doc))
	if err != nil {
		t.Fatal(err)
	}
	sig := u.Query().Get("sig")
	flipped := string("0123456789abcdef"[(strings.IndexByte("0123456789abcdef", sig[0])+1)%16]) + sig[1:]
	foreign := NewSigner(bytes.Repeat([]byte{8}, SecretLen), ttl, e.clock.now)

	tests := []struct {
		name   string
		mutate func(path string, q url.Values) (string, url.Values)
	}{
		{"altered sig", func(p string, q url.Values) (string, url.Values) { q.Set("sig", flipped); return p, q }},
		{"truncated sig", func(p string, q url.Values) (string, url.Values) { q.Set("sig", sig[:32]); return p, q }},
		{"non-hex sig", func(p string, q url.Values) (string, url.Values) { q.Set("sig", "zz"+sig[2:]); return p, q }},
		{"no sig", func(p string, q url.Values) (string, url.Values) { q.Del("sig"); return p, q }},
		{"other key", func(p string, q url.Values) (string, url.Values) {
			return strings.Replace(p, doc.BlobKey, other.BlobKey, 1), q
		}},
		{"other name", func(p string, q url.Values) (string, url.Values) {
			return strings.Replace(p, "cv.pdf", "cv.html", 1), q
		}},
		{"other type", func(p string, q url.Values) (string, url.Values) { q.Set("type", "text/html"); return p, q }},
		{"other size", func(p string, q url.Values) (string, url.Values) { q.Set("size", "1"); return p, q }},
		{"no size", func(p string, q url.Values) (string, url.Values) { q.Del("size"); return p, q }},
		{"later exp", func(p string, q url.Values) (string, url.Values) {
			q.Set("exp", "9"+q.Get("exp"))
			return p, q
		}},
		{"no exp", func(p string, q url.Values) (string, url.Values) { q.Del("exp"); return p, q }},
		{"other secret", func(p string, q url.Values) (string, url.Values) {
			f, _ := url.Parse(foreign.Path(doc))
			return f.Path, f.Query()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, q := tt.mutate(u.EscapedPath(), u.Query())
			resp, body := get(t, http.MethodGet, e.srv.URL+p+"?"+q.Encode())
			wantJSONError(t, resp, body, http.StatusForbidden, `{"error":"forbidden","message":"invalid download link"}`)
		})
	}

	e.clock.add(ttl)
	resp, body := get(t, http.MethodGet, e.srv.URL+u.String())
	wantJSONError(t, resp, body, http.StatusForbidden, `{"error":"forbidden","message":"download link expired"}`)
}

func TestDownloadNotFound(t *testing.T) {
	e := newEnv(t)
	doc := e.document(t, "cv.pdf", "%PDF-1.7\n")
	if err := e.store.Discard(t.Context(), doc.BlobKey); err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, http.MethodGet, e.srv.URL+e.signer.Path(doc))
	wantJSONError(t, resp, body, http.StatusNotFound, `{"error":"not_found","message":"file not found"}`)
}

func TestDownloadOpenFailure(t *testing.T) {
	e := newEnv(t)
	failing := httptest.NewServer(e.signer.Handler(func(context.Context, string) (io.ReadCloser, error) {
		return nil, errors.New("disk on fire at /var/lib/intake")
	}))
	defer failing.Close()
	doc := &intake.Document{BlobKey: strings.Repeat("a", 32), FileName: "cv.pdf", ContentType: "application/pdf", Size: 3}
	resp, body := get(t, http.MethodGet, failing.URL+e.signer.Path(doc))
	wantJSONError(t, resp, body, http.StatusInternalServerError, `{"error":"internal","message":"internal error"}`)
}

func TestDownloadMethod(t *testing.T) {
	e := newEnv(t)
	doc := e.document(t, "cv.pdf", "%PDF-1.7\n")
	resp, _ := get(t, http.MethodPost, e.srv.URL+e.signer.Path(doc))
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
}

func wantJSONError(t testing.TB, resp *http.Response, body string, status int, want string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("status %d, want %d", resp.StatusCode, status)
	}
	if body != want+"\n" {
		t.Errorf("body %q, want %q", body, want+"\n")
	}
	wantHeaders := http.Header{
		"Content-Type":           {"application/json"},
		"Content-Length":         {strconv.Itoa(len(want) + 1)},
		"X-Content-Type-Options": {"nosniff"},
		"Cache-Control":          {"no-store"},
	}
	if diff := cmp.Diff(wantHeaders, headers(resp.Header)); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
}

// TestPreview: a preview link shows PDF and images inline, under a CSP that
// lets only this origin frame them; other types still download, and the
// disposition cannot be added to a plain link.
func TestPreview(t *testing.T) {
	e := newEnv(t)
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
	tests := []struct {
		name, data, typ, disposition, csp string
	}{
		{"cv.pdf", "%PDF-1.7\n%%EOF\n", "application/pdf", "inline; filename=cv.pdf",
			"default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'"},
		{"me.png", png, "image/png", "inline; filename=me.png",
			"default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"},
		{"page.html", "<html><script>alert(1)</script></html>", "text/plain", "attachment; filename=page.html",
			"default-src 'none'; sandbox"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := e.document(t, tt.name, tt.data)
			if doc.ContentType != tt.typ {
				t.Fatalf("sniffed %q, want %q", doc.ContentType, tt.typ)
			}
			path := e.signer.PreviewPath(doc)
			if !strings.Contains(path, "?disp=inline&") {
				t.Fatalf("PreviewPath = %s", path)
			}
			resp, body := get(t, http.MethodGet, e.srv.URL+path)
			if resp.StatusCode != http.StatusOK || body != tt.data {
				t.Fatalf("%d %q", resp.StatusCode, body)
			}
			got := [3]string{resp.Header.Get("Content-Disposition"), resp.Header.Get("Content-Security-Policy"), resp.Header.Get("X-Content-Type-Options")}
			if want := [3]string{tt.disposition, tt.csp, "nosniff"}; got != want {
				t.Errorf("headers %q, want %q", got, want)
			}
			plain := e.signer.Path(doc)
			resp, _ = get(t, http.MethodGet, e.srv.URL+plain+"&disp=inline")
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("a plain link given disp=inline: status %d, want 403", resp.StatusCode)
			}
			resp, _ = get(t, http.MethodGet, e.srv.URL+plain)
			if d := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(d, "attachment") {
				t.Errorf("a plain link: Content-Disposition %q", d)
			}
		})
	}
}
