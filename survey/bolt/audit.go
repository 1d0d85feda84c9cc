package bolt

import (
	"encoding/binary"
	"encoding/json"
	"hailong/survey"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// Audit appends an entry to the audit log (its time is set here).
func (db *DB) Audit(e survey.AuditEntry) error {
	return db.update(func(tx *bbolt.Tx) error { return putAudit(tx, db.opts.Now(), e) })
}

func putAudit(tx *bbolt.Tx, now time.Time, e survey.AuditEntry) error {
	e.At = now.UTC()
	b := tx.Bucket(bAudit)
	k := make([]byte, 8)
	ns := uint64(e.At.UnixNano())
	for { // same-nanosecond entries: next free key
		binary.BigEndian.PutUint64(k, ns)
		if b.Get(k) == nil {
			break
		}
		ns++
	}
	e.At = time.Unix(0, int64(ns)).UTC() // At is the key: paging by At never skips an entry
	v, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return b.Put(k, v)
}

// AuditLog returns up to limit entries, newest first, older than before
// (zero: from the newest). No two entries have the same At, so paging by
// the last entry's At never skips one.
func (db *DB) AuditLog(limit int, before time.Time) []survey.AuditEntry {
	var out []survey.AuditEntry
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bAudit).Cursor()
		var k, v []byte
		if before.IsZero() {
			k, v = c.Last()
		} else {
			seek := make([]byte, 8)
			binary.BigEndian.PutUint64(seek, uint64(before.UnixNano()))
			if k, _ = c.Seek(seek); k == nil {
				k, v = c.Last()
			} else {
				k, v = c.Prev()
			}
		}
		for ; k != nil && len(out) < limit; k, v = c.Prev() {
			var e survey.AuditEntry
			if json.Unmarshal(v, &e) == nil {
				out = append(out, e)
			}
		}
		return nil
	})
	return out
}
