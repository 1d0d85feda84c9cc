package pg

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
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

	// later holds statements whose only answer is success (laterExec):
	// sent together before the transaction's next statement or its commit.
	later *pgx.Batch
}

// laterExec queues a statement whose result nothing reads (an update of rows
// this transaction holds locked, the log's tip, a head, a NOTIFY). It is
// sent, with the others queued, in one round trip before the next
// statement of the transaction — the overrides below see to that — or
// before the commit; its error fails the transaction then.
func (tx *wtx) laterExec(sql string, args ...any) {
	if tx.later == nil {
		tx.later = &pgx.Batch{}
	}
	tx.later.Queue(sql, args...)
}

// sendLater sends the queued statements, if any.
func (tx *wtx) sendLater(c context.Context) error {
	b := tx.later
	if b == nil {
		return nil
	}
	tx.later = nil
	return tx.Tx.SendBatch(c, b).Close()
}

// The statements of a write transaction go through these, so that what
// laterExec queued is sent first, in the same round trip.

func (tx *wtx) Exec(c context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if tx.later == nil {
		return tx.Tx.Exec(c, sql, args...)
	}
	rows, err := tx.Query(c, sql, args...)
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	rows.Close()
	return rows.CommandTag(), rows.Err()
}

func (tx *wtx) Query(c context.Context, sql string, args ...any) (pgx.Rows, error) {
	if tx.later == nil {
		return tx.Tx.Query(c, sql, args...)
	}
	b := &pgx.Batch{}
	b.Queue(sql, args...)
	br := tx.SendBatch(c, b)
	rows, err := br.Query()
	if err != nil {
		br.Close()
		return nil, err
	}
	return &batchRows{Rows: rows, br: br}, nil
}

func (tx *wtx) QueryRow(c context.Context, sql string, args ...any) pgx.Row {
	rows, err := tx.Query(c, sql, args...)
	if err != nil {
		return errRow{err}
	}
	return rowOf{rows}
}

func (tx *wtx) CopyFrom(c context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	if err := tx.sendLater(c); err != nil {
		return 0, err
	}
	return tx.Tx.CopyFrom(c, table, cols, src)
}

// batchRows are a query's rows read from a batch, which closes with them.
type batchRows struct {
	pgx.Rows
	br     pgx.BatchResults
	closed bool
}

func (r *batchRows) Close() {
	r.Rows.Close()
	if !r.closed {
		r.closed = true
		r.br.Close()
	}
}

// rowOf is QueryRow over Query: the first row, scanned, then closed.
type rowOf struct{ rows pgx.Rows }

func (r rowOf) Scan(dest ...any) error {
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}

// SendBatch sends b with the queued statements in front: one round trip.
func (tx *wtx) SendBatch(c context.Context, b *pgx.Batch) pgx.BatchResults {
	if tx.later == nil {
		return tx.Tx.SendBatch(c, b)
	}
	all := tx.later
	tx.later = nil
	n := all.Len()
	all.QueuedQueries = append(all.QueuedQueries, b.QueuedQueries...)
	return &afterLater{BatchResults: tx.Tx.SendBatch(c, all), skip: n}
}

// afterLater hides the queued statements' results in front of a batch's,
// failing the first read when one of them failed.
type afterLater struct {
	pgx.BatchResults
	skip int
}

func (r *afterLater) drain() error {
	for ; r.skip > 0; r.skip-- {
		if _, err := r.BatchResults.Exec(); err != nil {
			r.skip = 0
			return err
		}
	}
	return nil
}

func (r *afterLater) Exec() (pgconn.CommandTag, error) {
	if err := r.drain(); err != nil {
		return pgconn.CommandTag{}, err
	}
	return r.BatchResults.Exec()
}

func (r *afterLater) Query() (pgx.Rows, error) {
	if err := r.drain(); err != nil {
		return nil, err
	}
	return r.BatchResults.Query()
}

func (r *afterLater) QueryRow() pgx.Row {
	if err := r.drain(); err != nil {
		return errRow{err}
	}
	return r.BatchResults.QueryRow()
}

// errRow is a row whose Scan fails with err.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

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
	conn, err := db.pool.Acquire(c)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	ptx := &connTx{conn: conn}
	defer ptx.end(c)
	tx := &wtx{Tx: ptx, c: c, db: db}
	tx.laterExec("BEGIN") // sent with the first statement: the log tip's lock
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
		tx.laterExec("SELECT pg_notify($1, '')", cacheChannel)
	}
	tx.laterExec("COMMIT") // with the statements still queued: one round trip
	if err := tx.sendLater(c); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	ptx.committed = true
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

// connTx is a write transaction on a pooled connection, begun and
// committed by statements that travel with others (laterExec's BEGIN and
// COMMIT) rather than by pgx.Tx's own round trips: a group commit of
// submissions costs five round trips in all (thirteen before batching).
type connTx struct {
	conn      *pgxpool.Conn
	committed bool
}

// end rolls back what was not committed and returns the connection; one
// whose state is unknown (a failed rollback) is closed, never reused.
func (t *connTx) end(c context.Context) {
	if !t.committed {
		if _, err := t.conn.Exec(c, "ROLLBACK"); err != nil {
			t.conn.Conn().Close(c)
		}
	}
	t.conn.Release()
}

func (t *connTx) Begin(context.Context) (pgx.Tx, error) {
	return nil, errors.New("pg: no nested transactions in a write transaction")
}
func (t *connTx) Commit(c context.Context) error {
	_, err := t.conn.Exec(c, "COMMIT")
	t.committed = err == nil
	return err
}
func (t *connTx) Rollback(c context.Context) error {
	_, err := t.conn.Exec(c, "ROLLBACK")
	return err
}
func (t *connTx) CopyFrom(c context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	return t.conn.CopyFrom(c, table, cols, src)
}
func (t *connTx) SendBatch(c context.Context, b *pgx.Batch) pgx.BatchResults {
	return t.conn.SendBatch(c, b)
}
func (t *connTx) LargeObjects() pgx.LargeObjects { return pgx.LargeObjects{} }
func (t *connTx) Prepare(c context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	return t.conn.Conn().Prepare(c, name, sql)
}
func (t *connTx) Exec(c context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return t.conn.Exec(c, sql, args...)
}
func (t *connTx) Query(c context.Context, sql string, args ...any) (pgx.Rows, error) {
	return t.conn.Query(c, sql, args...)
}
func (t *connTx) QueryRow(c context.Context, sql string, args ...any) pgx.Row {
	return t.conn.QueryRow(c, sql, args...)
}
func (t *connTx) Conn() *pgx.Conn { return t.conn.Conn() }
