package survey

import bolt "go.etcd.io/bbolt"

// Metas returns several settings from the meta bucket ("" for each one
// absent), read in one transaction: the public pages read theirs at every
// request, where one transaction per key would cost several microseconds.
func (db *DB) Metas(keys ...string) []string {
	out := make([]string, len(keys))
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bMeta)
		for i, k := range keys {
			out[i] = string(b.Get([]byte("s:" + k)))
		}
		return nil
	})
	return out
}
