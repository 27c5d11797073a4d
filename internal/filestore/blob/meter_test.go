package blob

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// Text longer than the short prefix whose cut falls inside a multi-byte
// character is still text: mimetype forgives a truncated last rune, which
// the short prefix relies on.
func TestMeterTextCutInsideRune(t *testing.T) {
	for shift := range 3 {
		text := strings.Repeat("a", shortSniffLen-1-shift) + strings.Repeat("é", 40_000)
		m := NewMeter(t.Context(), strings.NewReader(text), 1<<20)
		if _, err := io.Copy(io.Discard, m); err != nil {
			t.Fatal(err)
		}
		if got := m.Blob("k").ContentType; got != "text/plain" {
			t.Errorf("shift %d: %s, want text/plain", shift, got)
		}
		m.Release()
	}
}

// Only containers keep more than the short prefix.
func TestMeterPrefixLength(t *testing.T) {
	tests := []struct {
		name  string
		start []byte
		want  int
	}{
		{"pdf", []byte("%PDF-1.7\n"), shortSniffLen},
		{"zip", zipMagic, SniffLen},
		{"ole", oleMagic, SniffLen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := append(bytes.Clone(tt.start), make([]byte, 2<<20)...)
			m := NewMeter(t.Context(), bytes.NewReader(body), 4<<20)
			defer m.Release()
			if _, err := io.Copy(io.Discard, m); err != nil {
				t.Fatal(err)
			}
			if got := len(*m.prefix); got != tt.want {
				t.Errorf("prefix kept = %d, want %d", got, tt.want)
			}
		})
	}
}
