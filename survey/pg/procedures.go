package pg

import (
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
	"hailong/survey/csvin"
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

// ImportProcedures adds or renames the catalogue entries of a CSV file
// (code,name; see csvin.ImportProcedures), all or nothing. Errors:
// *ImportError, or a read error.
func (db *DB) ImportProcedures(r io.Reader) (survey.ImportStats, error) {
	return csvin.ImportProcedures(r, db)
}

// ImportUnits creates or updates the units of a CSV file
// (id,name,parent,group; see csvin.ImportUnits), all or nothing. Errors:
// *ImportError, or a read error.
func (db *DB) ImportUnits(r io.Reader) (survey.ImportStats, error) {
	return csvin.ImportUnits(r, db)
}
