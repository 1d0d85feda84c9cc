package survey

import (
	"strings"
	"sync"
	"time"
)

// LimitService counts events per key in fixed windows: the login throttles
// and the rate limits of public forms. Every app server of an installation
// must see the same counts, so a store shared by several servers
// (PostgreSQL) implements it on the database; a store only one process
// opens (bbolt) uses MemoryLimits. Keys are opaque (a limiter's name and a
// keyed hash of a client or a username), never a raw address.
type LimitService interface {
	// Take reserves one event for key if fewer than max were taken in key's
	// window, checking and counting at once, so concurrent callers on any
	// server never take more than max in a window. A window starts at the
	// first event of a key and lasts window. A refusal records nothing (it
	// never prolongs a lock) and says how long until the window ends.
	// Errors: EUNAVAILABLE (or an internal error) when the counts cannot be
	// read; callers refuse the event then.
	Take(key string, window time.Duration, max int) (ok bool, retry time.Duration, err error)
	// Give gives back one event taken with Take (an attempt that did not
	// count after all, such as a successful login).
	Give(key string) error
	// Reset forgets key's window.
	Reset(key string) error
}

// JobLock makes a scheduled job (session pruning, comment retention,
// backups, escalations, digests) run on one app server at a time: a store
// shared by several servers implements it with a database lock; LocalJobs
// serves a store only one process opens.
type JobLock interface {
	// TryLock takes the lock of job name without waiting. ok is false when
	// another holder has it (the job is skipped this time); unlock releases
	// it and must be called once after ok. Errors: the lock could not be
	// asked for (database unreachable).
	TryLock(name string) (unlock func(), ok bool, err error)
}

// LimitsOf is the store's LimitService when it has one (a shared
// database), else a new MemoryLimits.
func LimitsOf(s any) LimitService {
	if l, ok := s.(LimitService); ok {
		return l
	}
	return NewMemoryLimits()
}

// JobLockOf is the store's JobLock when it has one, else a new LocalJobs.
func JobLockOf(s any) JobLock {
	if j, ok := s.(JobLock); ok {
		return j
	}
	return NewLocalJobs()
}

// MemoryLimits is the LimitService of one process: memory only (a restart
// forgets), bounded in size: at MaxKeys keys, expired windows are dropped
// and, failing that, about half of the keys at random, so no stream of new
// keys (usernames, addresses) grows it further.
type MemoryLimits struct {
	mu      sync.Mutex
	MaxKeys int
	Now     func() time.Time // injectable clock
	seen    map[string]*window
}

type window struct {
	start time.Time
	end   time.Time
	n     int
}

// NewMemoryLimits tracks at most 100,000 keys.
func NewMemoryLimits() *MemoryLimits {
	return &MemoryLimits{MaxKeys: 100_000, Now: time.Now, seen: map[string]*window{}}
}

// Take implements LimitService.
func (l *MemoryLimits) Take(key string, per time.Duration, max int) (bool, time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	w := l.seen[key]
	if w == nil || !now.Before(w.end) {
		if w == nil && len(l.seen) >= l.MaxKeys {
			l.prune(now)
		}
		// A new key is copied: callers may pass strings backed by
		// Fiber's reused buffers.
		w = &window{start: now, end: now.Add(per)}
		l.seen[strings.Clone(key)] = w
	}
	if w.n >= max {
		return false, w.end.Sub(now), nil
	}
	w.n++
	return true, 0, nil
}

// Give implements LimitService.
func (l *MemoryLimits) Give(key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if w := l.seen[key]; w != nil && w.n > 0 {
		w.n--
	}
	return nil
}

// Reset implements LimitService.
func (l *MemoryLimits) Reset(key string) error {
	l.mu.Lock()
	delete(l.seen, key)
	l.mu.Unlock()
	return nil
}

// Keys is how many keys are tracked.
func (l *MemoryLimits) Keys() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.seen)
}

func (l *MemoryLimits) prune(now time.Time) {
	for k, w := range l.seen {
		if !now.Before(w.end) {
			delete(l.seen, k)
		}
	}
	if len(l.seen) < l.MaxKeys {
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

// LocalJobs is the JobLock of one process: a job already running in it is
// skipped, nothing more (no other process opens the store).
type LocalJobs struct {
	mu      sync.Mutex
	running map[string]bool
}

// NewLocalJobs returns locks that no job holds.
func NewLocalJobs() *LocalJobs { return &LocalJobs{running: map[string]bool{}} }

// TryLock implements JobLock.
func (j *LocalJobs) TryLock(name string) (func(), bool, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.running[name] {
		return nil, false, nil
	}
	j.running[name] = true
	return func() {
		j.mu.Lock()
		delete(j.running, name)
		j.mu.Unlock()
	}, true, nil
}
