package session

import (
	"sync"
	"time"
)

// Cache holds the last session of recently active users in memory, so that a message
// is one round trip to the store (Commit) instead of a read and a write. It is only a
// guess: Commit compares it with what is stored, and a stale entry (another replica
// answered, the session expired or was erased) costs one more round trip, never a
// wrong state. Entries are dropped after an idle time and beyond a size bound.
type Cache struct {
	mu    sync.Mutex
	m     map[string]cacheEntry
	max   int
	idle  time.Duration
	swept time.Time
}

type cacheEntry struct {
	snap Snapshot
	used time.Time
}

// NewCache returns a Cache of at most max users, each kept idle time since its last
// message (defaults: 100,000 users, 15 minutes).
func NewCache(max int, idle time.Duration) *Cache {
	if max <= 0 {
		max = 100_000
	}
	if idle <= 0 {
		idle = 15 * time.Minute
	}
	return &Cache{m: make(map[string]cacheEntry), max: max, idle: idle}
}

// Get returns the cached session of key, if any and not idle too long.
func (c *Cache) Get(key string, now time.Time) (Snapshot, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || now.Sub(e.used) > c.idle {
		return Snapshot{}, false
	}
	return e.snap, true
}

// Put stores the session of key as of now.
func (c *Cache) Put(key string, s Snapshot, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[key]; !ok && len(c.m) >= c.max || now.Sub(c.swept) > c.idle {
		c.sweep(now) // before the insert, so that key itself is never the victim
	}
	c.m[key] = cacheEntry{snap: s, used: now}
}

// Drop forgets key.
func (c *Cache) Drop(key string) {
	c.mu.Lock()
	delete(c.m, key)
	c.mu.Unlock()
}

// Len returns the number of users held.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// sweep drops idle entries, then arbitrary ones until a tenth of the room is free.
func (c *Cache) sweep(now time.Time) {
	c.swept = now
	for k, e := range c.m {
		if now.Sub(e.used) > c.idle {
			delete(c.m, k)
		}
	}
	for k := range c.m { // map order is unspecified: an arbitrary victim
		if len(c.m) <= c.max-c.max/10 {
			break
		}
		delete(c.m, k)
	}
}
