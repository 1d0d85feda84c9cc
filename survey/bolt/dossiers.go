package bolt

import (
	"encoding/binary"
	"fmt"
	"hailong/survey"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// Read-only helpers for analytics that Count and CountDossiers do not cover.

// EachDossier calls fn for every dossier of the given units received from..to
// (calendar days in the installation's zone, inclusive), unit by unit in
// received order, within one read transaction. fn must not keep d.
func (db *DB) EachDossier(units []string, from, to time.Time, fn func(d *survey.Dossier) error) error {
	loc := db.opts.Loc
	f, l := survey.DayOf(from, loc), survey.DayOf(to, loc)
	return db.bolt.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bDossiers).Cursor()
		var d survey.Dossier
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

// Dossiers are keyed unit id(4) | received day(4) | code, so that the
// dossiers of a unit received in a period are one range scan; dosscodes maps
// a code to that key.

func dossierKey(unit uint32, day int32, code string) []byte {
	k := make([]byte, 8, 8+len(code))
	binary.BigEndian.PutUint32(k, unit)
	binary.BigEndian.PutUint32(k[4:], uint32(day))
	return append(k, code...)
}

// PutDossiers creates or updates dossiers by code in one transaction: all or
// nothing. Errors: EINVALID with Field "dossiers[i].field".
func (db *DB) PutDossiers(ds []survey.Dossier) error {
	for i := range ds {
		if err := db.checkDossier(&ds[i]); err != nil {
			e := err.(*survey.Error)
			return &survey.Error{Code: e.Code, Field: fmt.Sprintf("dossiers[%d].%s", i, e.Field), Message: e.Message}
		}
	}
	return db.update(func(tx *bbolt.Tx) error {
		td := newTxDict(db.dict, tx)
		tx.OnCommit(td.publish)
		for i := range ds {
			if err := db.putDossier(tx, td, &ds[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

func (db *DB) checkDossier(d *survey.Dossier) error {
	if err := d.Validate(); err != nil {
		return err
	}
	if db.Unit(d.Unit) == nil {
		return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", d.Unit, d.Unit)
	}
	if d.Staff != "" && db.StaffMember(d.Staff) == nil {
		return survey.FieldError("staff", "Công chức %q không tồn tại. / Unknown staff member %q.", d.Staff, d.Staff)
	}
	return nil
}

func (db *DB) putDossier(tx *bbolt.Tx, td *txDict, d *survey.Dossier) error {
	uid, err := td.id(kindUnit, d.Unit)
	if err != nil {
		return err
	}
	key := dossierKey(uid, survey.DayOf(d.ReceivedAt, db.opts.Loc), d.Code)
	codes, b := tx.Bucket(bDossCodes), tx.Bucket(bDossiers)
	d.Negative = false // derived from the responses (markAnswered), never given
	var prev survey.Dossier
	if old := codes.Get([]byte(d.Code)); old != nil {
		if err := decodeDossier(b.Get(old), &prev); err != nil {
			return fmt.Errorf("dossier %q: %w", d.Code, err)
		}
		d.Negative = prev.Negative
		if d.TokenHash == nil {
			// An update without a receipt (a CSV import filling finished_at)
			// keeps the stored receipt: its token and whether it was answered.
			d.TokenHash, d.TokenExpires, d.Answered = prev.TokenHash, prev.TokenExpires, prev.Answered
		}
		if string(old) != string(key) {
			if err := b.Delete(old); err != nil {
				return err
			}
		}
	}
	if err := codes.Put([]byte(d.Code), key); err != nil {
		return err
	}
	if err := db.emitFinished(tx, d, prev.FinishedAt); err != nil {
		return err
	}
	return b.Put(key, encodeDossier(d))
}

// Dossier returns the dossier with code, or ENOTFOUND.
func (db *DB) Dossier(code string) (*survey.Dossier, error) {
	var d *survey.Dossier
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		k := tx.Bucket(bDossCodes).Get([]byte(code))
		if k == nil {
			return survey.Errorf(survey.ENOTFOUND, "Không tìm thấy hồ sơ %q. / Dossier %q not found.", code, code)
		}
		d = &survey.Dossier{}
		return decodeDossier(tx.Bucket(bDossiers).Get(k), d)
	})
	return d, err
}

// CountDossiers returns the timeliness counts of dossiers of the given units
// received from..to (days in the installation's zone, inclusive).
func (db *DB) CountDossiers(units []string, from, to time.Time) (survey.Timeliness, error) {
	var t survey.Timeliness
	loc, now := db.opts.Loc, db.opts.Now()
	err := db.EachDossier(units, from, to, func(d *survey.Dossier) error {
		t.Add(d, now, loc)
		return nil
	})
	return t, err
}
