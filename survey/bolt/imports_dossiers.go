package bolt

import (
	"fmt"
	"hailong/survey"
	"hailong/survey/csvin"
	"io"

	bbolt "go.etcd.io/bbolt"
)

// ImportDossiers creates or updates dossiers by code from a CSV file with
// the columns code,unit,procedure,received_at,due_at,finished_at,
// supplement_days and optionally staff (see csvin.Dossiers.Import). All or
// nothing; the file is read into memory. Errors: *ImportError (EINVALID), or
// a read error.
func (db *DB) ImportDossiers(r io.Reader) (survey.ImportStats, error) {
	return csvin.Dossiers{Loc: db.opts.Loc, Check: db.checkDossier, KeepStaff: db.keepStaff, Put: db.PutDossiers}.Import(r)
}

// keepStaff carries over, from the stored dossiers with the same codes,
// the staff member (for a file without a staff column). (The receipt's token
// and answered flag are carried over by putDossier, inside the write
// transaction: read here, they could be stale by the time of the write and
// reopen a receipt answered meanwhile.)
func (db *DB) keepStaff(ds []survey.Dossier) error {
	return db.bolt.View(func(tx *bbolt.Tx) error {
		codes, b := tx.Bucket(bDossCodes), tx.Bucket(bDossiers)
		for i := range ds {
			d := &ds[i]
			k := codes.Get([]byte(d.Code))
			if k == nil {
				continue
			}
			var old survey.Dossier
			if err := decodeDossier(b.Get(k), &old); err != nil {
				return fmt.Errorf("dossier %q: %w", d.Code, err)
			}
			d.Staff = old.Staff
		}
		return nil
	})
}
