// Package pg is the PostgreSQL backend of survey.Store: the same services
// and guarantees as survey/bolt on a database that several app servers
// share. No state lives only in one process: caches are invalidated across
// servers by NOTIFY (cache.go), misuse times and the log's tip are rows,
// and every write transaction that may append to the tamper-evident log
// takes the tip's row lock first, so writes are serialised as bbolt's are.
package pg

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"hailong/survey"
)

// Options configure a DB.
type Options struct {
	// Loc is the installation's time zone; nil means the stored one
	// (survey.DefaultZone for a new database). Another zone than the
	// stored one is refused unless Rezone is set (the counts were cut in
	// the stored zone: rezoning must be followed by Reindex).
	Loc      *time.Location
	Rezone   bool
	Now      func() time.Time // injectable clock
	Logger   *slog.Logger
	MaxBatch int           // most submissions per group commit (default 256)
	CacheTTL time.Duration // how long a cache lives without a notification (default 5 s)
}

var _ survey.Store = (*DB)(nil)

// DB is the PostgreSQL store. It is safe for concurrent use.
type DB struct {
	pool *pgxpool.Pool
	url  string
	opts Options
	log  *slog.Logger

	cache   *cache
	logKey  []byte
	writes  chan *writeReq
	closing chan struct{}
	stop    context.CancelFunc
	wg      sync.WaitGroup

	stopOnce, closeOnce sync.Once
	commits, submitted  atomic.Uint64 // WriterStats
	seen                seenOverlay   // heartbeats whose write was skipped (kiosks.go)
	names               nameDict      // count_names (counts_names.go)
}

// ctx is the context of store calls: the service interfaces take none.
func ctx() context.Context { return context.Background() }

// Open connects to the database at url (a postgres:// URL or a key=value
// string), applies the migrations and starts the writer and the cache
// listener.
func Open(c context.Context, dbURL string, o Options) (*DB, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxBatch == 0 {
		o.MaxBatch = 256
	}
	if o.CacheTTL == 0 {
		o.CacheTTL = 5 * time.Second
	}
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("database address: %w", err)
	}
	// Durability: a 2xx means committed and flushed, whatever the server's default.
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "on"
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	// Every statement is planned with its arguments (the unnamed statement;
	// descriptions are cached): a named statement's generic plan, chosen
	// while a table was small, kept a sequential scan of responses for the
	// writer's key lookups as the table grew (3 ms per commit at 50,000 rows,
	// two thirds of a commit), until autovacuum happened to analyse it.
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
	// One connection listens, one writes; EachResponse callbacks may read.
	if cfg.MaxConns < 16 {
		cfg.MaxConns = 16
	}
	pool, err := pgxpool.NewWithConfig(c, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	db := &DB{pool: pool, url: dbURL, opts: o, log: o.Logger,
		writes: make(chan *writeReq, 1024), closing: make(chan struct{}), seen: seenOverlay{m: map[string]survey.Kiosk{}}}
	db.cache = newCache(db)
	if err := db.migrate(c); err != nil {
		pool.Close()
		return nil, err
	}
	if err := db.settle(c); err != nil {
		pool.Close()
		return nil, err
	}
	lc, cancel := context.WithCancel(context.Background())
	db.stop = cancel
	db.wg.Add(2)
	go db.listen(lc)
	go db.writer()
	return db, nil
}

// settle fixes the zone (stored on first open) and the log's secret key.
func (db *DB) settle(c context.Context) error {
	stored, err := db.meta(c, "tz")
	if err != nil {
		return err
	}
	switch {
	case db.opts.Loc == nil && stored == "":
		if db.opts.Loc, err = time.LoadLocation(survey.DefaultZone); err != nil {
			return err
		}
	case db.opts.Loc == nil:
		if db.opts.Loc, err = time.LoadLocation(stored); err != nil {
			return fmt.Errorf("stored time zone %q: %w", stored, err)
		}
	case stored != "" && stored != db.opts.Loc.String() && !db.opts.Rezone:
		return &survey.Error{Code: survey.EINVALID, Field: "tz", Message: fmt.Sprintf(
			"Múi giờ của hệ thống là %s; đổi sang %s cần chạy 'hailong reindex --tz %s'. / The installation's time zone is %s; changing it to %s needs 'hailong reindex --tz %s'.",
			stored, db.opts.Loc, db.opts.Loc, stored, db.opts.Loc, db.opts.Loc)}
	case stored != "" && stored != db.opts.Loc.String():
		if _, err := db.pool.Exec(c, "UPDATE meta SET value = $1 WHERE key = 'tz'", db.opts.Loc.String()); err != nil {
			return err
		}
	}
	if stored == "" {
		if err := db.setMetaIfAbsent(c, "tz", db.opts.Loc.String()); err != nil {
			return err
		}
	}
	key, err := db.secretMeta(c, "log_key")
	db.logKey = []byte(key)
	return err
}

// Close stops the writer after the queued submissions, then the listener
// and the pool.
func (db *DB) Close() error {
	db.stopOnce.Do(func() { close(db.closing) })
	db.closeOnce.Do(func() {
		db.stop()
		db.wg.Wait()
		db.pool.Close()
	})
	return nil
}

// Closing reports whether Close has begun.
func (db *DB) Closing() bool {
	select {
	case <-db.closing:
		return true
	default:
		return false
	}
}

// Loc returns the installation's time zone.
func (db *DB) Loc() *time.Location { return db.opts.Loc }

// Now returns the store's clock.
func (db *DB) Now() time.Time { return db.opts.Now() }

// Pool exposes the connection pool (for tests and statistics).
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Location returns the database address without its password.
func (db *DB) Location() string { return locationOf(db.url) }

func locationOf(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil || u.Scheme == "" {
		cfg, err := pgx.ParseConfig(dbURL)
		if err != nil {
			return "postgresql"
		}
		return fmt.Sprintf("postgresql: host=%s port=%d dbname=%s user=%s", cfg.Host, cfg.Port, cfg.Database, cfg.User)
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	q.Del("password")
	u.RawQuery = q.Encode()
	return u.String()
}

// isNoRows reports a query that found nothing.
func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
