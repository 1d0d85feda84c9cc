package bolt

import (
	"hailong/survey"

	bbolt "go.etcd.io/bbolt"
)

// noteChange appends c to the tamper-evident log inside tx, the transaction
// that makes the change. Every change of what counts goes through it.
func (db *DB) noteChange(tx *bbolt.Tx, c survey.Change) error {
	_, _ = tx, c // the log lands with issue 15's log work; callers are wired now
	return nil
}
