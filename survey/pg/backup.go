package pg

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// A backup is a consistent logical dump of the store's tables: one
// REPEATABLE READ transaction writes, per table, a COPY … FROM stdin block
// in PostgreSQL's text format, then the sequences. The file is a plain SQL
// script: restore it with psql into an empty database on which the same
// binary has run its migrations (`hailong` opens it once; the tables are
// then empty):
//
//	-- hailong-pg-backup/1 schema=N zone=Asia/Ho_Chi_Minh at=2026-03-02T02:00:00Z
//	BEGIN;
//	TRUNCATE meta, units, …;
//	COPY units (id, parent, doc) FROM stdin;
//	…rows…
//	\.
//	SELECT setval('action_seq', 12, true);
//	COMMIT;
//
// docs/ARCHITECTURE.md describes the tables.

// backupTables are the store's tables in the order a restore loads them.
var backupTables = []string{"meta", "groups", "units", "counters", "staff", "photos", "kiosks", "secrets", "surveys",
	"procedures", "responses", "count_names", "count_blocks", "misuse_last", "dossiers", "receipts", "users", "tokens", "sessions", "audit",
	"actions", "proposals", "imports", "log", "log_tip", "heads", "cases", "contacts", "holidays", "webhooks", "outbox"}

var backupSequences = []string{"action_seq", "proposal_seq", "import_seq", "count_name_seq"}

// BackupFormat names the dump format (its first line).
const BackupFormat = "hailong-pg-backup/1"

// Backup writes a consistent dump of the store to w while servers keep
// running.
func (db *DB) Backup(w io.Writer) (int64, error) {
	var n int64
	err := db.view(func(tx pgx.Tx) error {
		var err error
		n, err = db.dump(tx, w)
		return err
	})
	return n, err
}

// countingWriter counts what it writes.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (db *DB) dump(tx pgx.Tx, w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	bw := bufio.NewWriterSize(cw, 1<<16)
	fmt.Fprintf(bw, "-- %s schema=%d zone=%s at=%s\nBEGIN;\nTRUNCATE %s;\n", BackupFormat, SchemaVersion(),
		db.opts.Loc, db.opts.Now().UTC().Format(time.RFC3339Nano), strings.Join(backupTables, ", "))
	for _, t := range backupTables {
		cols, err := columnsOf(tx, t)
		if err != nil {
			return cw.n, err
		}
		fmt.Fprintf(bw, "COPY %s (%s) FROM stdin;\n", t, strings.Join(cols, ", "))
		if _, err := tx.Conn().PgConn().CopyTo(ctx(), bw, fmt.Sprintf("COPY %s (%s) TO STDOUT", t, strings.Join(cols, ", "))); err != nil {
			return cw.n, fmt.Errorf("dump %s: %w", t, err)
		}
		bw.WriteString("\\.\n")
	}
	for _, s := range backupSequences {
		var last int64
		var called bool
		if err := tx.QueryRow(ctx(), "SELECT last_value, is_called FROM "+s).Scan(&last, &called); err != nil {
			return cw.n, err
		}
		fmt.Fprintf(bw, "SELECT setval('%s', %d, %t);\n", s, last, called)
	}
	bw.WriteString("COMMIT;\n")
	err := bw.Flush()
	return cw.n, err
}

// columnsOf lists a table's stored columns (generated ones are rebuilt).
func columnsOf(tx pgx.Tx, table string) ([]string, error) {
	rows, err := tx.Query(ctx(), `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, err
	}
	var out []string
	var c string
	_, err = pgx.ForEachRow(rows, []any{&c}, func() error { out = append(out, c); return nil })
	return out, err
}

// BackupFile writes a dump to path (via a temporary file, synced, then
// renamed, so a crash never leaves a half-written backup under path).
func (db *DB) BackupFile(path string) (int64, error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := db.Backup(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return n, err
}

// dumpSnapshot is a dump taken when Snapshot was called, spooled to a
// temporary file (its Size must be known before it is written out).
type dumpSnapshot struct {
	f    *os.File
	size int64
}

// Snapshot begins a backup: the dump is taken now, into a temporary file.
func (db *DB) Snapshot() (survey.Snapshot, error) {
	f, err := os.CreateTemp("", "hailong-pg-snapshot-")
	if err != nil {
		return nil, err
	}
	os.Remove(f.Name()) // gone with the last descriptor
	n, err := db.Backup(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &dumpSnapshot{f: f, size: n}, nil
}

func (s *dumpSnapshot) Size() int64 { return s.size }

func (s *dumpSnapshot) WriteTo(w io.Writer) (int64, error) {
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	return io.Copy(w, s.f)
}

func (s *dumpSnapshot) Close() error { return s.f.Close() }

// Size returns the database's size in bytes (pg_database_size).
func (db *DB) Size() int64 {
	var n int64
	_ = db.pool.QueryRow(ctx(), "SELECT pg_database_size(current_database())").Scan(&n)
	return n
}

// BucketBytes returns the bytes of each table with its indexes and TOAST
// (pg_total_relation_size): the PostgreSQL counterpart of bbolt's buckets.
func (db *DB) BucketBytes() map[string]int {
	out := map[string]int{}
	for _, t := range backupTables {
		var n int64
		if err := db.pool.QueryRow(ctx(), "SELECT pg_total_relation_size($1::regclass)", t).Scan(&n); err == nil {
			out[t] = int(n)
		}
	}
	return out
}
