package pg

import (
	"encoding/json"
	"time"

	"hailong/survey"
)

// The audit log: one row per entry keyed by its time. PostgreSQL keeps
// microseconds: entries within one microsecond take the next free one, so
// that no two entries share At and paging by At never skips one.

// Audit appends an entry to the audit log (its time is set here).
func (db *DB) Audit(e survey.AuditEntry) error {
	return db.update(func(tx *wtx) error { return tx.audit(e) })
}

func (tx *wtx) audit(e survey.AuditEntry) error {
	at := tx.db.opts.Now().UTC().Truncate(time.Microsecond)
	for {
		var taken bool
		if err := tx.queryRow("SELECT EXISTS (SELECT 1 FROM audit WHERE at = $1)", at).Scan(&taken); err != nil {
			return err
		}
		if !taken {
			break
		}
		at = at.Add(time.Microsecond)
	}
	e.At = at
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	_, err = tx.exec("INSERT INTO audit (at, doc) VALUES ($1, $2)", at, b)
	return err
}

// AuditLog returns up to limit entries, newest first, older than before
// (zero: from the newest).
func (db *DB) AuditLog(limit int, before time.Time) []survey.AuditEntry {
	if before.IsZero() {
		return docs[survey.AuditEntry](db, "SELECT doc FROM audit ORDER BY at DESC LIMIT $1", limit)
	}
	return docs[survey.AuditEntry](db, "SELECT doc FROM audit WHERE at < $1 ORDER BY at DESC LIMIT $2", before, limit)
}
