package csvin

import (
	"fmt"
	"hailong/survey"
	"io"
	"time"
)

// UnitStore is what ImportUnits needs of a store.
type UnitStore interface {
	Unit(id string) *survey.Unit
	PutUnits(units []survey.Unit) error
}

var unitColumns = map[string]bool{"id": true, "name": true, "parent": true, "group": true}

// ImportUnits creates or updates in st the units of a CSV file with the
// columns id,name,parent,group (parent and group may be empty; a unit may
// come before its parent). Groups are created on first use. All or nothing.
// Errors: *ImportError (EINVALID) with line-numbered problems, or a read
// error.
func ImportUnits(r io.Reader, st UnitStore) (survey.ImportStats, error) {
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
		if _, inFile := first[u.Parent]; u.Parent != "" && !inFile && st.Unit(u.Parent) == nil {
			t.add(lines[i], "parent", fmt.Sprintf("Đơn vị cấp trên %q không tồn tại. / Unknown parent unit %q.", u.Parent, u.Parent))
		}
	}
	if err := t.failed(); err != nil {
		return survey.ImportStats{}, err
	}
	if len(units) > 0 {
		if err := st.PutUnits(units); err != nil {
			return survey.ImportStats{}, t.storeError(err, "units", lines)
		}
	}
	return survey.ImportStats{Rows: len(units), Duration: time.Since(start)}, nil
}

// ProcedureStore is what ImportProcedures needs of a store.
type ProcedureStore interface {
	PutProcedures(ps []survey.Procedure) error
}

var procedureColumns = map[string]bool{"code": true, "name": true}

// ImportProcedures adds or renames in st the catalogue entries of a CSV
// file with the columns code,name (a header row first), all or nothing: a
// file with any problem stores nothing and the *ImportError lists them by
// line.
func ImportProcedures(r io.Reader, st ProcedureStore) (survey.ImportStats, error) {
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
	if err := st.PutProcedures(ps); err != nil {
		return survey.ImportStats{}, t.storeError(err, "procedures", lines)
	}
	return survey.ImportStats{Rows: len(ps), Duration: time.Since(start)}, nil
}
