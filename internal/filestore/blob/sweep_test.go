package blob

import (
	"context"
	"strings"
	"testing"
)

func TestSweepDiscardsUnreferencedCommitted(t *testing.T) {
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := t.Context()
	var kept, orphans []string
	for i := range 1200 { // more than one referenced batch
		b, err := d.Stage(ctx, strings.NewReader("hello"), 100)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Commit(ctx, b.Key); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			orphans = append(orphans, b.Key)
		} else {
			kept = append(kept, b.Key)
		}
	}
	staged, err := d.Stage(ctx, strings.NewReader("in flight"), 100)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, k := range kept {
		used[k] = true
	}
	calls := 0
	n, err := d.Sweep(ctx, func(_ context.Context, keys []string) (map[string]bool, error) {
		calls++
		if len(keys) > recoverBatch {
			t.Errorf("batch of %d keys", len(keys))
		}
		return used, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(orphans) || calls < 3 {
		t.Errorf("swept %d in %d calls, want %d in ≥ 3", n, calls, len(orphans))
	}
	for _, k := range orphans {
		if rc, err := d.Open(ctx, k); err == nil {
			rc.Close()
			t.Errorf("orphan %s still there", k)
		}
	}
	for _, k := range append(kept, staged.Key) {
		rc, err := d.Open(ctx, k)
		if err != nil {
			t.Errorf("%s gone: %v", k, err)
			continue
		}
		rc.Close()
	}
}
