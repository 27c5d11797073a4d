package bench

import (
	"bytes"
	"testing"
)

func TestResume(t *testing.T) {
	frame := len(Resume(1<<10)) - (1 << 10) // 0: the frame fits in 1 KiB
	if frame != 0 {
		t.Fatalf("Resume(1024) has %d bytes too many", frame)
	}
	tests := []struct {
		name     string
		size     int
		magic    bool
		complete bool
	}{
		{name: "zero", size: 0},
		{name: "shorter than the magic", size: 3},
		{name: "just the magic", size: 5, magic: true},
		{name: "shorter than the frame", size: 100, magic: true},
		{name: "one kilobyte", size: 1 << 10, magic: true, complete: true},
		{name: "odd size", size: 4099, magic: true, complete: true},
		{name: "five megabytes", size: 5 << 20, magic: true, complete: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Resume(tt.size)
			if len(got) != tt.size {
				t.Fatalf("len = %d, want %d", len(got), tt.size)
			}
			if hasMagic := bytes.HasPrefix(got, []byte("%PDF-")); hasMagic != tt.magic {
				t.Errorf("starts with %%PDF- = %v, want %v", hasMagic, tt.magic)
			}
			if ends := bytes.HasSuffix(got, []byte("%%EOF\n")); ends != tt.complete {
				t.Errorf("ends with %%%%EOF = %v, want %v", ends, tt.complete)
			}
			if !bytes.Equal(got, Resume(tt.size)) {
				t.Error("two calls gave different bytes")
			}
		})
	}
}
