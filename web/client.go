package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hailong/survey"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// ClientKeys turns a client address into a keyed hash, so that rate
// limiting can tell clients apart without any raw IP address being kept
// (SPEC: no raw IP stored). The key is random per installation, kept by the
// store (SettingsService.ClientKey).
type ClientKeys struct {
	key []byte
}

// NewClientKeys loads (or creates) the installation's client-hash key.
func NewClientKeys(db survey.SettingsService) (*ClientKeys, error) {
	k, err := db.ClientKey()
	if err != nil {
		return nil, err
	}
	return &ClientKeys{key: []byte(k)}, nil
}

// Of returns the keyed hash of a client address (Deps.ClientAddr).
func (ck *ClientKeys) Of(a netip.Addr) string {
	m := hmac.New(sha256.New, ck.key)
	m.Write([]byte(clientNet(a).String()))
	return hex.EncodeToString(m.Sum(nil)[:12])
}

// clientNet is what a client is counted by: its IPv4 address, or the /64
// network of an IPv6 address — one subscriber line or device usually holds
// a whole /64, so counting single IPv6 addresses would give anyone 2^64
// fresh identities against every per-client limit.
func clientNet(a netip.Addr) netip.Prefix {
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p
	}
	return netip.PrefixFrom(a, a.BitLen())
}

// Limiter counts events per key in a fixed window and refuses above max.
// It is memory only (a restart forgets), bounded in size: at 100,000 keys,
// expired windows are dropped and, failing that, about half of the keys at
// random, so no stream of new keys (usernames, addresses) grows it further.
type Limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	cap    int
	now    func() time.Time
	seen   map[string]*window
}

type window struct {
	start time.Time
	n     int
}

// NewLimiter allows max events per key per window, tracking at most 100,000 keys.
func NewLimiter(max int, per time.Duration) *Limiter {
	return &Limiter{max: max, window: per, cap: 100_000, now: time.Now, seen: map[string]*window{}}
}

// Allow records one event for key and reports whether it is within the limit,
// and if not, how long until the window resets.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	w := l.current(key, now)
	w.n++
	if w.n > l.max {
		return false, w.start.Add(l.window).Sub(now)
	}
	return true, 0
}

// Take reserves one event for key if key is under the limit, in the same
// critical section as the check, so concurrent callers can never take more
// than max slots per window. A refusal records nothing: it never prolongs a
// lock, which therefore ends at most one window after its first event.
// The wait says how long until the window resets.
func (l *Limiter) Take(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	w := l.current(key, now)
	if w.n >= l.max {
		return false, w.start.Add(l.window).Sub(now)
	}
	w.n++
	return true, 0
}

// Release gives back one slot taken with Take (an event that did not count
// after all, such as a successful login).
func (l *Limiter) Release(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if w := l.seen[key]; w != nil && w.n > 0 {
		w.n--
	}
}

// current returns key's window, a fresh one if it has expired. A new key
// is copied: callers may pass strings backed by Fiber's reused buffers.
func (l *Limiter) current(key string, now time.Time) *window {
	w := l.seen[key]
	if w == nil || now.Sub(w.start) >= l.window {
		if w == nil && len(l.seen) >= l.cap {
			l.prune(now)
		}
		w = &window{start: now}
		l.seen[strings.Clone(key)] = w
	}
	return w
}

// Reset forgets key (e.g. after a successful login).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	delete(l.seen, key)
	l.mu.Unlock()
}

func (l *Limiter) prune(now time.Time) {
	for k, w := range l.seen {
		if now.Sub(w.start) >= l.window {
			delete(l.seen, k)
		}
	}
	if len(l.seen) < l.cap {
		return
	}
	n := 0
	for k := range l.seen { // map order is random: drop about half
		if n%2 == 0 {
			delete(l.seen, k)
		}
		n++
	}
}
