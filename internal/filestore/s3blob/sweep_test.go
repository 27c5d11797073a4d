package s3blob_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"intake/internal/filestore/s3blob"
)

func TestSweep(t *testing.T) {
	srv := newServer(t)
	ctx := t.Context()
	b := srv.open(t)
	commit := func(s string) string {
		blob, err := b.Stage(ctx, strings.NewReader(s), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Commit(ctx, blob.Key); err != nil {
			t.Fatal(err)
		}
		return blob.Key
	}
	kept, orphan := commit("kept"), commit("orphan")
	referenced := func(_ context.Context, keys []string) (map[string]bool, error) {
		return map[string]bool{kept: true}, nil
	}
	// Young objects are left alone: another process may be publishing.
	if n, err := b.Sweep(ctx, referenced); err != nil || n != 0 {
		t.Fatalf("early Sweep = %d, %v; want 0", n, err)
	}
	later := srv.open(t, func(c *s3blob.Config) { c.Now = func() time.Time { return time.Now().Add(time.Hour) } })
	n, err := later.Sweep(ctx, referenced)
	if err != nil || n != 1 {
		t.Fatalf("Sweep = %d, %v; want 1", n, err)
	}
	equalNames(t, "objects after Sweep", []string{"tenant/committed/" + kept}, srv.objects(t))
	if rc, err := later.Open(ctx, orphan); err == nil {
		rc.Close()
		t.Errorf("swept %s still opens", orphan)
	}
}
