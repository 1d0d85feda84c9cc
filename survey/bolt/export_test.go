package bolt

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hailong/survey"
	"hash"
	"slices"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// Hooks for the external tests (package survey_test).

// DeleteResponses exposes the helper that undoes an import.
func DeleteResponses(db *DB, keys []uint64) error {
	return db.deleteResponses(keys, survey.Change{Kind: survey.ChangeWithdraw, Actor: "test"})
}

// SetImportChunk stores imported responses n per transaction and makes the
// failAt-th chunk fail (counting from 1; 0: none). It returns a function
// that restores both.
func SetImportChunk(n, failAt int) (restore func()) {
	oldN, oldInsert := importChunk, importInsert
	importChunk = n
	calls := 0
	importInsert = func(db *DB, b *importBatch, rs []*survey.Response) error {
		if calls++; calls == failAt {
			return errors.New("injected chunk failure")
		}
		return oldInsert(db, b, rs)
	}
	return func() { importChunk, importInsert = oldN, oldInsert }
}

// Digest hashes every key and value of the database but those of the
// buckets named in except (and the random confirmation-code secret), so
// that a test can tell whether anything changed.
func Digest(db *DB, except ...string) string {
	h := sha256.New()
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			if slices.Contains(except, string(name)) {
				return nil
			}
			h.Write(name)
			digestBucket(h, b)
			return nil
		})
	})
	return hex.EncodeToString(h.Sum(nil))
}

func digestBucket(h hash.Hash, b *bbolt.Bucket) {
	_ = b.ForEach(func(k, v []byte) error {
		if string(k) == "s:log_key" {
			return nil // random per installation: two stores never share it
		}
		h.Write([]byte{byte(len(k)), byte(len(v))})
		h.Write(k)
		h.Write(v)
		if v == nil {
			digestBucket(h, b.Bucket(k))
		}
		return nil
	})
}

// Meta returns the raw text stored in the meta bucket under "s:"+key, so
// that a test can check the stored format.
func Meta(db *DB, key string) string { return db.meta(key) }

// SetMeta writes raw text under "s:"+key ("" removes it), as an older
// version or a hand edit would have; the settings cache does not see it
// until the database is reopened.
func SetMeta(db *DB, key, value string) error { return db.setMeta(key, value) }

// MisuseInForce returns the misuse interval the writer uses.
func MisuseInForce(db *DB) time.Duration {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	return db.misuse
}

// SetImportRuns sets the most runs an import merges (0: never merge) and
// returns a function that restores it.
func SetImportRuns(n int) (restore func()) {
	old := maxImportRuns
	maxImportRuns = n
	return func() { maxImportRuns = old }
}
