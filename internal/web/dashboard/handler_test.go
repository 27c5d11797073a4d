package dashboard

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"intake"
)

func TestNewHandlerRefusesAShortSecret(t *testing.T) {
	defer func() {
		if v := recover(); v == nil || !strings.Contains(v.(string), "SessionSecret") {
			t.Errorf("recovered %v, want a SessionSecret panic", v)
		}
	}()
	NewHandler(&intake.Service{}, Options{SessionSecret: []byte("short")})
}

// TestPanicIsAnErrorPage breaks the handler on purpose (a Service with no
// store) to check a bug answers a logged 500 page, never a dropped
// connection nor a stack trace.
func TestPanicIsAnErrorPage(t *testing.T) {
	var logs bytes.Buffer
	h := NewHandler(&intake.Service{}, Options{SessionSecret: testSecret, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	req := httptest.NewRequest(http.MethodGet, homePath(org), nil)
	req.AddCookie(&http.Cookie{Name: cookieName, Value: "1.99999999999.AAAA"})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body := rec.Body.String()
	if rec.Code != http.StatusInternalServerError || !strings.Contains(body, "<p>"+internalText+"</p>") || strings.Contains(body, "goroutine") {
		t.Errorf("status %d:\n%s", rec.Code, body)
	}
	if rec.Header().Get("X-Frame-Options") != "DENY" {
		t.Errorf("the error page lacks the security headers: %v", rec.Header())
	}
	if !strings.Contains(logs.String(), "dashboard: panic") {
		t.Errorf("the panic was not logged: %s", logs.String())
	}
}
