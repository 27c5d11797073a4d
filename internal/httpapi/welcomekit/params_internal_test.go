package welcomekit

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestReadBody checks that the declared length is only a hint: shorter,
// longer or absent, the body read is what the reader holds.
func TestReadBody(t *testing.T) {
	body := strings.Repeat("x", 1000)
	for _, declared := range []int64{-1, 0, 10, 999, 1000, 1001, 5000} {
		for name, r := range map[string]io.Reader{
			"whole":    strings.NewReader(body),
			"one byte": iotest.OneByteReader(strings.NewReader(body)),
		} {
			got, err := readBody(r, declared, 4096)
			if err != nil || !bytes.Equal(got, []byte(body)) {
				t.Errorf("declared %d, %s: %d bytes, %v; want %d bytes", declared, name, len(got), err, len(body))
			}
		}
	}
	boom := errors.New("boom")
	if _, err := readBody(iotest.ErrReader(boom), 10, 4096); !errors.Is(err, boom) {
		t.Errorf("reader error: %v, want boom", err)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = readBody(strings.NewReader(body), 1000, 4096) }); n > 2 {
		t.Errorf("%.0f allocations for a body of the declared length, want at most 2", n)
	}
}
