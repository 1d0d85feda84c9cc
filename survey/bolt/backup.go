package bolt

import (
	"hailong/survey"
	"io"
	"os"

	bbolt "go.etcd.io/bbolt"
)

// BucketBytes returns the bytes allocated to each top-level bucket's pages.
func (db *DB) BucketBytes() map[string]int {
	out := map[string]int{}
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			st := b.Stats()
			out[string(name)] = st.BranchAlloc + st.LeafAlloc
			return nil
		})
	})
	return out
}

// Backup writes a consistent copy of the database to w while the server
// keeps running (a read transaction sees one snapshot).
func (db *DB) Backup(w io.Writer) (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// BackupFile writes a consistent copy to path (via a temporary file, synced,
// then renamed, so a crash never leaves a half-written backup under path).
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

// snapshot is a consistent read-only view of the whole database for an
// online backup. It holds a read transaction, which does not block writers;
// Close it as soon as the copy is written.
type snapshot struct {
	tx   *bbolt.Tx
	size int64
}

// Snapshot begins a backup.
func (db *DB) Snapshot() (survey.Snapshot, error) {
	tx, err := db.bolt.Begin(false)
	if err != nil {
		return nil, err
	}
	return &snapshot{tx: tx, size: tx.Size()}, nil
}

// Size is the size in bytes of the copy WriteTo writes.
func (s *snapshot) Size() int64 { return s.size }

// WriteTo writes the copy: a valid bbolt file.
func (s *snapshot) WriteTo(w io.Writer) (int64, error) { return s.tx.WriteTo(w) }

// Close ends the read transaction.
func (s *snapshot) Close() error { return s.tx.Rollback() }
