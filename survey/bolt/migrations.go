package bolt

import (
	"encoding/binary"
	"fmt"
	"hailong/survey"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// migrations are applied in order; the schema version is their count.
// Never edit or reorder an entry: append a new one.
var migrations = []func(db *DB, tx *bbolt.Tx) error{
	// 1: buckets and the default surveys.
	func(_ *DB, tx *bbolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		for _, s := range survey.DefaultSurveys() {
			s.CreatedAt = time.Unix(0, 0).UTC()
			if err := putSurvey(tx, s); err != nil {
				return err
			}
		}
		return nil
	},
	// 2: sessions, audit log, receipt tokens, staff photos.
	func(_ *DB, tx *bbolt.Tx) error {
		for _, name := range [][]byte{bSessions, bAudit, bReceipts, bPhotos} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
	// 3: improvement actions.
	func(_ *DB, tx *bbolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bActions)
		return err
	},
	// 4: dossiers from JSON to the binary layout.
	func(_ *DB, tx *bbolt.Tx) error {
		b := tx.Bucket(bDossiers)
		var keys, vals [][]byte
		err := b.ForEach(func(k, v []byte) error {
			if len(v) > 0 && v[0] == '{' {
				var d survey.Dossier
				if err := decodeDossier(v, &d); err != nil {
					return fmt.Errorf("dossier %q: %w", k[8:], err)
				}
				keys, vals = append(keys, append([]byte(nil), k...)), append(vals, encodeDossier(&d))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i := range keys {
			if err := b.Put(keys[i], vals[i]); err != nil {
				return err
			}
		}
		return nil
	},
	// 5: the tamper-evident log (docs/INTEGRITY.md), built for the responses
	// stored so far, in key order, as of today.
	func(db *DB, tx *bbolt.Tx) error { return db.buildLog(tx) },
	// 6: cases and their contacts, holidays, webhooks and the outbox.
	func(_ *DB, tx *bbolt.Tx) error {
		for _, name := range [][]byte{bCases, bCaseResp, bContacts, bHolidays, bWebhooks, bOutbox, bOutQueue} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
	// 7: the working-day calendar's default holidays (the administrator
	// keeps them from then on).
	func(_ *DB, tx *bbolt.Tx) error { return seedHolidays(tx) },
	// 8: the dossiers' Negative mark (the 766 per-dossier rate) from the
	// responses linked to them.
	func(_ *DB, tx *bbolt.Tx) error { return markDossierAnswers(tx) },
}

// markDossierAnswers marks every dossier that a stored response names as
// answered and, when that response has a negative answer, Negative.
func markDossierAnswers(tx *bbolt.Tx) error {
	d, err := loadDict(tx)
	if err != nil {
		return err
	}
	sv, ncrit, err := txSurveys(tx, d)
	if err != nil {
		return err
	}
	type mark struct {
		code     string
		negative bool
	}
	var marks []mark // collected first: no Put while a cursor walks another bucket's pages
	err = tx.Bucket(bResponses).ForEach(func(k, v []byte) error {
		rc, err := decodeRec(k, v, ncrit)
		if err != nil {
			return fmt.Errorf("response %x: %w", k, err)
		}
		if s := sv(rc.svy, rc.version); rc.dossier != "" && s != nil {
			marks = append(marks, mark{rc.dossier, recNegative(rc, s)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, m := range marks {
		if err := markAnswered(tx, m.code, m.negative); err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion is the schema this binary writes.
var SchemaVersion = len(migrations)

func (db *DB) migrate() error {
	if err := db.backupBeforeUpgrade(); err != nil {
		return err
	}
	return db.update(func(tx *bbolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bMeta)
		if err != nil {
			return err
		}
		v := 0
		if b := meta.Get([]byte("schema")); len(b) == 4 {
			v = int(binary.BigEndian.Uint32(b))
		}
		if v > len(migrations) {
			return fmt.Errorf("database schema %d is newer than this binary (%d): upgrade hailong", v, len(migrations))
		}
		for i := v; i < len(migrations); i++ {
			if err := migrations[i](db, tx); err != nil {
				return fmt.Errorf("migration %d: %w", i+1, err)
			}
			db.log.Info("migrated database", "schema", i+1)
		}
		return tx.Bucket(bMeta).Put([]byte("schema"), u32(uint32(len(migrations))))
	})
}

// storedSchema is the schema version in the file (0 for a new file).
func (db *DB) storedSchema() int {
	v := 0
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		if meta := tx.Bucket(bMeta); meta != nil {
			if b := meta.Get([]byte("schema")); len(b) == 4 {
				v = int(binary.BigEndian.Uint32(b))
			}
		}
		return nil
	})
	return v
}

// backupBeforeUpgrade copies an existing database to
// <path>.schema-<v>.bak before migrations change it, so that an upgrade can
// be undone by putting the old binary and this file back.
func (db *DB) backupBeforeUpgrade() error {
	v := db.storedSchema()
	if v == 0 || v >= len(migrations) {
		return nil
	}
	dst := fmt.Sprintf("%s.schema-%d.bak", db.Path, v)
	n, err := db.BackupFile(dst)
	if err != nil {
		return fmt.Errorf("backup before upgrading the database: %w", err)
	}
	db.log.Info("backed up before upgrading", "file", dst, "bytes", n, "from_schema", v, "to_schema", len(migrations))
	return nil
}
