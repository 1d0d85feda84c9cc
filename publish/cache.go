package publish

import (
	"sync"
	"time"
)

// cache keeps computed values for a short time so that a burst of visitors
// costs one computation: at most max entries (and, with a size function, at
// most maxBytes in all), each valid for ttl; callers asking for a key being
// computed wait for that computation instead of starting their own. Errors
// are not kept.
type cache[V any] struct {
	mu       sync.Mutex
	m        map[string]*entry[V]
	max      int
	ttl      time.Duration
	now      func() time.Time
	sizeOf   func(V) int // nil: entries are not weighed
	maxBytes int
	bytes    int
}

type entry[V any] struct {
	done    chan struct{} // closed when v and err are set
	v       V
	err     error
	size    int
	expires time.Time
}

func newCache[V any](max int, ttl time.Duration) *cache[V] {
	return &cache[V]{m: map[string]*entry[V]{}, max: max, ttl: ttl, now: time.Now}
}

// weighed bounds the total size of the values too.
func (c *cache[V]) weighed(maxBytes int, sizeOf func(V) int) *cache[V] {
	c.maxBytes, c.sizeOf = maxBytes, sizeOf
	return c
}

// get returns the value of key, computing it with fn when it is missing or
// expired.
func (c *cache[V]) get(key string, fn func() (V, error)) (V, error) {
	c.mu.Lock()
	now := c.now()
	if e, ok := c.m[key]; ok && (e.expires.IsZero() || now.Before(e.expires)) {
		c.mu.Unlock()
		<-e.done
		return e.v, e.err
	}
	c.drop(key) // an expired value
	c.makeRoom(now)
	e := &entry[V]{done: make(chan struct{})}
	c.m[key] = e
	c.mu.Unlock()

	e.v, e.err = fn()
	c.mu.Lock()
	switch {
	case e.err != nil:
		if c.m[key] == e {
			delete(c.m, key)
		}
	case c.m[key] == e:
		e.expires = c.now().Add(c.ttl)
		if c.sizeOf != nil {
			e.size = c.sizeOf(e.v)
			c.bytes += e.size
			c.shed(key)
		}
	}
	c.mu.Unlock()
	close(e.done)
	return e.v, e.err
}

// shed drops the oldest finished entries other than keep while the cache
// weighs more than maxBytes. The caller holds mu.
func (c *cache[V]) shed(keep string) {
	for c.bytes > c.maxBytes {
		oldest := ""
		var at time.Time
		for k, e := range c.m {
			if k != keep && !e.expires.IsZero() && (oldest == "" || e.expires.Before(at)) {
				oldest, at = k, e.expires
			}
		}
		if oldest == "" {
			return
		}
		c.drop(oldest)
	}
}

// drop forgets key. The caller holds mu.
func (c *cache[V]) drop(key string) {
	if e, ok := c.m[key]; ok {
		c.bytes -= e.size
		delete(c.m, key)
	}
}

// makeRoom drops expired entries when the cache is full, then the oldest
// finished ones until there is room for one more. The caller holds mu.
func (c *cache[V]) makeRoom(now time.Time) {
	if len(c.m) < c.max {
		return
	}
	for k, e := range c.m {
		if !e.expires.IsZero() && !now.Before(e.expires) {
			c.drop(k)
		}
	}
	for len(c.m) >= c.max {
		oldest := ""
		var at time.Time
		for k, e := range c.m {
			if !e.expires.IsZero() && (oldest == "" || e.expires.Before(at)) {
				oldest, at = k, e.expires
			}
		}
		if oldest == "" {
			return // every entry is being computed: let the map grow by one
		}
		c.drop(oldest)
	}
}

// clear forgets every entry (settings changed).
func (c *cache[V]) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.m {
		if !e.expires.IsZero() {
			c.drop(k)
		}
	}
}

// size is the number of entries.
func (c *cache[V]) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
