package pg

import (
	"context"
	"fmt"
	"hash/fnv"
	"sync"
	"sync/atomic"
	"time"

	"hailong/survey"
)

// The state several app servers must share besides the data: rate limits
// and login throttles (survey.LimitService) in one table, the locks of the
// scheduled jobs (survey.JobLock) as advisory locks, and the health check.

var (
	_ survey.LimitService = (*DB)(nil)
	_ survey.JobLock      = (*DB)(nil)
)

// limitsDDL creates the counts on first use. The table is UNLOGGED: the
// counts are short-lived (minutes), a crash or a failover empties it as a
// restart empties survey.MemoryLimits, and its writes cost no WAL. It is
// created here rather than by a numbered migration so that it holds no
// place in the store's schema sequence (it is not data: nothing else
// refers to it, dropping it loses nothing but open windows).
const limitsDDL = `CREATE UNLOGGED TABLE IF NOT EXISTS rate_limits (
	key text PRIMARY KEY, window_end timestamptz NOT NULL, n int NOT NULL)`

// limitsLock serialises the creation between servers starting together.
const limitsLock = 0x686c2d6c696d6974 // "hl-limit"

var limitsReady sync.Map // *DB → struct{}: the table exists

func (db *DB) limitsTable(c context.Context) error {
	if _, ok := limitsReady.Load(db); ok {
		return nil
	}
	tx, err := db.pool.Begin(c)
	if err != nil {
		return unavailable(err)
	}
	defer tx.Rollback(c)
	if _, err := tx.Exec(c, "SELECT pg_advisory_xact_lock($1)", int64(limitsLock)); err != nil {
		return unavailable(err)
	}
	if _, err := tx.Exec(c, limitsDDL); err != nil {
		return fmt.Errorf("rate_limits: %w", err)
	}
	if err := tx.Commit(c); err != nil {
		return unavailable(err)
	}
	limitsReady.Store(db, struct{}{})
	return nil
}

var takes atomic.Uint64

// Take implements survey.LimitService in one statement: a row whose
// window has ended starts a new one, a live one under max counts one more,
// and a live one at max is left alone (no row returned: refused). The
// database's clock cuts the windows, so every server agrees.
func (db *DB) Take(key string, window time.Duration, max int) (bool, time.Duration, error) {
	c, cancel := context.WithTimeout(ctx(), 5*time.Second)
	defer cancel()
	if err := db.limitsTable(c); err != nil {
		return false, 0, err
	}
	if takes.Add(1)%1000 == 0 { // now and then, forget windows long over
		if _, err := db.pool.Exec(c, "DELETE FROM rate_limits WHERE window_end < now() - interval '1 hour'"); err != nil {
			return false, 0, unavailable(err)
		}
	}
	var n int
	err := db.pool.QueryRow(c, `INSERT INTO rate_limits AS l (key, window_end, n)
		VALUES ($1, now() + $2 * interval '1 microsecond', 1)
		ON CONFLICT (key) DO UPDATE SET
			window_end = CASE WHEN l.window_end <= now() THEN EXCLUDED.window_end ELSE l.window_end END,
			n = CASE WHEN l.window_end <= now() THEN 1 ELSE l.n + 1 END
		WHERE l.window_end <= now() OR l.n < $3
		RETURNING n`, key, window.Microseconds(), max).Scan(&n)
	if err == nil {
		return true, 0, nil
	}
	if !isNoRows(err) {
		return false, 0, unavailable(err)
	}
	var left time.Duration
	err = db.pool.QueryRow(c, `SELECT GREATEST(0, EXTRACT(EPOCH FROM window_end - now()) * 1e6)::bigint * 1000
		FROM rate_limits WHERE key = $1`, key).Scan(&left)
	if err != nil && !isNoRows(err) {
		return false, 0, unavailable(err)
	}
	return false, left, nil
}

// Give implements survey.LimitService.
func (db *DB) Give(key string) error {
	c, cancel := context.WithTimeout(ctx(), 5*time.Second)
	defer cancel()
	if err := db.limitsTable(c); err != nil {
		return err
	}
	_, err := db.pool.Exec(c, "UPDATE rate_limits SET n = n - 1 WHERE key = $1 AND n > 0", key)
	return unavailable(err)
}

// Reset implements survey.LimitService.
func (db *DB) Reset(key string) error {
	c, cancel := context.WithTimeout(ctx(), 5*time.Second)
	defer cancel()
	if err := db.limitsTable(c); err != nil {
		return err
	}
	_, err := db.pool.Exec(c, "DELETE FROM rate_limits WHERE key = $1", key)
	return unavailable(err)
}

// TryLock implements survey.JobLock with a session advisory lock held on
// a connection of its own for the job's length: if this server dies, the
// database ends the session and the lock with it.
func (db *DB) TryLock(name string) (func(), bool, error) {
	c, cancel := context.WithTimeout(ctx(), 5*time.Second)
	defer cancel()
	conn, err := db.pool.Acquire(c)
	if err != nil {
		return nil, false, unavailable(err)
	}
	key := jobKey(name)
	var ok bool
	if err := conn.QueryRow(c, "SELECT pg_try_advisory_lock($1)", key).Scan(&ok); err != nil {
		conn.Release()
		return nil, false, unavailable(err)
	}
	if !ok {
		conn.Release()
		return nil, false, nil
	}
	return func() {
		uc, cancel := context.WithTimeout(ctx(), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(uc, "SELECT pg_advisory_unlock($1)", key); err != nil {
			conn.Conn().Close(uc) // the session's end releases the lock
		}
		conn.Release()
	}, true, nil
}

// jobKey is the advisory lock key of a job: a hash of its name, apart from
// the migration lock's.
func jobKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("hailong-job:" + name))
	return int64(h.Sum64())
}

// Ping reports whether the database answers (/healthz, and a credential
// not found: web.Deps.Unavailable). A failure also drops every pooled
// connection: after a restart or a failover the old ones are dead, and
// each would otherwise fail one request (a token lookup read as "no such
// token") before the pool noticed.
func (db *DB) Ping(c context.Context) error {
	err := db.pool.Ping(c)
	if err != nil {
		db.pool.Reset()
	}
	return err
}
