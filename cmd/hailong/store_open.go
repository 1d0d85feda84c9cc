package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"hailong/survey"
	"hailong/survey/bolt"
)

// storeAddr is where the data lives: --db (HAILONG_DB) when given, else
// <data>/hailong.db.
func (c *Config) storeAddr() string {
	if c.DB != "" {
		return c.DB
	}
	return filepath.Join(c.Data, "hailong.db")
}

// isPostgres reports whether addr names a PostgreSQL database rather than
// a bbolt file.
func isPostgres(addr string) bool {
	return strings.HasPrefix(addr, "postgres://") || strings.HasPrefix(addr, "postgresql://")
}

// zone is the --tz flag as a location (nil: the stored zone).
func (c *Config) zone() (*time.Location, error) {
	if c.TZ == "" {
		return nil, nil
	}
	loc, err := time.LoadLocation(c.TZ)
	if err != nil {
		return nil, usageError(fmt.Sprintf("unknown time zone %q", c.TZ))
	}
	return loc, nil
}

// openStore opens the store at c.storeAddr(): PostgreSQL for a postgres://
// or postgresql:// address, else the bbolt file. rezone (a new --tz for
// `reindex`) is a bbolt matter: PostgreSQL refuses it.
func openStore(ctx context.Context, c *Config, log *slog.Logger, rezone bool) (survey.Store, error) {
	if !isPostgres(c.storeAddr()) {
		return openDB(c, log, rezone)
	}
	loc, err := c.zone()
	if err != nil {
		return nil, err
	}
	if rezone {
		return nil, usageError("changing the time zone of a PostgreSQL database is not supported")
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return openPostgres(ctx, c.storeAddr(), loc, c.Now, log)
}

// openDB opens the bbolt file in the configured zone (commands that only
// make sense on a file, such as compact, call it directly).
func openDB(c *Config, log *slog.Logger, rezone bool) (*bolt.DB, error) {
	addr := c.storeAddr()
	if isPostgres(addr) {
		return nil, usageError("this command works on a bbolt file only, not on " + addr)
	}
	loc, err := c.zone()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return bolt.Open(addr, bolt.Options{Loc: loc, Logger: log, Rezone: rezone, Now: c.Now})
}

// cliStore opens the store for a command line (no server log).
func cliStore(c *Config, rezone bool) (survey.Store, error) {
	return openStore(context.Background(), c, nil, rezone)
}

// pinger is a store that can tell whether its database answers.
type pinger interface {
	Ping(ctx context.Context) error
}

// healthOf is the /healthz check of a store: a ping of at most 2 s for a
// database server, nothing for a file the process holds open.
func healthOf(db survey.Store) func() error {
	p, ok := db.(pinger)
	if !ok {
		return nil
	}
	return func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		return p.Ping(ctx)
	}
}
