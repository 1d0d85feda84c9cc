package csvin

import (
	"fmt"
	"hailong/survey"
	"io"
	"strconv"
	"time"
)

// Dossiers is what an import of dossiers needs of a store.
type Dossiers struct {
	Loc *time.Location // the installation's zone: dates and times without one
	// Check validates a parsed dossier against the store (unit, procedure,
	// staff); an EINVALID error is a problem of its row.
	Check func(d *survey.Dossier) error
	// KeepStaff carries over, from the stored dossiers with the same codes,
	// the staff member; called when the file has no staff column.
	KeepStaff func(ds []survey.Dossier) error
	// Put stores the dossiers, all or nothing (survey.DossierService).
	Put func(ds []survey.Dossier) error
}

var dossierColumns = map[string]bool{"code": true, "unit": true, "procedure": true, "staff": true,
	"received_at": true, "due_at": true, "finished_at": true, "supplement_days": true}

// Import creates or updates dossiers by code from a CSV file with
// the columns code,unit,procedure,received_at,due_at,finished_at,
// supplement_days (finished_at and supplement_days may be empty; an optional
// staff column names the staff member). A date alone means 00:00 that day in
// the installation's zone, except that a due or finish date alone on the day
// of a receipt time means that time (not a moment before the receipt).
// Re-importing a code updates it (e.g. to fill finished_at) and keeps its
// receipt's survey token; within one file the last row of a code wins. All
// or nothing; the file is read into memory. Errors: *ImportError
// (EINVALID), or a read error.
func (h Dossiers) Import(r io.Reader) (survey.ImportStats, error) {
	start := time.Now()
	t, err := newTable(r, func(c string) bool { return dossierColumns[c] }, "code", "unit", "received_at", "due_at")
	if err != nil {
		return survey.ImportStats{}, err
	} else if err := t.failed(); err != nil {
		return survey.ImportStats{}, err
	}
	var ds []survey.Dossier
	var lines []int
	for {
		ok, err := t.next()
		if err != nil {
			return survey.ImportStats{}, err
		} else if !ok {
			break
		}
		d, ok := dossierRow(t, h.Loc)
		if !ok {
			continue
		}
		if err := h.Check(&d); err != nil {
			if err := t.addErr(t.line, err, sameName); err != nil {
				return survey.ImportStats{}, err
			}
			continue
		}
		ds, lines = append(ds, d), append(lines, t.line)
	}
	if err := t.failed(); err != nil {
		return survey.ImportStats{}, err
	}
	if len(ds) == 0 {
		return survey.ImportStats{Duration: time.Since(start)}, nil
	}
	if t.col("staff") < 0 {
		if err := h.KeepStaff(ds); err != nil {
			return survey.ImportStats{}, err
		}
	}
	if err := h.Put(ds); err != nil {
		return survey.ImportStats{}, t.storeError(err, "dossiers", lines)
	}
	return survey.ImportStats{Rows: len(ds), Duration: time.Since(start)}, nil
}

// dossierRow parses the current row, dates and times without a zone in
// loc; problems are recorded in t.
func dossierRow(t *table, loc *time.Location) (survey.Dossier, bool) {
	d := survey.Dossier{Code: t.get(t.col("code")), Unit: t.get(t.col("unit")),
		Procedure: t.get(t.col("procedure")), Staff: t.get(t.col("staff"))}
	ok := true
	var dateOnly [3]bool
	for i, f := range []struct {
		col string
		dst *time.Time
	}{{"received_at", &d.ReceivedAt}, {"due_at", &d.DueAt}, {"finished_at", &d.FinishedAt}} {
		s := t.get(t.col(f.col))
		if s == "" {
			continue // a missing received or due date is reported by Validate
		}
		tm, only, good := parseTime(s, loc)
		switch {
		case !good:
			t.add(t.line, f.col, badTime(s))
			ok = false
		case tm.Year() < 2000 || tm.Year() > 2999:
			t.add(t.line, f.col, fmt.Sprintf("Ngày %q ngoài khoảng 2000–2999. / Date %q is outside 2000–2999.", s, s))
			ok = false
		default:
			*f.dst, dateOnly[i] = tm.In(loc), only
		}
	}
	if s := t.get(t.col("supplement_days")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.add(t.line, "supplement_days", fmt.Sprintf("Số ngày bổ sung %q không phải số nguyên. / Supplement days %q is not a whole number.", s, s))
			ok = false
		}
		d.SupplementDays = n
	}
	// A due or finish date given without a time, on the day of a receipt
	// given with one, means that day: not "before the receipt".
	for i, dst := range []*time.Time{&d.DueAt, &d.FinishedAt} {
		if dateOnly[i+1] && dst.Before(d.ReceivedAt) && survey.DayOf(*dst, loc) == survey.DayOf(d.ReceivedAt, loc) {
			*dst = d.ReceivedAt
		}
	}
	return d, ok
}
