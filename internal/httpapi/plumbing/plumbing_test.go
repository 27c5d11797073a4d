package plumbing

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"intake"
)

// recorded is what an ErrorWriter was given.
type recorded struct{ err error }

func (rec *recorded) write(w http.ResponseWriter, r *http.Request, err error) {
	rec.err = err
	if me, ok := errors.AsType[*MethodError](err); ok {
		me.SetAllow(w.Header())
		WriteBody(w, http.StatusMethodNotAllowed, "text/plain", []byte(me.Error()))
		return
	}
	WriteBody(w, Status(intake.ErrorCodeOf(err)), "text/plain", []byte(intake.ErrorMessage(err)))
}

func TestHandleNotRouted(t *testing.T) {
	mux := http.NewServeMux()
	ok := func(w http.ResponseWriter, r *http.Request) { WriteBody(w, 200, "text/plain", []byte("ok")) }
	mux.HandleFunc("GET /api/items", ok)
	mux.HandleFunc("POST /api/items", ok)
	mux.HandleFunc("PUT /api/items/{id}", ok)
	rec := &recorded{}
	HandleNotRouted(mux, []string{"/api/", "/other/"}, func(r *http.Request) error {
		return intake.Errorf(intake.ENotFound, "no route for %s", r.URL.Path)
	}, rec.write)
	tests := []struct {
		name, method, path string
		status             int
		allow              string
		err                string
	}{
		{name: "served", method: "GET", path: "/api/items", status: 200},
		{name: "HEAD of a GET route is served", method: "HEAD", path: "/api/items", status: 200},
		{name: "other method", method: "DELETE", path: "/api/items", status: 405, allow: "GET, HEAD, POST", err: "Method DELETE is not allowed on /api/items"},
		{name: "wildcard path", method: "GET", path: "/api/items/7", status: 405, allow: "PUT", err: "Method GET is not allowed on /api/items/7"},
		{name: "unknown path", method: "GET", path: "/api/nothing", status: 404, err: "no route for /api/nothing"},
		{name: "second catch-all", method: "POST", path: "/other/x", status: 404, err: "no route for /other/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec.err = nil
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
			if w.Code != tt.status {
				t.Errorf("status %d, want %d", w.Code, tt.status)
			}
			if got := w.Header().Get("Allow"); got != tt.allow {
				t.Errorf("Allow %q, want %q", got, tt.allow)
			}
			if got := w.Body.String(); tt.err != "" && got != tt.err {
				t.Errorf("error %q, want %q", got, tt.err)
			}
		})
	}
}

func TestRecover(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	rec := &recorded{}
	h := Recover(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/abort" {
			panic(http.ErrAbortHandler)
		}
		panic("boom")
	}), log, "dialect", rec.write)

	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if w.Code != 500 || intake.ErrorCodeOf(rec.err) != intake.EInternal {
		t.Errorf("status %d, error %v; want 500 and an internal error", w.Code, rec.err)
	}
	if !strings.Contains(logs.String(), `msg="dialect: panic"`) || !strings.Contains(logs.String(), "panic=boom") {
		t.Errorf("logs = %s", logs.String())
	}

	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler re-raised", v)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/abort", nil))
}

func TestWriteBody(t *testing.T) {
	w := httptest.NewRecorder()
	WriteBody(w, 201, ContentTypeJSON, []byte(`{"a":1}`))
	if w.Code != 201 || w.Header().Get("Content-Type") != ContentTypeJSON || w.Header().Get("Content-Length") != "7" || w.Body.String() != `{"a":1}` {
		t.Errorf("got %d %v %q", w.Code, w.Header(), w.Body.String())
	}
}

func TestAppendJSON(t *testing.T) {
	got, err := AppendJSON([]byte("x"), map[string]string{"html": "<a href='/?q=1&r=2'>"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "x{\"html\":\"<a href='/?q=1&r=2'>\"}\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := AppendJSON(nil, make(chan int)); intake.ErrorCodeOf(err) != intake.EInternal {
		t.Errorf("unencodable value: %v, want an internal error", err)
	}
}

func TestHTML(t *testing.T) {
	tmpl := template.Must(template.New("p").Parse(`<p>{{.Name}}</p>{{if .Fail}}{{call .Fail}}{{end}}`))
	type view struct {
		Name string
		Fail func() (string, error)
	}
	got, err := HTML(tmpl, view{Name: "<b>"})
	if err != nil || string(got) != "<p>&lt;b&gt;</p>" {
		t.Errorf("got %q, %v", got, err)
	}
	got, err = HTML(tmpl, view{Name: "x", Fail: func() (string, error) { return "", errors.New("broken") }})
	if got != nil || intake.ErrorCodeOf(err) != intake.EInternal {
		t.Errorf("failing template: %q, %v; want nothing and an internal error", got, err)
	}
}

func TestLimitBody(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		tooMuch bool
	}{
		{name: "at the cap", body: strings.Repeat("a", 8)},
		{name: "past the cap", body: strings.Repeat("a", 9), tooMuch: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			_, err := io.ReadAll(LimitBody(httptest.NewRecorder(), r, 8))
			if TooLarge(err) != tt.tooMuch || (err != nil) != tt.tooMuch {
				t.Errorf("err %v, want too large: %v", err, tt.tooMuch)
			}
			if TooLarge(intake.WrapError(intake.EInvalid, err, "read")) != tt.tooMuch {
				t.Error("TooLarge must see through wrapping")
			}
		})
	}
}

// oldRequestHash is the digest as both dialects computed it before they
// shared RequestHash; records stored then must still match.
func oldRequestHash(r *http.Request, body []byte, prefixBody bool) string {
	sum := sha256.New()
	for _, part := range []string{r.Method, r.URL.Path, r.Header.Get("Content-Type"), r.URL.RawQuery} {
		_ = binary.Write(sum, binary.BigEndian, uint64(len(part)))
		sum.Write([]byte(part))
	}
	if prefixBody {
		_ = binary.Write(sum, binary.BigEndian, uint64(len(body)))
	}
	sum.Write(body)
	return hex.EncodeToString(sum.Sum(nil))
}

func TestRequestHash(t *testing.T) {
	req := func(method, target, contentType string) *http.Request {
		r := httptest.NewRequest(method, target, nil)
		r.Header.Set("Content-Type", contentType)
		return r
	}
	body := []byte(`{"firstname":"Ada"}`)
	r := req("POST", "/api/v1/external/candidates?x=1", "application/json")

	whole := NewRequestHash(r)
	whole.Body(body)
	if got, want := whole.Hex(), oldRequestHash(r, body, true); got != want {
		t.Errorf("Body: %s, want the stored digest %s", got, want)
	}
	streamed := NewRequestHash(r)
	if _, err := io.Copy(streamed, bytes.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	if got, want := streamed.Hex(), oldRequestHash(r, body, false); got != want {
		t.Errorf("Write: %s, want the stored digest %s", got, want)
	}

	// Moving bytes between parts changes the digest.
	seen := map[string]string{}
	for name, r := range map[string]*http.Request{
		"base":         req("POST", "/a?b", "c"),
		"query→path":   req("POST", "/a%3Fb", "c"),
		"type→query":   req("POST", "/a?bc", ""),
		"other method": req("PUT", "/a?b", "c"),
	} {
		h := NewRequestHash(r)
		h.Body(nil)
		if other, dup := seen[h.Hex()]; dup {
			t.Errorf("%s hashes like %s", name, other)
		}
		seen[h.Hex()] = name
	}
}

func TestStatus(t *testing.T) {
	for code, want := range map[intake.ErrorCode]int{
		intake.EInvalid: 400, intake.EUnauthenticated: 401, intake.EForbidden: 403, intake.ENotFound: 404,
		intake.EConflict: 409, intake.ETooLarge: 413, intake.EUnsupported: 415, intake.ERateLimited: 429,
		intake.EInternal: 500, intake.EUnavailable: 503, "unheard_of": 500,
	} {
		if got := Status(code); got != want {
			t.Errorf("Status(%s) = %d, want %d", code, got, want)
		}
	}
}

func TestRespond(t *testing.T) {
	rec := &recorded{}
	w := httptest.NewRecorder()
	Respond(w, httptest.NewRequest("GET", "/", nil), 200, ContentTypeHTML, []byte("<p>"), nil, rec.write)
	if w.Code != 200 || w.Body.String() != "<p>" || rec.err != nil {
		t.Errorf("success: %d %q %v", w.Code, w.Body.String(), rec.err)
	}
	w = httptest.NewRecorder()
	Respond(w, httptest.NewRequest("GET", "/", nil), 200, ContentTypeHTML, []byte("<p"), intake.Errorf(intake.EInternal, "render"), rec.write)
	if w.Code != 500 || w.Body.String() != "internal error" || rec.err == nil {
		t.Errorf("failure: %d %q %v, want the error written instead of the body", w.Code, w.Body.String(), rec.err)
	}
}
