package blob

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"path"
)

// Referenced reports which of keys some row points at (intake.Store's
// ReferencedBlobs).
type Referenced func(ctx context.Context, keys []string) (map[string]bool, error)

// DiscardUnreferenced reads keys and discards, a batch at a time so memory
// stays bounded whatever the number of blobs, those referenced reports as
// unused. It returns how many it discarded. Both BlobStores sweep with it.
func DiscardUnreferenced(ctx context.Context, keys iter.Seq2[string, error], referenced Referenced, discard func(context.Context, string) error) (int, error) {
	discarded := 0
	batch := make([]string, 0, recoverBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		used, err := referenced(ctx, batch)
		if err != nil {
			return err
		}
		for _, key := range batch {
			if used[key] {
				continue
			}
			if err := discard(ctx, key); err != nil {
				return fmt.Errorf("%s: %w", key, err)
			}
			discarded++
		}
		batch = batch[:0]
		return nil
	}
	for key, err := range keys {
		if err != nil {
			return discarded, err
		}
		if err := ctx.Err(); err != nil {
			return discarded, err
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

// Sweep discards committed blobs that referenced reports as unused, reading
// the shards one at a time. It returns how many it discarded.
func (d *Dir) Sweep(ctx context.Context, referenced func(ctx context.Context, keys []string) (map[string]bool, error)) (int, error) {
	n, err := DiscardUnreferenced(ctx, d.committedKeys(), referenced, d.Discard)
	if err != nil {
		return n, fmt.Errorf("blob: sweep: %w", err)
	}
	return n, nil
}

// committedKeys lists the committed blobs, shard by shard.
func (d *Dir) committedKeys() iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		shards, err := fs.ReadDir(d.root.FS(), committedDir)
		if err != nil {
			yield("", err)
			return
		}
		for _, shard := range shards {
			if !shard.IsDir() {
				continue
			}
			entries, err := fs.ReadDir(d.root.FS(), path.Join(committedDir, shard.Name()))
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				yield("", err)
				return
			}
			for _, e := range entries {
				if ValidKey(e.Name()) && !yield(e.Name(), nil) {
					return
				}
			}
		}
	}
}
