package bolt

import (
	"bytes"
	"fmt"
	"hailong/survey"
	"io"
	"time"

	bbolt "go.etcd.io/bbolt"
)

const procedurePrefix = "s:procedure:"

// Procedures returns the catalogue, by code.
func (db *DB) Procedures() []survey.Procedure {
	var out []survey.Procedure
	_ = db.bolt.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bMeta).Cursor()
		pre := []byte(procedurePrefix)
		for k, v := c.Seek(pre); k != nil && bytes.HasPrefix(k, pre); k, v = c.Next() {
			out = append(out, survey.Procedure{Code: string(k[len(pre):]), Name: string(v)})
		}
		return nil
	})
	return out
}

// ProcedureName returns the catalogue's name for code, "" when it has none.
func (db *DB) ProcedureName(code string) string {
	if code == "" {
		return ""
	}
	return db.meta("procedure:" + code)
}

// PutProcedures adds or renames catalogue entries, all or nothing. A
// validation error names the entry as "procedures[i].field".
func (db *DB) PutProcedures(ps []survey.Procedure) error {
	for i, p := range ps {
		if err := p.Validate(); err != nil {
			if e, ok := err.(*survey.Error); ok {
				return survey.FieldError(fmt.Sprintf("procedures[%d].%s", i, e.Field), "%s", e.Message)
			}
			return err
		}
	}
	return db.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bMeta)
		for _, p := range ps {
			if err := b.Put([]byte(procedurePrefix+p.Code), []byte(p.Name)); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteProcedure removes a catalogue entry. Responses and dossiers keep
// their code; it shows as the code from then on. ENOTFOUND when absent.
func (db *DB) DeleteProcedure(code string) error {
	return db.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bMeta)
		k := []byte(procedurePrefix + code)
		if code == "" || b.Get(k) == nil {
			return survey.Errorf(survey.ENOTFOUND, "Thủ tục %q không có trong danh mục. / Procedure %q is not in the catalogue.", code, code)
		}
		return b.Delete(k)
	})
}

var procedureColumns = map[string]bool{"code": true, "name": true}

// ImportProcedures adds or renames the catalogue entries of a CSV file with
// the columns code,name (a header row first), all or nothing: a file with
// any problem stores nothing and the *ImportError lists them by line.
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
