package download

import (
	"bytes"
	"crypto/tls"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestBaseURL(t *testing.T) {
	tests := []struct {
		name   string
		tls    bool
		host   string
		public string
		want   string
	}{
		{name: "http", host: "intake.local:8080", want: "http://intake.local:8080"},
		{name: "https", tls: true, host: "ats.example.com", want: "https://ats.example.com"},
		{name: "public wins", host: "10.0.0.5:8080", public: "https://ats.example.com/", want: "https://ats.example.com"},
		{name: "public with path", tls: true, host: "x", public: "https://example.com/ats", want: "https://example.com/ats"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.Host = tt.host
			r.Header.Set("X-Forwarded-Proto", "https")
			r.Header.Set("X-Forwarded-Host", "evil.example")
			r.TLS = nil
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if got := BaseURL(r, tt.public); got != tt.want {
				t.Errorf("BaseURL = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNewSignerRefusesWeakSetup(t *testing.T) {
	for name, f := range map[string]func(){
		"short secret": func() { NewSigner(make([]byte, SecretLen-1), time.Minute, nil) },
		"zero ttl":     func() { NewSigner(make([]byte, SecretLen), 0, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

func TestLoadOrCreateSecret(t *testing.T) {
	path := filepath.Join(t.TempDir(), "download.key")
	first, err := LoadOrCreateSecret(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != SecretLen || bytes.Equal(first, make([]byte, SecretLen)) {
		t.Fatalf("secret %x", first)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("mode %v, want 0600", perm)
	}
	again, err := LoadOrCreateSecret(path)
	if err != nil || !bytes.Equal(again, first) {
		t.Errorf("second load = %x, %v; want %x", again, err, first)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("%d files in the directory, want only the secret", len(entries))
	}
}

func TestLoadOrCreateSecretConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "download.key")
	secrets := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range secrets {
		wg.Go(func() {
			s, err := LoadOrCreateSecret(path)
			if err != nil {
				t.Error(err)
			}
			secrets[i] = s
		})
	}
	wg.Wait()
	for _, s := range secrets[1:] {
		if !bytes.Equal(s, secrets[0]) {
			t.Fatalf("callers got different secrets: %x, %x", s, secrets[0])
		}
	}
}

func TestLoadOrCreateSecretShort(t *testing.T) {
	path := filepath.Join(t.TempDir(), "download.key")
	if err := os.WriteFile(path, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateSecret(path); err == nil {
		t.Fatal("a short secret was accepted")
	}
}
