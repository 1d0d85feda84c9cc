package pg

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// The caches: the organisation, surveys, kiosks and settings are read at
// every request, so each server keeps them in memory as one snapshot. Every
// transaction that changes them sends a NOTIFY on cacheChannel (in the
// transaction: delivered only if it commits); each server LISTENs and drops
// its snapshot, and a snapshot older than CacheTTL is dropped anyway, in
// case a notification was lost while the listening connection was down.
// The writing server drops its own at commit, so it reads its writes.

const cacheChannel = "hailong_cache"

// snapshot is one consistent copy of the cached tables.
type snapshot struct {
	at       time.Time
	units    map[string]*survey.Unit
	groups   map[string]*survey.Group
	counters map[string]*survey.Counter
	staff    map[string]*survey.Staff
	kiosks   map[string]*survey.Kiosk
	keys     map[string]string           // a kiosk's device key hash → its id (checked against KeyHash)
	tokens   map[string]*survey.Token    // by hash (the revoked ones too)
	surveys  map[string][]*survey.Survey // by key, index = version-1
	settings survey.Settings
	meta     map[string]string // the meta table (settings, survey choices)
	hooks    []survey.Webhook  // the enabled webhooks, for emit
}

type cache struct {
	db  *DB
	mu  sync.Mutex
	cur *snapshot
	// last is the last snapshot loaded, kept through invalidations: while
	// the database is away (the listener's connection lost invalidates
	// too) readers get it, not an empty organisation.
	last *snapshot
	gen  uint64 // bumped by every invalidation, so a load that raced one is not kept
	// loading lets one reader load a missing snapshot while the others
	// wait for it (64 submissions after a change loaded it 64 times).
	loading sync.Mutex
	// failed is when the last load failed, and why (nil: it did not); both
	// under loading. For a second after a failure readers get the last
	// snapshot without waiting for another load to fail.
	failed    time.Time
	failedErr error
}

func newCache(db *DB) *cache { return &cache{db: db} }

func (c *cache) invalidate() {
	c.mu.Lock()
	c.cur = nil
	c.gen++
	c.mu.Unlock()
}

// patchKiosk puts k in the current snapshot (a copy: readers hold the old
// one) without reloading the rest.
func (c *cache) patchKiosk(k survey.Kiosk) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur == nil {
		return
	}
	s := *c.cur
	s.kiosks = make(map[string]*survey.Kiosk, len(c.cur.kiosks))
	for id, x := range c.cur.kiosks {
		s.kiosks[id] = x
	}
	s.kiosks[k.ID] = &k // a heartbeat: s.keys stays (a re-pairing elsewhere reaches it by its NOTIFY)
	c.cur, c.last = &s, &s
}

// snap returns the current snapshot, loading it when missing or stale;
// while the database is away, the last one loaded (or an empty one).
func (db *DB) snap() *snapshot {
	s, _ := db.snapOrErr()
	return s
}

// snapOrErr is snap, with an error when no snapshot could ever be loaded
// (the empty one answers "unknown" to everything): credential lookups
// must then say "could not ask", not "unknown".
func (db *DB) snapOrErr() (*snapshot, error) {
	c := db.cache
	c.mu.Lock()
	s, gen, last := c.cur, c.gen, c.last
	c.mu.Unlock()
	if s != nil && time.Since(s.at) < db.opts.CacheTTL {
		return s, nil
	}
	c.loading.Lock()
	defer c.loading.Unlock()
	c.mu.Lock()
	s, gen, last = c.cur, c.gen, c.last
	c.mu.Unlock()
	if s != nil && time.Since(s.at) < db.opts.CacheTTL {
		return s, nil // loaded by the reader this one waited for
	}
	var fresh *snapshot
	var err error
	if c.failedErr != nil && time.Since(c.failed) < time.Second {
		err = c.failedErr
	} else if fresh, err = db.loadSnapshot(); err != nil {
		db.log.Error("load caches", "err", err)
		c.failed = time.Now()
	}
	c.failedErr = err
	if err != nil {
		if last != nil {
			// The database is away for a moment: the last good snapshot,
			// not an empty organisation that would refuse every answer
			// as naming an unknown unit (a 422 instead of the 503 the
			// write then gets).
			return last, nil
		}
		return emptySnapshot(), err
	}
	s = fresh
	c.mu.Lock()
	if c.gen == gen {
		c.cur = s
	}
	c.last = s
	c.mu.Unlock()
	return s, nil
}

func emptySnapshot() *snapshot {
	return &snapshot{units: map[string]*survey.Unit{}, groups: map[string]*survey.Group{},
		counters: map[string]*survey.Counter{}, staff: map[string]*survey.Staff{}, kiosks: map[string]*survey.Kiosk{},
		keys: map[string]string{}, tokens: map[string]*survey.Token{},
		surveys: map[string][]*survey.Survey{}, settings: survey.DefaultSettings(), meta: map[string]string{}}
}

func (db *DB) loadSnapshot() (*snapshot, error) {
	var s *snapshot
	err := db.view(func(tx pgx.Tx) error {
		var err error
		s, err = loadSnapshotIn(tx)
		return err
	})
	return s, err
}

// fresh returns the cached tables as this transaction sees them (loaded
// once per transaction): checks before a write must not trust a cache that
// another server may have made stale a moment ago.
func (tx *wtx) fresh() (*snapshot, error) {
	if tx.snapshot == nil {
		s, err := loadSnapshotIn(tx)
		if err != nil {
			return nil, err
		}
		tx.snapshot = s
	}
	return tx.snapshot, nil
}

func loadSnapshotIn(tx querier) (*snapshot, error) {
	s := emptySnapshot()
	s.at = time.Now()
	err := func() error {
		loads := []struct {
			sql string
			put func(b []byte) error
		}{
			{"SELECT doc FROM units", func(b []byte) error { return into(b, s.units, func(x *survey.Unit) string { return x.ID }) }},
			{"SELECT doc FROM groups", func(b []byte) error { return into(b, s.groups, func(x *survey.Group) string { return x.ID }) }},
			{"SELECT doc FROM counters", func(b []byte) error {
				return into(b, s.counters, func(x *survey.Counter) string { return x.ID })
			}},
			{"SELECT doc FROM staff", func(b []byte) error { return into(b, s.staff, func(x *survey.Staff) string { return x.ID }) }},
			{"SELECT doc FROM kiosks", func(b []byte) error { return into(b, s.kiosks, func(x *survey.Kiosk) string { return x.ID }) }},
			{"SELECT doc FROM tokens", func(b []byte) error { return into(b, s.tokens, func(x *survey.Token) string { return string(x.Hash) }) }},
			{"SELECT doc FROM webhooks ORDER BY id", func(b []byte) error {
				var w survey.Webhook
				if err := json.Unmarshal(b, &w); err != nil {
					return err
				}
				if !w.Disabled {
					s.hooks = append(s.hooks, w)
				}
				return nil
			}},
			{"SELECT doc FROM surveys ORDER BY key, version", func(b []byte) error {
				x := &survey.Survey{}
				if err := json.Unmarshal(b, x); err != nil {
					return err
				}
				s.surveys[x.Key] = append(s.surveys[x.Key], x)
				return nil
			}},
		}
		for _, l := range loads {
			rows, err := tx.Query(ctx(), l.sql)
			if err != nil {
				return err
			}
			var b []byte
			_, err = pgx.ForEachRow(rows, []any{&b}, func() error { return l.put(b) })
			if err != nil {
				return fmt.Errorf("%s: %w", l.sql, err)
			}
		}
		for id, k := range s.kiosks {
			if len(k.KeyHash) > 0 {
				s.keys[string(k.KeyHash)] = id
			}
		}
		m, err := metaMap(tx)
		if err != nil {
			return err
		}
		s.meta = m
		s.settings = survey.SettingsFrom(func(key string) string { return m[key] })
		return nil
	}()
	return s, err
}

// into decodes one JSON document into a new value and files it under its id.
func into[T any](b []byte, m map[string]*T, id func(*T) string) error {
	x := new(T)
	if err := json.Unmarshal(b, x); err != nil {
		return err
	}
	m[id(x)] = x
	return nil
}

// sortedValues returns copies of the map's values sorted by key.
func sortedValues[T any](m map[string]*T) []T {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]T, 0, len(keys))
	for _, k := range keys {
		out = append(out, *m[k])
	}
	return out
}

// listen drops the snapshot whenever another server notifies a change,
// reconnecting after a failure (the TTL covers the gap).
func (db *DB) listen(c context.Context) {
	defer db.wg.Done()
	for c.Err() == nil {
		err := db.listenOnce(c)
		if c.Err() != nil {
			return
		}
		db.log.Warn("cache notifications", "err", err)
		db.cache.invalidate()
		select {
		case <-c.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func (db *DB) listenOnce(c context.Context) error {
	conn, err := db.pool.Acquire(c)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(c, "LISTEN "+cacheChannel); err != nil {
		return err
	}
	defer conn.Exec(context.Background(), "UNLISTEN *")
	// A snapshot loaded before the LISTEN (since Open, which does not wait
	// for it, or since the connection was lost) may have missed a
	// notification: drop it now that none can be missed.
	db.cache.invalidate()
	for {
		if _, err := conn.Conn().WaitForNotification(c); err != nil {
			return err
		}
		db.cache.invalidate()
	}
}
