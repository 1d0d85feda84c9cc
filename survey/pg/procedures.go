package pg

import (
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// The procedure catalogue: the procedures table, code → name.

// Procedures returns the catalogue, by code.
func (db *DB) Procedures() []survey.Procedure {
	rows, err := db.pool.Query(ctx(), "SELECT code, name FROM procedures ORDER BY code")
	if err != nil {
		return nil
	}
	var out []survey.Procedure
	var p survey.Procedure
	_, _ = pgx.ForEachRow(rows, []any{&p.Code, &p.Name}, func() error { out = append(out, p); return nil })
	return out
}

// ProcedureName returns the catalogue's name for code, "" when it has none.
func (db *DB) ProcedureName(code string) string {
	var name string
	if code != "" {
		_ = db.pool.QueryRow(ctx(), "SELECT name FROM procedures WHERE code = $1", code).Scan(&name)
	}
	return name
}

// PutProcedures adds or renames catalogue entries, all or nothing.
// Errors: EINVALID with Field "procedures[i].field".
func (db *DB) PutProcedures(ps []survey.Procedure) error {
	for i, p := range ps {
		if err := p.Validate(); err != nil {
			if e, ok := err.(*survey.Error); ok {
				return survey.FieldError(fmt.Sprintf("procedures[%d].%s", i, e.Field), "%s", e.Message)
			}
			return err
		}
	}
	return db.update(func(tx *wtx) error {
		for _, p := range ps {
			if _, err := tx.exec(`INSERT INTO procedures (code, name) VALUES ($1, $2)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name`, p.Code, p.Name); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteProcedure removes a catalogue entry. ENOTFOUND when absent.
func (db *DB) DeleteProcedure(code string) error {
	return db.update(func(tx *wtx) error {
		tag, err := tx.exec("DELETE FROM procedures WHERE code = $1", code)
		if err == nil && (code == "" || tag.RowsAffected() == 0) {
			return survey.Errorf(survey.ENOTFOUND, "Thủ tục %q không có trong danh mục. / Procedure %q is not in the catalogue.", code, code)
		}
		return err
	})
}

var procedureColumns = map[string]bool{"code": true, "name": true}

// ImportProcedures adds or renames the catalogue entries of a CSV file
// (code,name), all or nothing. Errors: *ImportError, or a read error.
func (db *DB) ImportProcedures(r io.Reader) (survey.ImportStats, error) {
	start := time.Now()
	t, err := newTable(r, func(c string) bool { return procedureColumns[c] }, "code", "name")
	if err != nil {
		return survey.ImportStats{}, err
	} else if err := t.failed(); err != nil {
		return survey.ImportStats{}, err
	}
	cCode, cName := t.col("code"), t.col("name")
	ps, lines, _, err := readRows(t, func() (survey.Procedure, string, error) {
		p := survey.Procedure{Code: t.get(cCode), Name: t.get(cName)}
		return p, p.Code, p.Validate()
	}, "code", func(code string, l int) string {
		return fmt.Sprintf("Mã thủ tục %q đã có ở dòng %d. / Procedure code %q already appears on line %d.", code, l, code, l)
	})
	if err != nil {
		return survey.ImportStats{}, err
	}
	if err := t.failed(); err != nil {
		return survey.ImportStats{}, err
	}
	if len(ps) == 0 {
		t.add(2, "", "Tệp không có dòng dữ liệu nào. / The file has no data rows.")
		return survey.ImportStats{}, t.failed()
	}
	if err := db.PutProcedures(ps); err != nil {
		return survey.ImportStats{}, t.storeError(err, "procedures", lines)
	}
	return survey.ImportStats{Rows: len(ps), Duration: time.Since(start)}, nil
}

var unitColumns = map[string]bool{"id": true, "name": true, "parent": true, "group": true}

// ImportUnits creates or updates the units of a CSV file
// (id,name,parent,group), all or nothing. Errors: *ImportError, or a read
// error.
func (db *DB) ImportUnits(r io.Reader) (survey.ImportStats, error) {
	start := time.Now()
	t, err := newTable(r, func(c string) bool { return unitColumns[c] }, "id", "name")
	if err != nil {
		return survey.ImportStats{}, err
	} else if err := t.failed(); err != nil {
		return survey.ImportStats{}, err
	}
	cID, cName, cParent, cGroup := t.col("id"), t.col("name"), t.col("parent"), t.col("group")
	units, lines, first, err := readRows(t, func() (survey.Unit, string, error) {
		u := survey.Unit{ID: t.get(cID), Name: t.get(cName), Parent: t.get(cParent), Group: t.get(cGroup)}
		return u, u.ID, u.Validate()
	}, "id", func(id string, l int) string {
		return fmt.Sprintf("Mã đơn vị %q đã có ở dòng %d. / Unit id %q already appears on line %d.", id, l, id, l)
	})
	if err != nil {
		return survey.ImportStats{}, err
	}
	for i, u := range units {
		if _, inFile := first[u.Parent]; u.Parent != "" && !inFile && db.Unit(u.Parent) == nil {
			t.add(lines[i], "parent", fmt.Sprintf("Đơn vị cấp trên %q không tồn tại. / Unknown parent unit %q.", u.Parent, u.Parent))
		}
	}
	if err := t.failed(); err != nil {
		return survey.ImportStats{}, err
	}
	if len(units) > 0 {
		if err := db.PutUnits(units); err != nil {
			return survey.ImportStats{}, t.storeError(err, "units", lines)
		}
	}
	return survey.ImportStats{Rows: len(units), Duration: time.Since(start)}, nil
}
