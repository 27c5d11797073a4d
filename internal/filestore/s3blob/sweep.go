package s3blob

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/minio/minio-go/v7"

	"intake/internal/filestore/blob"
)

// Sweep discards committed objects that referenced reports as unused and
// that are older than the recover age (another process may be publishing a
// younger one), listing the bucket page by page. It returns how many it
// discarded.
func (b *Bucket) Sweep(ctx context.Context, referenced func(ctx context.Context, keys []string) (map[string]bool, error)) (int, error) {
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n, err := blob.DiscardUnreferenced(ctx, b.committedKeys(lctx), referenced, b.Discard)
	if err != nil {
		return n, fmt.Errorf("s3blob: sweep: %w", err)
	}
	return n, nil
}

// committedKeys lists the committed objects older than the recover age.
func (b *Bucket) committedKeys(ctx context.Context) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		committed := b.committed("")
		cutoff := b.now().Add(-b.recoverAge)
		for obj := range b.client.ListObjectsIter(ctx, b.bucket, minio.ListObjectsOptions{Prefix: committed, Recursive: true}) {
			if obj.Err != nil {
				yield("", storageError("sweep: list", obj.Err))
				return
			}
			key := strings.TrimPrefix(obj.Key, committed)
			if blob.ValidKey(key) && obj.LastModified.Before(cutoff) && !yield(key, nil) {
				return
			}
		}
	}
}
