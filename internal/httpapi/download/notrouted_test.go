package download

import (
	"net/http"
	"testing"
)

// TestDownloadNotRouted: paths and methods the handler does not serve are
// answered in its own JSON format, not by ServeMux's plain text.
func TestDownloadNotRouted(t *testing.T) {
	e := newEnv(t)
	doc := e.document(t, "cv.pdf", "%PDF-1.7\n")
	tests := []struct {
		name, method, path string
		status             int
		allow              string
		body               string
	}{
		{name: "POST a file", method: http.MethodPost, path: e.signer.Path(doc), status: http.StatusMethodNotAllowed, allow: "GET, HEAD",
			body: `{"error":"method_not_allowed","message":"Method POST is not allowed on /files/` + doc.BlobKey + `/cv.pdf"}`},
		{name: "no file name", method: http.MethodGet, path: "/files/" + doc.BlobKey, status: http.StatusNotFound,
			body: `{"error":"not_found","message":"file not found"}`},
		{name: "too deep", method: http.MethodDelete, path: "/files/a/b/c", status: http.StatusNotFound,
			body: `{"error":"not_found","message":"file not found"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, tt.method, e.srv.URL+tt.path)
			if resp.StatusCode != tt.status || body != tt.body+"\n" {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, body, tt.status, tt.body+"\n")
			}
			if got := resp.Header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow %q, want %q", got, tt.allow)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type %q", got)
			}
		})
	}
}
