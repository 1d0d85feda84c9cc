package pg

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// Dossiers: the dossiers table, code → JSON Dossier, indexed by unit and
// received time so that a unit's dossiers of a period are one range scan.
// A receipt token is a row of receipts (SHA-256 → code).

func (db *DB) dayBounds(from, to time.Time) (time.Time, time.Time) {
	loc := db.opts.Loc
	return survey.DayStart(survey.DayOf(from, loc), loc), survey.DayStart(survey.DayOf(to, loc)+1, loc)
}

// EachDossier calls fn for every dossier of the given units received
// from..to (days in the zone, inclusive), unit by unit in received order,
// within one read transaction. fn must not keep d.
func (db *DB) EachDossier(units []string, from, to time.Time, fn func(d *survey.Dossier) error) error {
	lo, hi := db.dayBounds(from, to)
	return db.view(func(tx pgx.Tx) error {
		for _, u := range units {
			rows, err := tx.Query(ctx(), `SELECT doc FROM dossiers WHERE unit = $1 AND received_at >= $2 AND received_at < $3
				ORDER BY received_at, code`, u, lo, hi)
			if err != nil {
				return err
			}
			var b []byte
			_, err = pgx.ForEachRow(rows, []any{&b}, func() error {
				var d survey.Dossier
				if err := json.Unmarshal(b, &d); err != nil {
					return err
				}
				return fn(&d)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// CountDossiers returns the timeliness counts of dossiers of the given
// units received from..to.
func (db *DB) CountDossiers(units []string, from, to time.Time) (survey.Timeliness, error) {
	var t survey.Timeliness
	loc, now := db.opts.Loc, db.opts.Now()
	err := db.EachDossier(units, from, to, func(d *survey.Dossier) error {
		t.Add(d, now, loc)
		return nil
	})
	return t, err
}

// PutDossiers creates or updates dossiers by code in one transaction: all
// or nothing. Errors: EINVALID with Field "dossiers[i].field".
func (db *DB) PutDossiers(ds []survey.Dossier) error {
	s := db.snap()
	for i := range ds {
		if err := s.checkDossier(&ds[i]); err != nil {
			e := err.(*survey.Error)
			return &survey.Error{Code: e.Code, Field: fmt.Sprintf("dossiers[%d].%s", i, e.Field), Message: e.Message}
		}
	}
	return db.update(func(tx *wtx) error {
		for i := range ds {
			if err := tx.putDossier(&ds[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *snapshot) checkDossier(d *survey.Dossier) error {
	if err := d.Validate(); err != nil {
		return err
	}
	if s.units[d.Unit] == nil {
		return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", d.Unit, d.Unit)
	}
	if d.Staff != "" && s.staff[d.Staff] == nil {
		return survey.FieldError("staff", "Công chức %q không tồn tại. / Unknown staff member %q.", d.Staff, d.Staff)
	}
	return nil
}

// putDossier stores d; an update without a receipt (an import filling
// finished_at) keeps the stored receipt: its token and whether answered.
func (tx *wtx) putDossier(d *survey.Dossier) error {
	if d.TokenHash == nil {
		prev, err := tx.dossier(d.Code)
		if err != nil {
			return err
		}
		if prev != nil {
			d.TokenHash, d.TokenExpires, d.Answered = prev.TokenHash, prev.TokenExpires, prev.Answered
		}
	}
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = tx.exec(`INSERT INTO dossiers (code, unit, received_at, doc) VALUES ($1, $2, $3, $4)
		ON CONFLICT (code) DO UPDATE SET unit = excluded.unit, received_at = excluded.received_at, doc = excluded.doc`,
		d.Code, d.Unit, d.ReceivedAt, b)
	return err
}

// dossier reads the dossier with code inside tx (nil when none).
func (tx *wtx) dossier(code string) (*survey.Dossier, error) {
	return scanDossier(tx.queryRow("SELECT doc FROM dossiers WHERE code = $1", code))
}

func scanDossier(row pgx.Row) (*survey.Dossier, error) {
	var b []byte
	if err := row.Scan(&b); err != nil {
		if isNoRows(err) {
			return nil, nil
		}
		return nil, err
	}
	d := &survey.Dossier{}
	return d, json.Unmarshal(b, d)
}

// Dossier returns the dossier with code, or ENOTFOUND.
func (db *DB) Dossier(code string) (*survey.Dossier, error) {
	d, err := scanDossier(db.pool.QueryRow(ctx(), "SELECT doc FROM dossiers WHERE code = $1", code))
	if err == nil && d == nil {
		return nil, survey.Errorf(survey.ENOTFOUND, "Không tìm thấy hồ sơ %q. / Dossier %q not found.", code, code)
	}
	return d, err
}

// FinishDossier records that the result of dossier code was returned at
// finished, with supplement days (nil keeps them). Errors: ENOTFOUND,
// EINVALID.
func (db *DB) FinishDossier(code string, finished time.Time, supplement *int) (*survey.Dossier, error) {
	if db.Closing() {
		return nil, survey.ErrClosed
	}
	var out *survey.Dossier
	err := db.update(func(tx *wtx) error {
		d, err := tx.dossier(code)
		if err != nil {
			return err
		}
		if d == nil {
			return survey.Errorf(survey.ENOTFOUND, "Không tìm thấy hồ sơ %q. / Dossier %q not found.", code, code)
		}
		d.FinishedAt = finished
		if supplement != nil {
			d.SupplementDays = *supplement
		}
		if err := d.Validate(); err != nil {
			return err
		}
		out = d
		return tx.putDossier(d)
	})
	return out, err
}
