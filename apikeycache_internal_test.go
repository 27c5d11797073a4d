package intake

import (
	"strconv"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func (c *keyCache) size() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.byHash)
}

func (c *keyCache) has(hash string, now time.Time) bool {
	_, _, _, ok := c.get(hash, now)
	return ok
}

func cacheKey(id int64) (string, *APIKey, *Org) {
	return "hash" + strconv.FormatInt(id, 10), &APIKey{ID: id, OrgID: 1}, &Org{ID: 1}
}

// fill puts n keys, ids 1 to n, read at time at.
func fill(c *keyCache, n int, at time.Time) {
	for id := range int64(n) {
		h, k, o := cacheKey(id + 1)
		c.put(h, k, o, nil, at, c.generation())
	}
}

func TestKeyCacheBound(t *testing.T) {
	tests := []struct {
		name string
		// at is when the key that overflows the cache is read.
		at   time.Time
		want int
	}{
		{name: "expired entries go first", at: t0.Add(KeyCacheTTL), want: 1},
		{name: "else everything goes", at: t0.Add(KeyCacheTTL - time.Millisecond), want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c keyCache
			fill(&c, maxCachedKeys, t0)
			if got := c.size(); got != maxCachedKeys {
				t.Fatalf("size after %d puts = %d", maxCachedKeys, got)
			}
			h, k, o := cacheKey(maxCachedKeys + 1)
			c.put(h, k, o, nil, tt.at, c.generation())
			if got := c.size(); got != tt.want {
				t.Errorf("size = %d, want %d", got, tt.want)
			}
			if got, _, _, ok := c.get(h, tt.at); !ok || got != k {
				t.Errorf("the new key is not cached")
			}
		})
	}
}

func TestKeyCacheBoundKeepsFreshHalf(t *testing.T) {
	var c keyCache
	fill(&c, maxCachedKeys/2, t0)
	for id := int64(maxCachedKeys/2 + 1); id <= maxCachedKeys; id++ {
		h, k, o := cacheKey(id)
		c.put(h, k, o, nil, t0.Add(KeyCacheTTL/2), c.generation())
	}
	at := t0.Add(KeyCacheTTL + time.Millisecond)
	h, k, o := cacheKey(maxCachedKeys + 1)
	c.put(h, k, o, nil, at, c.generation())
	if got, want := c.size(), maxCachedKeys/2+1; got != want {
		t.Errorf("size = %d, want %d: only the expired half goes", got, want)
	}
	if h, _, _ := cacheKey(maxCachedKeys); !c.has(h, at) {
		t.Errorf("a fresh entry was dropped")
	}
}

func TestKeyCacheFullRefresh(t *testing.T) {
	var c keyCache
	fill(&c, maxCachedKeys, t0)
	h, k, o := cacheKey(7)
	c.put(h, k, o, nil, t0.Add(time.Millisecond), c.generation())
	if got := c.size(); got != maxCachedKeys {
		t.Errorf("refreshing a cached key in a full cache changed its size to %d", got)
	}
}

func TestKeyCacheDrop(t *testing.T) {
	var c keyCache
	fill(&c, 3, t0)
	gen := c.generation()
	c.drop(2)
	for id, want := range map[int64]bool{1: true, 2: false, 3: true} {
		if h, _, _ := cacheKey(id); c.has(h, t0) != want {
			t.Errorf("key %d cached = %v, want %v", id, !want, want)
		}
	}
	// A lookup that read the store before the drop must not cache what it
	// read: it may predate the revocation.
	h, k, o := cacheKey(2)
	c.put(h, k, o, nil, t0, gen)
	if c.has(h, t0) {
		t.Error("a read from before the drop was cached")
	}
	c.put(h, k, o, nil, t0, c.generation())
	if !c.has(h, t0) {
		t.Error("a read from after the drop was not cached")
	}
}

func TestKeyCacheGetAllocs(t *testing.T) {
	var c keyCache
	fill(&c, 1, t0)
	h, _, _ := cacheKey(1)
	if allocs := testing.AllocsPerRun(100, func() { c.get(h, t0) }); allocs != 0 {
		t.Errorf("get allocates %v times", allocs)
	}
}
