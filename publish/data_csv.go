package publish

import (
	"bytes"
	"encoding/csv"
	"strconv"
)

// csvColumns is the header of data.csv (docs/OPEN_DATA.md "CSV"): one row
// per agency index, element, criterion, dossier table, counter and staff
// member; a cell that does not apply to a row's kind, or is withheld, is
// empty (a withheld row says why in reason).
var csvColumns = []string{"schema_version", "period", "from", "to", "method", "min_n", "group", "group_name", "unit", "unit_name",
	"kind", "key", "element", "label_vi", "label_en", "scale", "reason", "n", "satisfied",
	"level_1", "level_2", "level_3", "level_4", "level_5", "not_applicable", "value", "ci_low", "ci_high",
	"rank", "ranked", "previous_value", "previous_rank", "delta_pp",
	"received", "early", "on_time", "late", "in_progress", "in_progress_overdue", "rate_766"}

// csvRow builds one row by column name.
type csvRow map[string]string

func num[T int | uint64](p *T) string {
	if p == nil {
		return ""
	}
	return strconv.FormatUint(uint64(*p), 10)
}

func dec(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', 2, 64)
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// buildCSV writes the open data as CSV: UTF-8 with a byte-order mark (so
// that Excel reads the Vietnamese names), a header row, decimal points.
func buildCSV(d *dataJSON) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	if err := w.Write(csvColumns); err != nil {
		return nil, err
	}
	common := csvRow{"schema_version": strconv.Itoa(d.SchemaVersion), "period": d.Period.Key, "from": d.Period.From,
		"to": d.Period.To, "method": d.Method, "min_n": strconv.Itoa(d.MinN)}
	for _, g := range d.Groups {
		for _, u := range g.Units {
			base := csvRow{"group": g.ID, "group_name": g.Name, "unit": u.ID, "unit_name": u.Name}
			for _, r := range unitRows(g, u) {
				line := make([]string, len(csvColumns))
				for i, col := range csvColumns {
					v, ok := r[col]
					if !ok {
						v, ok = base[col]
					}
					if !ok {
						v = common[col]
					}
					line[i] = safeCell(v)
				}
				if err := w.Write(line); err != nil {
					return nil, err
				}
			}
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// unitRows are an agency's rows: index, elements, criteria, dossiers,
// counters, staff.
func unitRows(g groupJSON, u unitJSON) []csvRow {
	idx := csvRow{"kind": "index", "reason": str(u.Reason), "n": num(u.Responses), "value": dec(u.Index),
		"ci_low": dec(u.CILow), "ci_high": dec(u.CIHigh), "rank": num(u.Rank), "ranked": strconv.Itoa(g.Ranked), "delta_pp": dec(u.DeltaPP)}
	if p := u.Previous; p != nil {
		idx["previous_value"], idx["previous_rank"] = dec(p.Index), num(p.Rank)
	}
	rows := []csvRow{idx}
	for _, e := range u.Elements {
		rows = append(rows, csvRow{"kind": "element", "key": e.Key, "label_vi": e.LabelVi, "label_en": e.LabelEn,
			"reason": str(e.Reason), "n": num(e.N), "value": dec(e.Value)})
	}
	for _, c := range u.Criteria {
		r := csvRow{"kind": "criterion", "key": c.Key, "element": c.Element, "label_vi": c.LabelVi, "label_en": c.LabelEn,
			"scale": strconv.Itoa(c.Scale), "reason": str(c.Reason), "n": num(c.N), "satisfied": num(c.Satisfied),
			"not_applicable": num(c.NotApplicable), "value": dec(c.Value), "ci_low": dec(c.CILow), "ci_high": dec(c.CIHigh)}
		for i, n := range c.Levels {
			r["level_"+strconv.Itoa(i+1)] = strconv.FormatUint(n, 10)
		}
		rows = append(rows, r)
	}
	t := u.Dossiers
	rows = append(rows, csvRow{"kind": "dossiers", "reason": str(t.Reason), "n": num(t.Received), "received": num(t.Received),
		"early": num(t.Early), "on_time": num(t.OnTime), "late": num(t.Late), "in_progress": num(t.InProgress),
		"in_progress_overdue": num(t.InProgressOverdue), "rate_766": dec(t.Rate766)})
	for _, m := range u.Counters {
		rows = append(rows, memberRow("counter", m))
	}
	for _, m := range u.Staff {
		rows = append(rows, memberRow("staff", m))
	}
	return rows
}

func memberRow(kind string, m memberJSON) csvRow {
	v := m.Index
	return csvRow{"kind": kind, "key": m.ID, "label_vi": m.Name, "label_en": m.Name, "n": num(&m.Responses), "value": dec(&v)}
}

// safeCell keeps a spreadsheet from reading a text cell as a formula.
func safeCell(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '@' || (s[0] == '-' && !isNumber(s))) {
		return "'" + s
	}
	return s
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
