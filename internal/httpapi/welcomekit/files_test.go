package welcomekit

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"intake"
	"intake/internal/testenv"
)

// pdf is the smallest file the blob store sniffs as application/pdf.
var pdf = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// TestRemoteFiles downloads remote_*_url files and follows the signed URLs
// the answer gives.
func TestRemoteFiles(t *testing.T) {
	f := newFixture(t)
	resume := testenv.ServeFile(t, "resume.pdf", "application/pdf", pdf)
	portfolio := testenv.ServeFile(t, "portfolio.pdf", "application/pdf", pdf)
	image := testenv.ServeFile(t, "me.png", "image/png", defaultAvatarPNG)
	got := f.create(t, rwToken, map[string]any{
		"remote_resume_url": resume, "remote_portfolio_url": portfolio, "remote_image_url": image,
	})
	if got["resume_size"] != float64(len(pdf)) || got["portfolio_size"] != float64(len(pdf)) || got["resume_content_type"] != "application/pdf" {
		t.Errorf("resume_size %v, portfolio_size %v, resume_content_type %v", got["resume_size"], got["portfolio_size"], got["resume_content_type"])
	}
	for key, want := range map[string][]byte{"resume_url": pdf, "portfolio_url": pdf, "profile.avatar_url": defaultAvatarPNG} {
		v := got[key]
		if k, ok := strings.CutPrefix(key, "profile."); ok {
			v = got["profile"].(map[string]any)[k]
		}
		u := str(v)
		if !strings.HasPrefix(u, f.srv.URL+"/files/") {
			t.Errorf("%s = %q, want an absolute URL of this server's files", key, u)
			continue
		}
		res, err := f.srv.Client().Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !bytes.Equal(body, want) {
			t.Errorf("GET %s: status %d, %d bytes, want the downloaded file", key, res.StatusCode, len(body))
		}
	}

	t.Run("update replaces the resume", func(t *testing.T) {
		other := []byte("%PDF-1.4\n% another resume\n%%EOF\n")
		url := testenv.ServeFile(t, "cv2.pdf", "application/pdf", other)
		res := f.do(t, request{method: http.MethodPut, path: candidates + "/" + str(got["reference"]), token: rwToken, contentType: jsonType,
			body: `{"remote_resume_url":"` + url + `"}`})
		if res.status != 200 {
			t.Fatalf("status %d, body %s", res.status, res.body)
		}
		if size := jsonObject(t, res.body)["resume_size"]; size != float64(len(other)) {
			t.Errorf("resume_size = %v, want %d", size, len(other))
		}
	})
}

func TestRemoteFileFailures(t *testing.T) {
	f := newFixture(t)
	notFound := testenv.ServeFile(t, "x", "text/html", nil)
	exe := testenv.ServeFile(t, "cv.pdf", "application/pdf", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"))
	huge := testenv.ServeFile(t, "cv.pdf", "application/pdf", append(append([]byte{}, pdf...), make([]byte, intake.MaxRemoteResumeBytes)...))
	tests := []struct {
		name  string
		param string
		url   string
	}{
		{name: "empty resume", param: "remote_resume_url", url: notFound},
		{name: "portfolio of the wrong type", param: "remote_portfolio_url", url: exe},
		{name: "nothing listening", param: "remote_image_url", url: "http://127.0.0.1:1/me.png"},
		// Over its cap a download is a validation error, not a 413: the
		// request itself was small (spec welcomekit §2 Remote files).
		{name: "resume over 5 MB", param: "remote_resume_url", url: huge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.TrimSuffix(validCreate, "}") + `,"` + tt.param + `":"` + tt.url + `"}`
			res := f.do(t, request{method: http.MethodPost, path: candidates, token: rwToken, contentType: jsonType, body: body})
			if res.status != 400 {
				t.Fatalf("status %d, want 400; body %s", res.status, res.body)
			}
			got := jsonObject(t, res.body)
			if got["error"] != "validation_failed" || !strings.HasPrefix(str(got["error_description"]), tt.param+" ") {
				t.Errorf("body %s: want validation_failed naming %s", res.body, tt.param)
			}
		})
	}
}

// TestNoSigner checks the null file URLs of a handler without a signer.
func TestNoSigner(t *testing.T) {
	env := testenv.New(t, testWorld)
	srv := httptest.NewServer(NewHandler(env.Service, Options{PublicURL: "https://intake.example"}))
	t.Cleanup(srv.Close)
	f := &fixture{env: env, srv: srv}
	resume := testenv.ServeFile(t, "resume.pdf", "application/pdf", pdf)
	got := f.create(t, rwToken, map[string]any{"remote_resume_url": resume})
	if got["resume_url"] != nil || got["resume_size"] != float64(len(pdf)) {
		t.Errorf("resume_url %v, resume_size %v: want null URL, known size", got["resume_url"], got["resume_size"])
	}
	if avatar := str(got["profile"].(map[string]any)["avatar_url"]); !strings.HasPrefix(avatar, "https://intake.example/assets/default-avatar-") {
		t.Errorf("avatar_url = %q, want the default avatar under PublicURL", avatar)
	}
}
