package testenv

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestNew(t *testing.T) {
	env := New(t, World)
	p, err := env.Service.Authenticate(t.Context(), RWToken)
	if err != nil {
		t.Fatalf("the world's key does not authenticate: %v", err)
	}
	if _, err := env.Service.JobByReference(t.Context(), p, Org, SeedJob); err != nil {
		t.Errorf("the world's job is missing: %v", err)
	}
	for _, name := range []string{"intake.db", "files", "download.key"} {
		if _, err := os.Stat(filepath.Join(env.DataDir, name)); err != nil {
			t.Errorf("data dir lacks %s: %v", name, err)
		}
	}
	if got := env.Service.Now(); !got.Equal(Start) {
		t.Errorf("service clock = %v, want %v", got, Start)
	}
	env.Clock.Advance(time.Hour)
	if got := env.Service.Now(); !got.Equal(Start.Add(time.Hour)) {
		t.Errorf("service clock after Advance = %v", got)
	}
}

func TestServeFile(t *testing.T) {
	u := ServeFile(t, "cv.pdf", "application/pdf", []byte("%PDF-1.4"))
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if string(body) != "%PDF-1.4" || res.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("got %q as %q", body, res.Header.Get("Content-Type"))
	}
}
