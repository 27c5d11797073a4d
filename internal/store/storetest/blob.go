package storetest

import (
	"testing"

	"intake"
)

func blobTests() []test {
	return []test{
		{"Referenced", testBlobsReferenced},
		{"Empty", testBlobsEmpty},
		{"ManyKeys", testBlobsMany},
	}
}

func testBlobsReferenced(t *testing.T, s intake.Store) {
	f := seed(t, s)
	a := newApp(f.A, f.KeyA, f.A1, "a@example.com", 1)
	b := newApp(f.B, f.KeyB, f.B1, "b@example.com", 2)
	b.Portfolio = nil
	create(t, s, a, nil)
	create(t, s, b, nil)
	unknown := randomHex(16)
	got, err := s.ReferencedBlobs(t.Context(), []string{a.Resume.BlobKey, b.Avatar.BlobKey, unknown, a.Portfolio.BlobKey})
	noErr(t, "ReferencedBlobs", err)
	equal(t, "ReferencedBlobs (every org: it serves blob recovery)", map[string]bool{
		a.Resume.BlobKey: true, b.Avatar.BlobKey: true, a.Portfolio.BlobKey: true,
	}, trueOnly(got))
}

func testBlobsEmpty(t *testing.T, s intake.Store) {
	got, err := s.ReferencedBlobs(t.Context(), nil)
	noErr(t, "ReferencedBlobs(nil)", err)
	equal(t, "ReferencedBlobs(nil)", map[string]bool{}, trueOnly(got))
}

// testBlobsMany passes more keys than one SQL statement takes parameters
// in some engines' default builds.
func testBlobsMany(t *testing.T, s intake.Store) {
	f := seed(t, s)
	a := newApp(f.A, f.KeyA, f.A1, "a@example.com", 1)
	create(t, s, a, nil)
	keys := make([]string, 0, 40_000)
	for range 40_000 {
		keys = append(keys, randomHex(16))
	}
	keys[39_999] = a.Avatar.BlobKey
	got, err := s.ReferencedBlobs(t.Context(), keys)
	noErr(t, "ReferencedBlobs", err)
	equal(t, "ReferencedBlobs", map[string]bool{a.Avatar.BlobKey: true}, trueOnly(got))
}
