package intake

import (
	"sync"
	"sync/atomic"
	"time"
)

// KeyCacheTTL bounds how long a Service reuses a live API key it read from
// the store. A key revoked through the same Service stops working at once;
// a key revoked by another process sharing the database (the keys command,
// another node) stops working within KeyCacheTTL.
const KeyCacheTTL = 500 * time.Millisecond

// maxCachedKeys bounds the key cache. Only live keys are cached, so
// requests with made-up tokens cannot fill it.
const maxCachedKeys = 4096

type cachedKey struct {
	key *APIKey
	org *Org
	// owner is the key's enabled owner, nil when none.
	owner *User
	// at is read before the store is, so the entry is never younger than
	// what it holds.
	at time.Time
}

// keyCache keeps live keys by hash: every request authenticates, and keys
// change only when revoked.
type keyCache struct {
	mu     sync.RWMutex
	byHash map[string]cachedKey
	// gen counts drops. A lookup that started its store read before a drop
	// may have read the key before its revocation, so put refuses it.
	gen atomic.Uint64
}

// get returns the key cached under hash if it was read less than
// KeyCacheTTL before now.
func (c *keyCache) get(hash string, now time.Time) (*APIKey, *Org, *User, bool) {
	c.mu.RLock()
	e, ok := c.byHash[hash]
	c.mu.RUnlock()
	// A clock set back makes the age negative: the entry is then of
	// unknown age, and refused.
	if age := now.Sub(e.at); !ok || age < 0 || age >= KeyCacheTTL {
		return nil, nil, nil, false
	}
	return e.key, e.org, e.owner, true
}

// generation is read before the store read whose result goes to put.
func (c *keyCache) generation() uint64 { return c.gen.Load() }

// put caches a live key read at time at, unless a drop happened since gen
// was read. A full cache first loses its expired entries, then everything.
func (c *keyCache) put(hash string, key *APIKey, org *Org, owner *User, at time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen.Load() != gen {
		return
	}
	if c.byHash == nil {
		c.byHash = make(map[string]cachedKey)
	}
	if _, ok := c.byHash[hash]; !ok && len(c.byHash) >= maxCachedKeys {
		for h, e := range c.byHash {
			if age := at.Sub(e.at); age < 0 || age >= KeyCacheTTL {
				delete(c.byHash, h)
			}
		}
		if len(c.byHash) >= maxCachedKeys {
			clear(c.byHash)
		}
	}
	c.byHash[hash] = cachedKey{key: key, org: org, owner: owner, at: at}
}

// drop forgets the key with id keyID, and keeps lookups already under way
// from caching what they read.
func (c *keyCache) drop(keyID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(1)
	for h, e := range c.byHash {
		if e.key.ID == keyID {
			delete(c.byHash, h)
		}
	}
}

// clear forgets every key, for a world applied in this process that may
// have changed keys' scopes or organizations.
func (c *keyCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(1)
	clear(c.byHash)
}
