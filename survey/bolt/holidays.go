package bolt

import (
	"encoding/json"
	"hailong/survey"

	bbolt "go.etcd.io/bbolt"
)

// Holidays of the working-day calendar: bucket "holidays", day YYYY-MM-DD →
// JSON Holiday; seeded with survey.DefaultHolidays by migration 7.

// Holidays returns the holidays, by day.
func (db *DB) Holidays() []survey.Holiday {
	var hs []survey.Holiday
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		hs = holidays(tx)
		return nil
	})
	return hs
}

func holidays(tx *bbolt.Tx) []survey.Holiday {
	var hs []survey.Holiday
	_ = tx.Bucket(bHolidays).ForEach(func(_, v []byte) error {
		var h survey.Holiday
		if json.Unmarshal(v, &h) == nil {
			hs = append(hs, h)
		}
		return nil
	})
	return hs // keys are days: sorted
}

// Calendar returns the working-day calendar in force.
func (db *DB) Calendar() survey.Calendar {
	return survey.NewCalendar(db.opts.Loc, db.Holidays())
}

func (db *DB) calendar(tx *bbolt.Tx) survey.Calendar {
	return survey.NewCalendar(db.opts.Loc, holidays(tx))
}

// PutHoliday adds or renames a holiday, audited. Errors: EINVALID.
func (db *DB) PutHoliday(h survey.Holiday, actor string) error {
	if err := h.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *bbolt.Tx) error {
		if err := putJSON(tx, bHolidays, h.Day, h); err != nil {
			return err
		}
		return putAudit(tx, db.opts.Now(), survey.AuditEntry{Actor: actor, Action: "holiday.put", Target: h.Day, Detail: h.Name})
	})
}

// DeleteHoliday removes a holiday, audited. Errors: ENOTFOUND.
func (db *DB) DeleteHoliday(day, actor string) error {
	return db.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bHolidays)
		if b.Get([]byte(day)) == nil {
			return survey.Errorf(survey.ENOTFOUND, "Không có ngày nghỉ %q. / No holiday on %q.", day, day)
		}
		if err := b.Delete([]byte(day)); err != nil {
			return err
		}
		return putAudit(tx, db.opts.Now(), survey.AuditEntry{Actor: actor, Action: "holiday.delete", Target: day})
	})
}

// seedHolidays stores the default holidays (migration 7).
func seedHolidays(tx *bbolt.Tx) error {
	for _, h := range survey.DefaultHolidays() {
		if err := putJSON(tx, bHolidays, h.Day, h); err != nil {
			return err
		}
	}
	return nil
}
