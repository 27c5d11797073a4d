package s3blob

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// keyBytes is the randomness of a key: 128 bits, unguessable, so a key can
// stand in a download URL. Keys have the shape of the local blob store's,
// so data can move between the two.
const keyBytes = 16

func newKey() (string, error) {
	b := make([]byte, keyBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("s3blob: key: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// validKey accepts only what newKey makes, checked before any object name
// is built, so a key cannot name another object of the bucket.
func validKey(key string) bool {
	if len(key) != 2*keyBytes {
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
