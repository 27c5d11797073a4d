package blob

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
)

// Sweep discards committed blobs that referenced reports as unused, reading
// the shards one at a time so memory stays bounded whatever the number of
// files. It returns how many it discarded.
func (d *Dir) Sweep(ctx context.Context, referenced func(ctx context.Context, keys []string) (map[string]bool, error)) (int, error) {
	shards, err := fs.ReadDir(d.root.FS(), committedDir)
	if err != nil {
		return 0, fmt.Errorf("blob: sweep: %w", err)
	}
	discarded := 0
	var batch []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		used, err := referenced(ctx, batch)
		if err != nil {
			return fmt.Errorf("blob: sweep: %w", err)
		}
		for _, key := range batch {
			if used[key] {
				continue
			}
			if err := d.Discard(ctx, key); err != nil {
				return fmt.Errorf("blob: sweep %s: %w", key, err)
			}
			discarded++
		}
		batch = batch[:0]
		return nil
	}
	for _, shard := range shards {
		if !shard.IsDir() {
			continue
		}
		entries, err := fs.ReadDir(d.root.FS(), path.Join(committedDir, shard.Name()))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return discarded, fmt.Errorf("blob: sweep: %w", err)
		}
		for _, e := range entries {
			if err := ctx.Err(); err != nil {
				return discarded, err
			}
			if !ValidKey(e.Name()) {
				continue
			}
			batch = append(batch, e.Name())
			if len(batch) == recoverBatch {
				if err := flush(); err != nil {
					return discarded, err
				}
			}
		}
	}
	return discarded, flush()
}
