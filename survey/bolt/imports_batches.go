package bolt

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hailong/survey"
	"strconv"
	"strings"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// Import batches. Every import of responses is a batch: its record in
// `imports` (id → JSON survey.ImportBatch) and the keys of its responses in
// `importkeys` (id · chunk → the chunk's response keys, 8 bytes each), one
// entry per chunk, written in the chunk's own transaction. So a response
// is never stored by an import without being listed under its batch (8
// bytes a response, beside the ~76 of the record), and a batch is withdrawn
// chunk by chunk, each chunk's responses deleted and un-counted with its
// entry. Both buckets are created by the first import (no migration); a
// database that never imported has neither.

var (
	bImports    = []byte("imports")    // batch id (8) → JSON survey.ImportBatch
	bImportKeys = []byte("importkeys") // batch id (8) · chunk (4) → response keys (8 bytes each)
)

// importBatch is the batch an import is storing.
type importBatch struct {
	id    uint64 // 0 until the first chunk's transaction allocates it
	rec   survey.ImportBatch
	chunk uint32
	rows  int
}

// insertChunk stores a chunk of an import and lists its keys under the
// batch, in one transaction; the first chunk also records the batch
// (BatchImporting).
func (db *DB) insertChunk(b *importBatch, rs []*survey.Response) error {
	return db.insertMany(rs, func(tx *bbolt.Tx) error {
		recs, keys, err := importBuckets(tx)
		if err != nil {
			return err
		}
		if b.id == 0 {
			if b.id, err = recs.NextSequence(); err != nil {
				return err
			}
			b.rec.ID, b.rec.Status = strconv.FormatUint(b.id, 10), survey.BatchImporting
			if err := putBatch(recs, b.id, &b.rec); err != nil {
				return err
			}
			db.importsMu.Lock()
			db.importing[b.id] = true
			db.importsMu.Unlock()
		}
		list := make([]byte, 0, 8*len(rs))
		for _, r := range rs {
			list = binary.BigEndian.AppendUint64(list, r.Key)
		}
		b.chunk++
		b.rows += len(rs)
		return keys.Put(chunkKey(b.id, b.chunk), list)
	})
}

// finishBatch marks the batch stored and notes the import as a change of
// what counts, with an audit entry, in one transaction. The chunks are
// already stored: noting the batch once they all are means that the log
// holds an import exactly when its rows are all there (a failed import is
// undone, and leaves no entry).
func (db *DB) finishBatch(b *importBatch) error {
	defer db.doneImporting(b.id)
	return db.update(func(tx *bbolt.Tx) error {
		recs, _, err := importBuckets(tx)
		if err != nil {
			return err
		}
		b.rec.Status, b.rec.Rows = survey.BatchStored, b.rows
		if err := putBatch(recs, b.id, &b.rec); err != nil {
			return err
		}
		detail := fmt.Sprintf("rows=%d sha256=%s first=%s last=%s", b.rows, b.rec.SHA256, b.rec.FirstDay, b.rec.LastDay)
		now := db.opts.Now()
		if err := db.noteChange(tx, survey.Change{Kind: survey.ChangeImport, Actor: b.rec.Actor, Target: b.rec.ID, Detail: detail, At: now}); err != nil {
			return err
		}
		return putAudit(tx, now, survey.AuditEntry{Actor: b.rec.Actor, Action: "import.responses", Target: b.rec.ID, Detail: detail + " file=" + b.rec.File})
	})
}

// dropBatch undoes a failed import: its chunks newest first, one
// transaction each (responses deleted and un-counted with the chunk's
// entry), then its record.
func (db *DB) dropBatch(b *importBatch) error {
	if b.id == 0 {
		return nil // the first chunk was never stored
	}
	defer db.doneImporting(b.id)
	for {
		more := false
		err := db.update(func(tx *bbolt.Tx) error {
			recs, keys, err := importBuckets(tx)
			if err != nil {
				return err
			}
			if more, err = db.deleteLastChunk(tx, keys, b.id); err != nil || more {
				return err
			}
			return recs.Delete(u64(b.id))
		})
		if err != nil || !more {
			return err
		}
	}
}

func (db *DB) doneImporting(id uint64) {
	db.importsMu.Lock()
	delete(db.importing, id)
	db.importsMu.Unlock()
}

// deleteLastChunk deletes the batch's last listed chunk (its responses
// and counts, then its entry) and reports whether a chunk was deleted.
func (db *DB) deleteLastChunk(tx *bbolt.Tx, keys *bbolt.Bucket, id uint64) (bool, error) {
	c := keys.Cursor()
	k, v := c.Seek(chunkKey(id+1, 0))
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k == nil || len(k) != 12 || binary.BigEndian.Uint64(k) != id {
		return false, nil
	}
	list := make([]uint64, 0, len(v)/8)
	for i := 0; i+8 <= len(v); i += 8 {
		list = append(list, binary.BigEndian.Uint64(v[i:]))
	}
	k = append([]byte(nil), k...)
	if err := db.deleteResponsesTx(tx, list); err != nil {
		return false, err
	}
	return true, keys.Delete(k)
}

// Batches returns every import batch, newest first.
func (db *DB) Batches() ([]survey.ImportBatch, error) {
	var out []survey.ImportBatch
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bImports)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var r survey.ImportBatch
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("import batch %x: %w", k, err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// Batch returns one batch. Errors: ENOTFOUND.
func (db *DB) Batch(id string) (*survey.ImportBatch, error) {
	n, err := batchID(id)
	if err != nil {
		return nil, err
	}
	var out *survey.ImportBatch
	err = db.bolt.View(func(tx *bbolt.Tx) error {
		out, err = getBatch(tx, n)
		return err
	})
	return out, err
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
	db.importsMu.Lock()
	busy := db.importing[n]
	db.importsMu.Unlock()
	if busy {
		return nil, survey.Errorf(survey.ECONFLICT, "Lô %s đang được nhập. / Batch %s is being imported right now.", id, id)
	}
	var out *survey.ImportBatch
	for first := true; ; first = false {
		if db.Closing() {
			return nil, survey.ErrClosed
		}
		done := false
		err := db.update(func(tx *bbolt.Tx) error {
			b, err := getBatch(tx, n)
			if err != nil {
				return err
			}
			recs, keys, err := importBuckets(tx)
			if err != nil {
				return err
			}
			if first {
				if err := db.beginWithdrawal(tx, keys, b, actor, reason); err != nil {
					return err
				}
			}
			more, err := db.deleteLastChunk(tx, keys, n)
			if err != nil {
				return err
			}
			if more {
				// Done when no chunk is left after this one.
				c := keys.Cursor()
				k, _ := c.Seek(chunkKey(n, 0))
				more = k != nil && len(k) == 12 && binary.BigEndian.Uint64(k) == n
			}
			if !more {
				b.Status, done = survey.BatchWithdrawn, true
			}
			out = b
			return putBatch(recs, n, b)
		})
		if err != nil || done {
			return out, err
		}
	}
}

// beginWithdrawal marks b withdrawing by actor for reason and notes the
// change, with an audit entry, in the withdrawal's first transaction (the
// one that deletes its first chunk): from that commit the withdrawal is
// decided, and WithdrawBatch again finishes one cut short. A batch already
// withdrawing keeps who, when and why it was first withdrawn.
func (db *DB) beginWithdrawal(tx *bbolt.Tx, keys *bbolt.Bucket, b *survey.ImportBatch, actor, reason string) error {
	switch b.Status {
	case survey.BatchWithdrawn:
		return survey.Errorf(survey.ECONFLICT, "Lô %s đã được rút lại lúc %s. / Batch %s was already withdrawn at %s.",
			b.ID, b.WithdrawnAt.In(db.opts.Loc).Format("02/01/2006 15:04"), b.ID, b.WithdrawnAt.In(db.opts.Loc).Format(time.RFC3339))
	case survey.BatchWithdrawing:
		return nil
	}
	rows := 0
	c := keys.Cursor()
	n, _ := strconv.ParseUint(b.ID, 10, 64)
	for k, v := c.Seek(chunkKey(n, 0)); k != nil && len(k) == 12 && binary.BigEndian.Uint64(k) == n; k, v = c.Next() {
		rows += len(v) / 8
	}
	now := db.opts.Now()
	was := b.Status
	b.Status, b.WithdrawnBy, b.WithdrawnAt, b.Reason = survey.BatchWithdrawing, actor, now.UTC(), reason
	detail := fmt.Sprintf("rows=%d sha256=%s", rows, b.SHA256)
	if was == survey.BatchImporting {
		detail += " incomplete"
	}
	if err := db.noteChange(tx, survey.Change{Kind: survey.ChangeWithdraw, Actor: actor, Reason: reason, Target: b.ID, Detail: detail, At: now}); err != nil {
		return err
	}
	return putAudit(tx, now, survey.AuditEntry{Actor: actor, Action: "import.withdraw", Target: b.ID, Detail: detail + " reason=" + reason})
}

func importBuckets(tx *bbolt.Tx) (recs, keys *bbolt.Bucket, err error) {
	if !tx.Writable() {
		return tx.Bucket(bImports), tx.Bucket(bImportKeys), nil
	}
	if recs, err = tx.CreateBucketIfNotExists(bImports); err != nil {
		return nil, nil, err
	}
	keys, err = tx.CreateBucketIfNotExists(bImportKeys)
	return recs, keys, err
}

func getBatch(tx *bbolt.Tx, id uint64) (*survey.ImportBatch, error) {
	var v []byte
	if b := tx.Bucket(bImports); b != nil {
		v = b.Get(u64(id))
	}
	if v == nil {
		return nil, survey.Errorf(survey.ENOTFOUND, "Không có lô nhập %d. / No import batch %d.", id, id)
	}
	var r survey.ImportBatch
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("import batch %d: %w", id, err)
	}
	return &r, nil
}

func putBatch(b *bbolt.Bucket, id uint64, r *survey.ImportBatch) error {
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return b.Put(u64(id), v)
}

// batchID reads a batch id; anything else is ENOTFOUND.
func batchID(id string) (uint64, error) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n == 0 || strconv.FormatUint(n, 10) != id {
		return 0, survey.Errorf(survey.ENOTFOUND, "Không có lô nhập %q. / No import batch %q.", id, id)
	}
	return n, nil
}

func chunkKey(id uint64, chunk uint32) []byte {
	k := make([]byte, 12)
	binary.BigEndian.PutUint64(k, id)
	binary.BigEndian.PutUint32(k[8:], chunk)
	return k
}
