package survey

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// Procedure is an administrative procedure (thủ tục hành chính) of the
// catalogue: its code, as the one-stop system and the receipts use it, and
// its name. Slips, the mobile form, the dashboard's breakdown by procedure
// and the report show the name; a code without a catalogue entry shows as
// the code. Stored in the meta bucket as "procedure:<code>" = name.
type Procedure struct {
	Code, Name string
}

// MaxProcedureName bounds a procedure's name (the longest official names
// are about 250 characters).
const MaxProcedureName = 400

const procedurePrefix = "s:procedure:"

// Validate checks a catalogue entry: a code as responses and dossiers
// accept it (non-empty), and a name.
func (p Procedure) Validate() error {
	if p.Code == "" {
		return FieldError("code", "Thiếu mã thủ tục. / The procedure code is missing.")
	}
	if err := checkCode("code", p.Code); err != nil {
		return err
	}
	switch {
	case p.Name == "":
		return FieldError("name", "Thiếu tên thủ tục. / The procedure name is missing.")
	case !utf8.ValidString(p.Name) || utf8.RuneCountInString(p.Name) > MaxProcedureName:
		return FieldError("name", "Tên thủ tục dài quá %d ký tự hoặc không hợp lệ. / Name invalid or longer than %d characters.", MaxProcedureName, MaxProcedureName)
	case strings.IndexFunc(p.Name, unicode.IsControl) >= 0:
		return FieldError("name", "Tên thủ tục chứa ký tự điều khiển. / The name contains control characters.")
	}
	return nil
}

// Procedures returns the catalogue, by code.
func (db *DB) Procedures() []Procedure {
	var out []Procedure
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bMeta).Cursor()
		pre := []byte(procedurePrefix)
		for k, v := c.Seek(pre); k != nil && bytes.HasPrefix(k, pre); k, v = c.Next() {
			out = append(out, Procedure{Code: string(k[len(pre):]), Name: string(v)})
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
	return db.Meta("procedure:" + code)
}

// PutProcedures adds or renames catalogue entries, all or nothing. A
// validation error names the entry as "procedures[i].field".
func (db *DB) PutProcedures(ps []Procedure) error {
	for i, p := range ps {
		if err := p.Validate(); err != nil {
			if e, ok := err.(*Error); ok {
				return FieldError(fmt.Sprintf("procedures[%d].%s", i, e.Field), "%s", e.Message)
			}
			return err
		}
	}
	return db.update(func(tx *bolt.Tx) error {
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
	return db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bMeta)
		k := []byte(procedurePrefix + code)
		if code == "" || b.Get(k) == nil {
			return Errorf(ENOTFOUND, "Thủ tục %q không có trong danh mục. / Procedure %q is not in the catalogue.", code, code)
		}
		return b.Delete(k)
	})
}

var procedureColumns = map[string]bool{"code": true, "name": true}

// ImportProcedures adds or renames the catalogue entries of a CSV file with
// the columns code,name (a header row first), all or nothing: a file with
// any problem stores nothing and the *ImportError lists them by line.
func (db *DB) ImportProcedures(r io.Reader) (ImportStats, error) {
	start := time.Now()
	t, err := newTable(r, func(c string) bool { return procedureColumns[c] }, "code", "name")
	if err != nil {
		return ImportStats{}, err
	} else if err := t.failed(); err != nil {
		return ImportStats{}, err
	}
	cCode, cName := t.col("code"), t.col("name")
	var ps []Procedure
	var lines []int
	first := map[string]int{}
	for {
		ok, err := t.next()
		if err != nil {
			return ImportStats{}, err
		} else if !ok {
			break
		}
		p := Procedure{Code: t.get(cCode), Name: t.get(cName)}
		if err := p.Validate(); err != nil {
			if err := t.addErr(t.line, err, sameName); err != nil {
				return ImportStats{}, err
			}
			continue
		}
		if l, dup := first[p.Code]; dup {
			t.add(t.line, "code", fmt.Sprintf("Mã thủ tục %q đã có ở dòng %d. / Procedure code %q already appears on line %d.", p.Code, l, p.Code, l))
			continue
		}
		first[p.Code] = t.line
		ps, lines = append(ps, p), append(lines, t.line)
	}
	if err := t.failed(); err != nil {
		return ImportStats{}, err
	}
	if len(ps) == 0 {
		t.add(2, "", "Tệp không có dòng dữ liệu nào. / The file has no data rows.")
		return ImportStats{}, t.failed()
	}
	if err := db.PutProcedures(ps); err != nil {
		return ImportStats{}, t.storeError(err, "procedures", lines)
	}
	return ImportStats{Rows: len(ps), Duration: time.Since(start)}, nil
}
