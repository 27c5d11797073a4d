package plumbing

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"net/http"
)

// RequestHash identifies a create request for idempotency: the same
// Idempotency-Key sent with a request that hashes otherwise is a conflict.
// It covers the method, path, Content-Type and query string, each
// length-prefixed so that no two different requests hash alike, then the
// body. The digests are stored with the records, so they must not change
// between versions.
type RequestHash struct{ sum hash.Hash }

// NewRequestHash starts the hash of r, its body still to be written.
func NewRequestHash(r *http.Request) *RequestHash {
	h := &RequestHash{sum: sha256.New()}
	for _, part := range [...]string{r.Method, r.URL.Path, r.Header.Get("Content-Type"), r.URL.RawQuery} {
		h.writePart([]byte(part))
	}
	return h
}

func (h *RequestHash) writePart(b []byte) {
	_ = binary.Write(h.sum, binary.BigEndian, uint64(len(b)))
	h.sum.Write(b)
}

// Write hashes body bytes as they stream, for a body read once by a
// decoder. It never fails.
func (h *RequestHash) Write(p []byte) (int, error) { return h.sum.Write(p) }

// Body hashes a body read whole, length-prefixed like the other parts.
func (h *RequestHash) Body(body []byte) { h.writePart(body) }

// Hex is the digest, in hex.
func (h *RequestHash) Hex() string { return hex.EncodeToString(h.sum.Sum(nil)) }
