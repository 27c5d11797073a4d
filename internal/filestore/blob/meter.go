package blob

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"

	"intake"
)

// KeyBytes is the randomness of a blob key: 128 bits, unguessable, so a key
// can stand in a download URL. Every BlobStore of intake uses this shape, so
// data can move between them.
const KeyBytes = 16

// NewKey returns a fresh random key: KeyBytes in lowercase hex.
func NewKey() (string, error) {
	b := make([]byte, KeyBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("blob: key: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// ValidKey accepts only what NewKey makes. Stores check it before building
// a path or object name, so a key cannot name anything else.
func ValidKey(key string) bool {
	if len(key) != 2*KeyBytes {
		return false
	}
	for i := range len(key) {
		c := key[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// errTooLarge stops a copy once the cap is passed.
var errTooLarge = errors.New("blob over its size cap")

// shortSniffLen is enough prefix for every allowed type that is not a
// container: PDF, RTF, text and images are recognised from their first
// bytes. Only ZIP (DOCX, ODT) and OLE (DOC) containers need up to SniffLen,
// so other uploads never pay for a large buffer.
const shortSniffLen = 64 << 10

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
)

// prefixes recycles sniffing buffers, which would otherwise be the largest
// allocation of an upload.
var prefixes = sync.Pool{New: func() any { b := make([]byte, 0, shortSniffLen); return &b }}

// Meter is the reader a BlobStore copies from while staging: it stops when
// ctx ends, fails past max bytes (having read at most one byte more), and
// hashes and keeps the sniffing prefix of what goes through, never the
// whole content.
type Meter struct {
	ctx    context.Context
	r      io.Reader
	max    int64
	n      int64
	over   bool
	srcErr error
	sum    hash.Hash
	prefix *[]byte
}

// NewMeter meters r for a blob of at most max bytes. Call Release when
// done with it.
func NewMeter(ctx context.Context, r io.Reader, max int64) *Meter {
	p := prefixes.Get().(*[]byte)
	*p = (*p)[:0]
	return &Meter{ctx: ctx, r: r, max: max, sum: sha256.New(), prefix: p}
}

// Read reads from the source through the checks.
func (m *Meter) Read(p []byte) (int, error) {
	if m.over {
		return 0, errTooLarge
	}
	if err := m.ctx.Err(); err != nil {
		m.srcErr = err
		return 0, err
	}
	if room := m.max + 1 - m.n; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := m.r.Read(p)
	if err != nil && err != io.EOF {
		m.srcErr = err
	}
	m.sum.Write(p[:n])
	if room := m.sniffLimit() - len(*m.prefix); room > 0 {
		*m.prefix = append(*m.prefix, p[:min(room, n)]...)
	}
	m.n += int64(n)
	if m.n > m.max {
		m.over = true
		return n, errTooLarge
	}
	return n, err
}

// sniffLimit is how much prefix the content needs for sniffing, as far as
// its first bytes tell.
func (m *Meter) sniffLimit() int {
	p := *m.prefix
	if len(p) < len(oleMagic) || bytes.HasPrefix(p, zipMagic) || bytes.HasPrefix(p, oleMagic) {
		return SniffLen
	}
	return shortSniffLen
}

// ContentType sniffs the prefix read so far.
func (m *Meter) ContentType() string { return Sniff(*m.prefix) }

// Blob describes what went through, under key.
func (m *Meter) Blob(key string) *intake.Blob {
	return &intake.Blob{Key: key, Size: m.n, SHA256: hex.EncodeToString(m.sum.Sum(nil)), ContentType: m.ContentType()}
}

// Err classifies a failed copy: ETooLarge past the cap; the source's own
// *intake.Error (a fetcher's ETooLarge or EInvalid) or context error as is;
// EInvalid for other source failures; otherwise err, a failure of the store,
// wrapped with op.
func (m *Meter) Err(op string, err error) error {
	switch {
	case m.over:
		return intake.Errorf(intake.ETooLarge, "is too large")
	case m.srcErr != nil:
		if _, ok := errors.AsType[*intake.Error](m.srcErr); ok ||
			errors.Is(m.srcErr, context.Canceled) || errors.Is(m.srcErr, context.DeadlineExceeded) {
			return fmt.Errorf("%s: %w", op, m.srcErr)
		}
		return intake.WrapError(intake.EInvalid, m.srcErr, "could not be read")
	}
	return fmt.Errorf("%s: %w", op, err)
}

// Release returns the prefix buffer for reuse; the Meter must not be used
// afterwards.
func (m *Meter) Release() {
	prefixes.Put(m.prefix)
	m.prefix = nil
}
