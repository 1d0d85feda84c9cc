package publish

import (
	"bytes"
	"strconv"

	"hailong/cells"
)

// csvColumns is the header of data.csv (docs/OPEN_DATA.md "CSV"): one row
// per agency index, element, criterion, dossier table, counter and staff
// member; a cell that does not apply to a row's kind, or is withheld, is
// empty (a withheld row says why in reason).
var csvColumns = []string{"schema_version", "period", "from", "to", "method", "min_n", "group", "group_name", "unit", "unit_name",
	"kind", "key", "element", "label_vi", "label_en", "scale", "reason", "n", "satisfied",
	"level_1", "level_2", "level_3", "level_4", "level_5", "not_applicable", "value", "ci_low", "ci_high",
	"rank", "ranked", "previous_value", "previous_rank", "delta_pp",
	"received", "early", "on_time", "late", "in_progress", "in_progress_overdue", "rate_766",
	"excluded_misuse", "excluded_unverified", "excluded_reclassified", "excluded_total", "reinstated"}

// csvRow builds one row by column name; a missing column is empty.
type csvRow map[string]cells.Cell

func num[T int | uint64](p *T) cells.Cell {
	if p == nil {
		return cells.Text("")
	}
	return cells.Int(*p)
}

func dec(p *float64) cells.Cell {
	if p == nil {
		return cells.Text("")
	}
	return cells.Float(*p, 2)
}

func str(p *string) cells.Cell {
	if p == nil {
		return cells.Text("")
	}
	return cells.Text(*p)
}

// buildCSV writes the open data as CSV: UTF-8 with a byte-order mark (so
// that Excel reads the Vietnamese names), a header row, decimal points;
// cells.CSV keeps the text cells (names, labels) from being read as formulas.
func buildCSV(d *dataJSON) ([]byte, error) {
	var buf bytes.Buffer
	w := cells.NewCSV(&buf)
	w.Header(csvColumns)
	common := csvRow{"schema_version": cells.Int(d.SchemaVersion), "period": cells.Text(d.Period.Key), "from": cells.Text(d.Period.From),
		"to": cells.Text(d.Period.To), "method": cells.Text(d.Method), "min_n": cells.Int(d.MinN)}
	line := make([]cells.Cell, len(csvColumns))
	for _, g := range d.Groups {
		for _, u := range g.Units {
			base := csvRow{"group": cells.Text(g.ID), "group_name": cells.Text(g.Name), "unit": cells.Text(u.ID), "unit_name": cells.Text(u.Name)}
			for _, r := range unitRows(g, u) {
				for i, col := range csvColumns {
					v, ok := r[col]
					if !ok {
						v, ok = base[col]
					}
					if !ok {
						v = common[col]
					}
					line[i] = v
				}
				w.Write(line...)
			}
		}
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// unitRows are an agency's rows: index, elements, criteria, dossiers,
// counters, staff.
func unitRows(g groupJSON, u unitJSON) []csvRow {
	idx := csvRow{"kind": cells.Text("index"), "reason": str(u.Reason), "n": num(u.Responses), "value": dec(u.Index),
		"ci_low": dec(u.CILow), "ci_high": dec(u.CIHigh), "rank": num(u.Rank), "ranked": cells.Int(g.Ranked), "delta_pp": dec(u.DeltaPP),
		"excluded_misuse": cells.Int(u.Excluded.Misuse), "excluded_unverified": cells.Int(u.Excluded.Unverified),
		"excluded_reclassified": cells.Int(u.Excluded.Reclassified), "excluded_total": cells.Int(u.Excluded.Total),
		"reinstated": cells.Int(u.Excluded.Reinstated)}
	if p := u.Previous; p != nil {
		idx["previous_value"], idx["previous_rank"] = dec(p.Index), num(p.Rank)
	}
	rows := []csvRow{idx}
	for _, e := range u.Elements {
		rows = append(rows, csvRow{"kind": cells.Text("element"), "key": cells.Text(e.Key), "label_vi": cells.Text(e.LabelVi),
			"label_en": cells.Text(e.LabelEn), "reason": str(e.Reason), "n": num(e.N), "value": dec(e.Value)})
	}
	for _, c := range u.Criteria {
		r := csvRow{"kind": cells.Text("criterion"), "key": cells.Text(c.Key), "element": cells.Text(c.Element),
			"label_vi": cells.Text(c.LabelVi), "label_en": cells.Text(c.LabelEn), "scale": cells.Int(c.Scale), "reason": str(c.Reason),
			"n": num(c.N), "satisfied": num(c.Satisfied), "not_applicable": num(c.NotApplicable), "value": dec(c.Value),
			"ci_low": dec(c.CILow), "ci_high": dec(c.CIHigh)}
		for i, n := range c.Levels {
			r["level_"+strconv.Itoa(i+1)] = cells.Int(n)
		}
		rows = append(rows, r)
	}
	t := u.Dossiers
	rows = append(rows, csvRow{"kind": cells.Text("dossiers"), "reason": str(t.Reason), "n": num(t.Received), "received": num(t.Received),
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
	return csvRow{"kind": cells.Text(kind), "key": cells.Text(m.ID), "label_vi": cells.Text(m.Name), "label_en": cells.Text(m.Name),
		"n": num(&m.Responses), "value": dec(&v)}
}
