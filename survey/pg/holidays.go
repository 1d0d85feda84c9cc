package pg

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// Holidays of the working-day calendar: the holidays table, day
// YYYY-MM-DD → JSON Holiday, seeded with survey.DefaultHolidays by
// migration 2.

// Holidays returns the holidays, by day.
func (db *DB) Holidays() []survey.Holiday {
	return docs[survey.Holiday](db, "SELECT doc FROM holidays ORDER BY day")
}

// Calendar returns the working-day calendar in force.
func (db *DB) Calendar() survey.Calendar {
	return survey.NewCalendar(db.opts.Loc, db.Holidays())
}

// calendar is the calendar as tx sees it.
func (tx *wtx) calendar() (survey.Calendar, error) {
	rows, err := tx.Query(tx.c, "SELECT doc FROM holidays ORDER BY day")
	if err != nil {
		return survey.Calendar{}, err
	}
	var hs []survey.Holiday
	var b []byte
	_, err = pgx.ForEachRow(rows, []any{&b}, func() error {
		var h survey.Holiday
		if err := json.Unmarshal(b, &h); err != nil {
			return err
		}
		hs = append(hs, h)
		return nil
	})
	return survey.NewCalendar(tx.db.opts.Loc, hs), err
}

// PutHoliday adds or renames a holiday, audited. Errors: EINVALID.
func (db *DB) PutHoliday(h survey.Holiday, actor string) error {
	if err := h.Validate(); err != nil {
		return err
	}
	return db.update(func(tx *wtx) error {
		b, err := json.Marshal(h)
		if err != nil {
			return err
		}
		if _, err := tx.exec("INSERT INTO holidays (day, doc) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE SET doc = excluded.doc", h.Day, b); err != nil {
			return err
		}
		return tx.audit(survey.AuditEntry{Actor: actor, Action: "holiday.put", Target: h.Day, Detail: h.Name})
	})
}

// DeleteHoliday removes a holiday, audited. Errors: ENOTFOUND.
func (db *DB) DeleteHoliday(day, actor string) error {
	return db.update(func(tx *wtx) error {
		tag, err := tx.exec("DELETE FROM holidays WHERE day = $1", day)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return survey.Errorf(survey.ENOTFOUND, "Không có ngày nghỉ %q. / No holiday on %q.", day, day)
		}
		return tx.audit(survey.AuditEntry{Actor: actor, Action: "holiday.delete", Target: day})
	})
}

// seedHolidays stores the default holidays (migration 2).
func seedHolidays(c context.Context, tx pgx.Tx) error {
	for _, h := range survey.DefaultHolidays() {
		b, err := json.Marshal(h)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(c, "INSERT INTO holidays (day, doc) VALUES ($1, $2)", h.Day, b); err != nil {
			return err
		}
	}
	return nil
}
