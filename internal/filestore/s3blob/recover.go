package s3blob

import (
	"context"
	"fmt"
	"intake/internal/filestore/blob"
	"strings"

	"github.com/minio/minio-go/v7"
)

// recoverBatch bounds the keys passed to one referenced call, keeping the
// store's query small.
const recoverBatch = 500

// Recover settles what crashes left in staging: staged blobs that
// referenced reports as in use are committed, the others deleted, and
// multipart uploads that never completed aborted. Only objects older than
// the recover age are touched, so Recover is safe to run while other
// processes sharing the bucket are staging.
func (b *Bucket) Recover(ctx context.Context, referenced func(ctx context.Context, keys []string) (map[string]bool, error)) error {
	staging := b.staged("")
	cutoff := b.now().Add(-b.recoverAge)
	var keys []string
	for obj := range b.client.ListObjectsIter(ctx, b.bucket, minio.ListObjectsOptions{Prefix: staging, Recursive: true}) {
		if obj.Err != nil {
			return storageError("recover: list", obj.Err)
		}
		key := strings.TrimPrefix(obj.Key, staging)
		if blob.ValidKey(key) && obj.LastModified.Before(cutoff) {
			keys = append(keys, key)
		}
	}
	for len(keys) > 0 {
		batch := keys[:min(recoverBatch, len(keys))]
		keys = keys[len(batch):]
		used, err := referenced(ctx, batch)
		if err != nil {
			return fmt.Errorf("s3blob: recover: %w", err)
		}
		for _, key := range batch {
			if used[key] {
				err = b.Commit(ctx, key)
			} else {
				err = b.Discard(ctx, key)
			}
			if err != nil {
				return fmt.Errorf("s3blob: recover %s: %w", key, err)
			}
		}
	}
	// Cancelling stops the listing goroutine should the loop return early.
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for up := range b.client.ListIncompleteUploads(lctx, b.bucket, staging, true) {
		if minio.ToErrorResponse(up.Err).Code == "NoSuchUpload" {
			// Some S3-compatible stores (gofakes3) answer so for a bucket
			// that never had a multipart upload: there is none to abort.
			break
		}
		if up.Err != nil {
			return storageError("recover: list uploads", up.Err)
		}
		if up.Initiated.Before(cutoff) {
			if err := b.client.RemoveIncompleteUpload(ctx, b.bucket, up.Key); err != nil {
				return storageError("recover: abort upload", err)
			}
		}
	}
	return nil
}
