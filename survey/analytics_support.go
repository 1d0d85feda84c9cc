package survey

import (
	"time"

	bolt "go.etcd.io/bbolt"
)

// Read-only helpers for analytics that Count and CountDossiers do not cover.

// EachDossier calls fn for every dossier of the given units received from..to
// (calendar days in the installation's zone, inclusive), unit by unit in
// received order, within one read transaction. fn must not keep d.
func (db *DB) EachDossier(units []string, from, to time.Time, fn func(d *Dossier) error) error {
	loc := db.opts.Loc
	f, l := DayOf(from, loc), DayOf(to, loc)
	return db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bDossiers).Cursor()
		var d Dossier
		for _, u := range units {
			uid := db.dict.lookup(kindUnit, u)
			if uid == 0 {
				continue
			}
			end := dossierKey(uid, l+1, "")
			for k, v := c.Seek(dossierKey(uid, f, "")); k != nil && string(k) < string(end); k, v = c.Next() {
				if err := decodeDossier(v, &d); err != nil {
					return err
				}
				if err := fn(&d); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
