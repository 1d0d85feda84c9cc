package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hailong/survey"
	"net/netip"
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

// Limiter is one named limit — max events per key per window — counted by
// the installation's LimitService (Deps.Limits), so that every app server
// sharing a database counts the same events.
type Limiter struct {
	svc    survey.LimitService
	name   string
	max    int
	window time.Duration
}

// NewLimiter allows max events per key per window; name keeps its keys
// apart from other limits'.
func NewLimiter(svc survey.LimitService, name string, max int, per time.Duration) *Limiter {
	return &Limiter{svc: svc, name: name + ":", max: max, window: per}
}

// Take reserves one event for key if key is under the limit (see
// survey.LimitService.Take); else it says how long until the window ends.
func (l *Limiter) Take(key string) (bool, time.Duration, error) {
	return l.svc.Take(l.name+key, l.window, l.max)
}

// Release gives back one event taken with Take.
func (l *Limiter) Release(key string) error { return l.svc.Give(l.name + key) }

// Reset forgets key (e.g. after a successful login).
func (l *Limiter) Reset(key string) error { return l.svc.Reset(l.name + key) }
