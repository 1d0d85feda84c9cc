package survey

import (
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

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
func (db *DB) PutDossiers(ds []Dossier) error {
	for i := range ds {
		if err := db.checkDossier(&ds[i]); err != nil {
			e := err.(*Error)
			return &Error{Code: e.Code, Field: fmt.Sprintf("dossiers[%d].%s", i, e.Field), Message: e.Message}
		}
	}
	return db.update(func(tx *bolt.Tx) error {
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

func (db *DB) checkDossier(d *Dossier) error {
	if err := d.Validate(); err != nil {
		return err
	}
	if db.Unit(d.Unit) == nil {
		return FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", d.Unit, d.Unit)
	}
	if d.Staff != "" && db.StaffMember(d.Staff) == nil {
		return FieldError("staff", "Công chức %q không tồn tại. / Unknown staff member %q.", d.Staff, d.Staff)
	}
	return nil
}

func (db *DB) putDossier(tx *bolt.Tx, td *txDict, d *Dossier) error {
	uid, err := td.id(kindUnit, d.Unit)
	if err != nil {
		return err
	}
	key := dossierKey(uid, DayOf(d.ReceivedAt, db.opts.Loc), d.Code)
	codes, b := tx.Bucket(bDossCodes), tx.Bucket(bDossiers)
	if old := codes.Get([]byte(d.Code)); old != nil {
		if d.TokenHash == nil {
			// An update without a receipt (a CSV import filling finished_at)
			// keeps the stored receipt: its token and whether it was answered.
			var prev Dossier
			if err := decodeDossier(b.Get(old), &prev); err != nil {
				return fmt.Errorf("dossier %q: %w", d.Code, err)
			}
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
	return b.Put(key, encodeDossier(d))
}

// Dossier returns the dossier with code, or ENOTFOUND.
func (db *DB) Dossier(code string) (*Dossier, error) {
	var d *Dossier
	err := db.bolt.View(func(tx *bolt.Tx) error {
		k := tx.Bucket(bDossCodes).Get([]byte(code))
		if k == nil {
			return Errorf(ENOTFOUND, "Không tìm thấy hồ sơ %q. / Dossier %q not found.", code, code)
		}
		d = &Dossier{}
		return decodeDossier(tx.Bucket(bDossiers).Get(k), d)
	})
	return d, err
}

// Timeliness counts the dossiers of units received in [from, to] (calendar
// days, inclusive), as of now.
type Timeliness struct {
	Received, Finished, Early, OnTime, Late, InProgress int
	InProgressNotOverdue                                int
}

// Add counts dossier d as of now, with days cut in loc.
func (t *Timeliness) Add(d *Dossier, now time.Time, loc *time.Location) {
	t.Received++
	switch d.Outcome(loc) {
	case Early:
		t.Early++
	case OnTime:
		t.OnTime++
	case Late:
		t.Late++
	default:
		t.InProgress++
		if !d.Overdue(now, loc) {
			t.InProgressNotOverdue++
		}
	}
	t.Finished = t.Early + t.OnTime + t.Late
}

// CountDossiers returns the timeliness counts of dossiers of the given units
// received from..to (days in the installation's zone, inclusive).
func (db *DB) CountDossiers(units []string, from, to time.Time) (Timeliness, error) {
	var t Timeliness
	loc, now := db.opts.Loc, db.opts.Now()
	err := db.EachDossier(units, from, to, func(d *Dossier) error {
		t.Add(d, now, loc)
		return nil
	})
	return t, err
}
