package bolt

import (
	"hailong/survey"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// Meta returns a value stored in the meta bucket ("" when absent).
func (db *DB) Meta(key string) string {
	var s string
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		s = string(tx.Bucket(bMeta).Get([]byte("s:" + key)))
		return nil
	})
	return s
}

// SetMeta stores a setting in the meta bucket.
func (db *DB) SetMeta(key, value string) error {
	return db.update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bMeta).Put([]byte("s:"+key), []byte(value))
	})
}

// MisuseInterval returns the interval in force.
func (db *DB) MisuseInterval() time.Duration {
	db.wmu.Lock() // the writer reads it under wmu
	defer db.wmu.Unlock()
	return db.opts.MisuseInterval
}

// ApplySettings puts the stored settings that the store itself uses (the
// misuse interval) in force. Open should call it; SetSettings applies a
// change at once.
func (db *DB) ApplySettings() {
	if d, ok := survey.ParseMisuseInterval(db.Meta(survey.MetaMisuseInterval)); ok {
		db.wmu.Lock()
		db.opts.MisuseInterval = d
		db.wmu.Unlock()
	}
}

// SetSettings stores several settings in one transaction; an empty value
// removes its key. A valid misuse interval takes effect with the commit.
func (db *DB) SetSettings(kv map[string]string) error {
	return db.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bMeta)
		for k, v := range kv {
			var err error
			if v == "" {
				err = b.Delete([]byte("s:" + k))
			} else {
				err = b.Put([]byte("s:"+k), []byte(v))
			}
			if err != nil {
				return err
			}
		}
		if d, ok := survey.ParseMisuseInterval(kv[survey.MetaMisuseInterval]); ok {
			// Commit handlers run under wmu, where the writer reads it.
			tx.OnCommit(func() { db.opts.MisuseInterval = d })
		}
		return nil
	})
}

// Metas returns several settings from the meta bucket ("" for each one
// absent), read in one transaction: the public pages read theirs at every
// request, where one transaction per key would cost several microseconds.
func (db *DB) Metas(keys ...string) []string {
	out := make([]string, len(keys))
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bMeta)
		for i, k := range keys {
			out[i] = string(b.Get([]byte("s:" + k)))
		}
		return nil
	})
	return out
}
