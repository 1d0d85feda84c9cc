package pg

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"hailong/survey"
)

// Import batches: a row of imports (id → JSON survey.ImportBatch) and the
// batch id on each of its responses (responses.batch), written in the
// chunk's own transaction, so that a response is never stored by an import
// without its batch. An import in progress holds a session advisory lock
// on its batch id: any server's WithdrawBatch sees it busy, and a crash
// (the connection gone) frees it, leaving a BatchImporting batch that can
// be withdrawn.

// batchLock is the advisory lock class of import batches.
const batchLock = 0x686c6962 // "hlib"

// importBatch is the batch an import is storing.
type importBatch struct {
	id   int64 // 0 until the first chunk's transaction allocates it
	rec  survey.ImportBatch
	rows int
	lock *pgxpool.Conn // holds the batch's advisory lock
}

// insertChunk stores a chunk of an import under the batch in one
// transaction; the first chunk also records the batch (BatchImporting).
func (db *DB) insertChunk(b *importBatch, rs []*survey.Response) error {
	if b.id == 0 {
		if err := db.pool.QueryRow(ctx(), "SELECT nextval('import_seq')").Scan(&b.id); err != nil {
			return err
		}
		conn, err := db.pool.Acquire(ctx())
		if err != nil {
			return err
		}
		if _, err := conn.Exec(ctx(), "SELECT pg_advisory_lock($1, $2)", batchLock, int32(b.id)); err != nil {
			conn.Release()
			return err
		}
		b.lock = conn
		b.rec.ID, b.rec.Status = strconv.FormatInt(b.id, 10), survey.BatchImporting
	}
	err := db.update(func(tx *wtx) error {
		if b.rows == 0 {
			if err := tx.putBatch(&b.rec); err != nil {
				return err
			}
		}
		w := newTxWriter(tx)
		w.batch = b.id
		for _, r := range rs {
			if _, err := w.insert(r); err != nil {
				return err
			}
		}
		return w.agg.flush(tx)
	})
	if err == nil {
		b.rows += len(rs)
	}
	return err
}

// doneImporting releases the batch's lock.
func (b *importBatch) doneImporting() {
	if b.lock != nil {
		_, _ = b.lock.Exec(ctx(), "SELECT pg_advisory_unlock($1, $2)", batchLock, int32(b.id))
		b.lock.Release()
		b.lock = nil
	}
}

// finishBatch marks the batch stored and notes the import as a change of
// what counts, with an audit entry, in one transaction.
func (db *DB) finishBatch(b *importBatch) error {
	defer b.doneImporting()
	return db.update(func(tx *wtx) error {
		b.rec.Status, b.rec.Rows = survey.BatchStored, b.rows
		if err := tx.putBatch(&b.rec); err != nil {
			return err
		}
		detail := fmt.Sprintf("rows=%d sha256=%s first=%s last=%s", b.rows, b.rec.SHA256, b.rec.FirstDay, b.rec.LastDay)
		now := db.opts.Now()
		if err := tx.noteChange(survey.Change{Kind: survey.ChangeImport, Actor: b.rec.Actor, Target: b.rec.ID, Detail: detail, At: now}); err != nil {
			return err
		}
		return tx.audit(survey.AuditEntry{Actor: b.rec.Actor, Action: "import.responses", Target: b.rec.ID, Detail: detail + " file=" + b.rec.File})
	})
}

// dropBatch undoes a failed import: its responses chunk by chunk (deleted
// and un-counted, the log noting the deletions), then its record.
func (db *DB) dropBatch(b *importBatch) error {
	if b.id == 0 {
		return nil
	}
	defer b.doneImporting()
	for {
		more := false
		err := db.update(func(tx *wtx) error {
			var err error
			if more, err = tx.deleteChunk(b.id); err != nil || more {
				return err
			}
			_, err = tx.exec("DELETE FROM imports WHERE id = $1", b.id)
			return err
		})
		if err != nil || !more {
			return err
		}
	}
}

// deleteChunk deletes up to importChunk responses of batch id (records,
// counts, noted for the log's withdrawal) and reports whether it deleted
// any.
func (tx *wtx) deleteChunk(id int64) (bool, error) {
	rows, err := tx.Query(tx.c, "SELECT "+responseCols+" FROM responses WHERE batch = $1 ORDER BY key DESC LIMIT $2", id, importChunk)
	if err != nil {
		return false, err
	}
	var rs []*survey.Response
	for rows.Next() {
		r, err := scanResponse(rows)
		if err != nil {
			rows.Close()
			return false, err
		}
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(rs) == 0 {
		return false, err
	}
	return true, tx.deleteResponses(rs)
}

// deleteResponses deletes stored responses and takes them out of the
// counts; the log lists their entries under the transaction's withdrawal
// (the one noted, or one of its own at commit).
func (tx *wtx) deleteResponses(rs []*survey.Response) error {
	agg := newAggDelta()
	keys := make([]int64, len(rs))
	for i, r := range rs {
		sv := tx.db.Survey(r.Survey, r.Version)
		if sv == nil {
			return fmt.Errorf("response %d: survey version missing", r.Key)
		}
		agg.add(r, sv, tx.db.opts.Loc, -1)
		keys[i] = int64(r.Key)
	}
	rows, err := tx.Query(tx.c, `SELECT DISTINCT ON (key) seq, entry_hash FROM log WHERE change_kind = '' AND key = ANY($1)
		ORDER BY key, seq DESC`, keys)
	if err != nil {
		return err
	}
	for rows.Next() {
		var seq int64
		var h []byte
		if err := rows.Scan(&seq, &h); err != nil {
			rows.Close()
			return err
		}
		tx.lg.deleted = append(tx.lg.deleted, survey.Withdrawn{Seq: uint64(seq), Hash: hex.EncodeToString(h)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.exec("DELETE FROM responses WHERE key = ANY($1)", keys); err != nil {
		return err
	}
	return agg.flush(tx)
}

func (tx *wtx) putBatch(r *survey.ImportBatch) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = tx.exec("INSERT INTO imports (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc", r.ID, b)
	return err
}

// Batches returns every import batch, newest first.
func (db *DB) Batches() ([]survey.ImportBatch, error) {
	return docs[survey.ImportBatch](db, "SELECT doc FROM imports ORDER BY id DESC"), nil
}

// Batch returns one batch. Errors: ENOTFOUND.
func (db *DB) Batch(id string) (*survey.ImportBatch, error) {
	n, err := batchID(id)
	if err != nil {
		return nil, err
	}
	return getBatch(db.pool, n)
}

func getBatch(q querier, id int64) (*survey.ImportBatch, error) {
	var b []byte
	err := q.QueryRow(ctx(), "SELECT doc FROM imports WHERE id = $1", id).Scan(&b)
	if isNoRows(err) {
		return nil, survey.Errorf(survey.ENOTFOUND, "Không có lô nhập %d. / No import batch %d.", id, id)
	} else if err != nil {
		return nil, err
	}
	r := &survey.ImportBatch{}
	return r, json.Unmarshal(b, r)
}

// batchID reads a batch id; anything else is ENOTFOUND.
func batchID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != id {
		return 0, survey.Errorf(survey.ENOTFOUND, "Không có lô nhập %q. / No import batch %q.", id, id)
	}
	return n, nil
}

// WithdrawBatch deletes every response of batch id and takes it out of the
// counts, and keeps the batch marked withdrawn (see survey.ImportService).
func (db *DB) WithdrawBatch(id, actor, reason string) (*survey.ImportBatch, error) {
	if strings.TrimSpace(actor) == "" {
		return nil, survey.FieldError("actor", "Thiếu người rút lại. / Who withdraws the batch is required.")
	}
	reason, err := survey.CheckReason("reason", reason, true)
	if err != nil {
		return nil, err
	}
	n, err := batchID(id)
	if err != nil {
		return nil, err
	}
	var out *survey.ImportBatch
	for first := true; ; first = false {
		if db.Closing() {
			return nil, survey.ErrClosed
		}
		done := false
		err := db.update(func(tx *wtx) error {
			b, err := getBatch(tx, n)
			if err != nil {
				return err
			}
			if first {
				if err := tx.beginWithdrawal(b, actor, reason); err != nil {
					return err
				}
			}
			if _, err := tx.deleteChunk(n); err != nil {
				return err
			}
			var left bool
			if err := tx.queryRow("SELECT EXISTS (SELECT 1 FROM responses WHERE batch = $1)", n).Scan(&left); err != nil {
				return err
			}
			if !left {
				b.Status, done = survey.BatchWithdrawn, true
			}
			out = b
			return tx.putBatch(b)
		})
		if err != nil || done {
			return out, err
		}
	}
}

// beginWithdrawal marks b withdrawing by actor for reason and notes the
// change, with an audit entry, in the withdrawal's first transaction. A
// batch being imported right now (its lock held, on any server) is
// ECONFLICT; one already withdrawing keeps who, when and why.
func (tx *wtx) beginWithdrawal(b *survey.ImportBatch, actor, reason string) error {
	loc := tx.db.opts.Loc
	switch b.Status {
	case survey.BatchWithdrawn:
		return survey.Errorf(survey.ECONFLICT, "Lô %s đã được rút lại lúc %s. / Batch %s was already withdrawn at %s.",
			b.ID, b.WithdrawnAt.In(loc).Format("02/01/2006 15:04"), b.ID, b.WithdrawnAt.In(loc).Format(time.RFC3339))
	case survey.BatchWithdrawing:
		return nil
	}
	n, _ := strconv.ParseInt(b.ID, 10, 64)
	var free bool
	if err := tx.queryRow("SELECT pg_try_advisory_xact_lock($1, $2)", batchLock, int32(n)).Scan(&free); err != nil {
		return err
	}
	if !free {
		return survey.Errorf(survey.ECONFLICT, "Lô %s đang được nhập. / Batch %s is being imported right now.", b.ID, b.ID)
	}
	var rows int
	if err := tx.queryRow("SELECT count(*) FROM responses WHERE batch = $1", n).Scan(&rows); err != nil {
		return err
	}
	now := tx.db.opts.Now()
	was := b.Status
	b.Status, b.WithdrawnBy, b.WithdrawnAt, b.Reason = survey.BatchWithdrawing, actor, now.UTC(), reason
	detail := fmt.Sprintf("rows=%d sha256=%s", rows, b.SHA256)
	if was == survey.BatchImporting {
		detail += " incomplete"
	}
	if err := tx.noteChange(survey.Change{Kind: survey.ChangeWithdraw, Actor: actor, Reason: reason, Target: b.ID, Detail: detail, At: now}); err != nil {
		return err
	}
	return tx.audit(survey.AuditEntry{Actor: actor, Action: "import.withdraw", Target: b.ID, Detail: detail + " reason=" + reason})
}
