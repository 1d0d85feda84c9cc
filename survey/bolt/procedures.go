package bolt

import (
	"bytes"
	"fmt"
	"hailong/survey"
	"hailong/survey/csvin"
	"io"

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

// ImportProcedures adds or renames the catalogue entries of a CSV file with
// the columns code,name (see csvin.ImportProcedures), all or nothing: a file
// with any problem stores nothing and the *ImportError lists them by line.
func (db *DB) ImportProcedures(r io.Reader) (survey.ImportStats, error) {
	return csvin.ImportProcedures(r, db)
}
