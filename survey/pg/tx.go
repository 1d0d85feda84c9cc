package pg

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// wtx is one write transaction. Every write goes through DB.update, which
// first locks the log's tip row: writes are serialised across servers (as
// bbolt's single writer), responses and changes append to the log in the
// transaction that makes them, and the day's head is written last.
type wtx struct {
	pgx.Tx
	c      context.Context
	db     *DB
	lg     *logTx
	notify bool     // the transaction changes something the caches hold
	after  []func() // run after a successful commit

	snapshot *snapshot // fresh(): the cached tables as this transaction sees them
}

// changed marks the transaction as changing cached data: it notifies every
// server at commit.
func (tx *wtx) changed() { tx.notify = true; tx.snapshot = nil }

// onCommit runs fn after the commit.
func (tx *wtx) onCommit(fn func()) { tx.after = append(tx.after, fn) }

// update runs fn in a write transaction, retrying on a serialisation
// failure or a deadlock.
func (db *DB) update(fn func(tx *wtx) error) error {
	for try := 0; ; try++ {
		err := db.updateOnce(fn)
		var pe *pgconn.PgError
		if try < 3 && errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01") {
			continue
		}
		return unreachable(err) // a 503 while the database is gone (unavailable.go)
	}
}

func (db *DB) updateOnce(fn func(tx *wtx) error) error {
	c := ctx()
	ptx, err := db.pool.Begin(c)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer ptx.Rollback(c)
	tx := &wtx{Tx: ptx, c: c, db: db}
	if tx.lg, err = db.beginLog(tx); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.lg.finish(); err != nil {
		return err
	}
	if tx.notify {
		if _, err := tx.Exec(c, "SELECT pg_notify($1, '')", cacheChannel); err != nil {
			return err
		}
	}
	if err := ptx.Commit(c); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if tx.notify {
		db.cache.invalidate()
	}
	for _, f := range tx.after {
		f()
	}
	return nil
}

// view runs fn in a read-only REPEATABLE READ transaction: one snapshot.
func (db *DB) view(fn func(tx pgx.Tx) error) error {
	c := ctx()
	tx, err := db.pool.BeginTx(c, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(c)
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(c)
}

// exec runs one statement in tx's context.
func (tx *wtx) exec(sql string, args ...any) (pgconn.CommandTag, error) {
	return tx.Exec(tx.c, sql, args...)
}

// queryRow runs one query in tx's context.
func (tx *wtx) queryRow(sql string, args ...any) pgx.Row {
	return tx.QueryRow(tx.c, sql, args...)
}
