package s3blob

import (
	"context"
	"fmt"
	"strings"

	"github.com/minio/minio-go/v7"

	"intake/blob"
)

// Sweep discards committed objects that referenced reports as unused and
// that are older than the recover age, listing the bucket page by page so
// memory stays bounded. It returns how many it discarded.
func (b *Bucket) Sweep(ctx context.Context, referenced func(ctx context.Context, keys []string) (map[string]bool, error)) (int, error) {
	committed := b.committed("")
	cutoff := b.now().Add(-b.recoverAge)
	discarded := 0
	var batch []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		used, err := referenced(ctx, batch)
		if err != nil {
			return fmt.Errorf("s3blob: sweep: %w", err)
		}
		for _, key := range batch {
			if !used[key] {
				if err := b.Discard(ctx, key); err != nil {
					return fmt.Errorf("s3blob: sweep %s: %w", key, err)
				}
				discarded++
			}
		}
		batch = batch[:0]
		return nil
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for obj := range b.client.ListObjectsIter(lctx, b.bucket, minio.ListObjectsOptions{Prefix: committed, Recursive: true}) {
		if obj.Err != nil {
			return discarded, storageError("sweep: list", obj.Err)
		}
		key := strings.TrimPrefix(obj.Key, committed)
		if !blob.ValidKey(key) || !obj.LastModified.Before(cutoff) {
			continue
		}
		batch = append(batch, key)
		if len(batch) == recoverBatch {
			if err := flush(); err != nil {
				return discarded, err
			}
		}
	}
	return discarded, flush()
}
