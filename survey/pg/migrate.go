package pg

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// The schema is the ordered SQL files in migrations/ (NNNN_name.sql), each
// applied once, in its own transaction, and recorded in schema_migrations.
// Never edit or renumber a file: add the next one. An advisory lock
// serialises servers starting together.

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrationLock is the advisory lock key of migrations ("hailong" in ASCII).
const migrationLock = 0x6861696c6f6e67

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []migration
	for _, n := range names {
		base := strings.TrimPrefix(n, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || v != len(out)+1 {
			return nil, fmt.Errorf("migration %s: expected number %04d", base, len(out)+1)
		}
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	return out, nil
}

// SchemaVersion is the schema this binary writes.
func SchemaVersion() int {
	ms, _ := migrations()
	return len(ms)
}

func (db *DB) migrate(c context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	conn, err := db.pool.Acquire(c)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(c, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", migrationLock)
	if _, err := conn.Exec(c, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("schema_migrations: %w", err)
	}
	var have int
	if err := conn.QueryRow(c, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&have); err != nil {
		return err
	}
	if have > len(ms) {
		return fmt.Errorf("the database has schema %d, newer than this binary's %d: upgrade hailong", have, len(ms))
	}
	for _, m := range ms[have:] {
		tx, err := conn.Begin(c)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(c, m.sql); err != nil {
			tx.Rollback(c)
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if step := goSteps[m.version]; step != nil {
			if err := step(c, tx); err != nil {
				tx.Rollback(c)
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
		}
		if _, err := tx.Exec(c, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
			tx.Rollback(c)
			return err
		}
		if err := tx.Commit(c); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// goSteps are the data a migration installs after its SQL, by version.
var goSteps = map[int]func(context.Context, pgx.Tx) error{
	1: installSurveys, // the default surveys
	2: seedHolidays,   // the working-day calendar's default holidays
	3: convertCounts,  // the counts' cell rows become blocks
}

// installSurveys stores the default surveys as version 1 (as bbolt's first
// migration does).
func installSurveys(c context.Context, tx pgx.Tx) error {
	for _, s := range survey.DefaultSurveys() {
		s.CreatedAt = time.Unix(0, 0).UTC()
		s.Version = 1
		b, err := json.Marshal(s)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(c, "INSERT INTO surveys (key, version, doc) VALUES ($1, 1, $2)", s.Key, b); err != nil {
			return err
		}
	}
	return nil
}
