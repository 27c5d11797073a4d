package welcomekit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"intake"
)

func TestRoutes(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name      string
		method    string
		path      string
		status    int
		allow     string
		wantError [2]string
	}{
		{name: "unknown path", method: "GET", path: "/api/v1/external/videos", status: 404,
			wantError: [2]string{"not_found", "No route matches GET /api/v1/external/videos"}},
		{name: "unknown nested path", method: "POST", path: "/api/v1/external/candidates/x/y", status: 404,
			wantError: [2]string{"not_found", "No route matches POST /api/v1/external/candidates/x/y"}},
		{name: "delete the collection", method: "DELETE", path: candidates, status: 405, allow: "GET, HEAD, POST",
			wantError: [2]string{"method_not_allowed", "Method DELETE is not allowed on /api/v1/external/candidates"}},
		{name: "patch a candidate", method: "PATCH", path: candidates + "/wttj-x", status: 405, allow: "GET, HEAD, PUT",
			wantError: [2]string{"method_not_allowed", "Method PATCH is not allowed on /api/v1/external/candidates/wttj-x"}},
		{name: "post a candidate", method: "POST", path: candidates + "/wttj-x", status: 405, allow: "GET, HEAD, PUT",
			wantError: [2]string{"method_not_allowed", "Method POST is not allowed on /api/v1/external/candidates/wttj-x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.do(t, request{method: tt.method, path: tt.path, token: rwToken})
			checkError(t, res, tt.status, tt.wantError[0], tt.wantError[1])
			if got := res.header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow = %q, want %q", got, tt.allow)
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	f := newFixtureWith(t, Options{MaxBodyBytes: 1024})
	body := `{"organization_reference":"Pg4eV6k","job_reference":"WTTJ_KmqkD1Y","email":"a@b.co","firstname":"F","lastname":"L","comment":"` + strings.Repeat("x", 1024) + `"}`
	res := f.do(t, request{method: http.MethodPost, path: candidates, token: rwToken, contentType: jsonType, body: body})
	checkError(t, res, 413, "validation_failed", "request body is larger than 1024 bytes")

	small := strings.Replace(body, strings.Repeat("x", 1024), "short", 1)
	if res := f.do(t, request{method: http.MethodPost, path: candidates, token: rwToken, contentType: jsonType, body: small}); res.status != 201 {
		t.Errorf("body under the limit: status %d, body %s", res.status, res.body)
	}
}

func TestDefaultAvatar(t *testing.T) {
	f := newFixture(t)
	got := f.create(t, rwToken, nil)
	avatar := str(got["profile"].(map[string]any)["avatar_url"])
	if !strings.HasPrefix(avatar, f.srv.URL+"/assets/default-avatar-") {
		t.Fatalf("avatar_url = %q, want the default avatar on this server", avatar)
	}
	res, err := f.srv.Client().Get(avatar)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	png, _ := io.ReadAll(res.Body)
	sum := sha256.Sum256(png)
	for k, want := range map[string]string{"Content-Type": "image/png", "Cache-Control": "public, max-age=31536000, immutable"} {
		if got := res.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if res.StatusCode != 200 || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("status %d, body not a PNG", res.StatusCode)
	}
	if want := f.srv.URL + "/assets/default-avatar-" + hex.EncodeToString(sum[:]) + ".png"; avatar != want {
		t.Errorf("avatar_url = %q, want named after its SHA-256: %q", avatar, want)
	}
	if res := f.do(t, request{path: "/assets/default-avatar-0000.png"}); res.status != 404 {
		t.Errorf("another hash: status %d, want 404", res.status)
	}
}

// failingStore injects a store failure to check that internal errors are
// logged, not sent.
type failingStore struct{ intake.Store }

func (failingStore) APIKeyByHash(context.Context, string) (*intake.APIKey, *intake.Org, error) {
	return nil, nil, errors.New("disk on fire at /var/lib/intake")
}

func TestInternalError(t *testing.T) {
	f := newFixture(t)
	var logs bytes.Buffer
	svc := intake.NewService(intake.ServiceConfig{Store: failingStore{f.env.Store}})
	h := NewHandler(svc, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	r := httptest.NewRequest(http.MethodGet, candidates+"/wttj-x", nil)
	r = r.WithContext(intake.WithRequestID(r.Context(), "req-42"))
	r.Header.Set("Authorization", "Bearer "+rwToken)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
	checkError(t, res, 500, "internal_server_error", internalText)
	if !strings.Contains(logs.String(), "disk on fire") || !strings.Contains(logs.String(), "request_id=req-42") {
		t.Errorf("log lacks the cause or the request id:\n%s", logs.String())
	}
}
