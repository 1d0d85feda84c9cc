package publish

import (
	"sort"

	"hailong/analytics/engine"
)

// The additive sets a family publishes, for Suppress. Counts (measure 0):
// per agency, the year's n of each row (the agency's responses, each
// criterion's valid answers — and with them its satisfied answers, levels
// and N/A, withheld together —, the dossiers received (with the 766
// per-dossier rate), the receipts issued and the cases opened (the other 766
// figures, their numerators withheld with them), each counter's and
// staff member's responses) is the sum of its quarters'; per period, the
// agency's responses are the sum of its counters' and of those at no
// counter (never published: Hidden), and the same for staff. Values
// (measure 1): an element is the mean of its criteria; the agency's index,
// by share45 or mean, the mean of its elements. A row with no responses
// is no cell: "no responses" tells its count, zero.

// Kinds of rows.
const (
	rowIndex     = "index"
	rowCriterion = "criterion"
	rowElement   = "element"
	rowDossiers  = "dossiers"
	rowReceipts  = "receipts" // receipts issued: the response rate's denominator
	rowCases     = "cases"    // cases opened: the denominator of PAKN on time and satisfied
	rowCounter   = "counter"
	rowStaff     = "staff"
	rowNoCounter = "counter:none"
	rowNoStaff   = "staff:none"
)

const measureCount, measureValue = 0, 1

// rowID names a row of a family.
type rowID struct{ unit, kind, key string }

type cellID struct {
	row    rowID
	period string
}

// cellTable collects the cells of a family.
type cellTable struct {
	cells []Cell
	ids   []cellID
	index map[cellID]int
	sets  []Set
}

func (t *cellTable) add(id cellID, n uint64, held, hidden bool) {
	if n == 0 {
		return
	}
	t.index[id] = len(t.cells)
	t.cells = append(t.cells, Cell{Size: n, Held: held, Hidden: hidden})
	t.ids = append(t.ids, id)
}

func (t *cellTable) at(id cellID) (int, bool) { i, ok := t.index[id]; return i, ok }

// set adds total = Σ parts (or their mean), over the cells that exist.
func (t *cellTable) set(m int, mean bool, total cellID, parts []cellID) {
	ti, ok := t.at(total)
	if !ok {
		return
	}
	s := Set{Measure: m, Total: ti, Mean: mean}
	for _, p := range parts {
		if i, ok := t.at(p); ok {
			s.Parts = append(s.Parts, i)
		}
	}
	if len(s.Parts) > 0 {
		t.sets = append(t.sets, s)
	}
}

// suppressFamily fills in every figure's Held flags.
func suppressFamily(fam *family, y int, cfg engine.Config) {
	t := &cellTable{index: map[cellID]int{}}
	keys := familyKeys(y)
	for _, key := range keys { // in a fixed order, so that ties are broken alike at every run
		fp := fam.Periods[key]
		if fp == nil {
			continue
		}
		units := make([]string, 0, len(fp.Units))
		for u := range fp.Units {
			units = append(units, u)
		}
		sort.Strings(units)
		for _, u := range units {
			periodCells(t, key, u, fp.Units[u], cfg)
		}
	}
	for _, row := range rowsOf(t) {
		var parts []cellID
		for _, q := range keys[1:] {
			parts = append(parts, cellID{row, q})
		}
		t.set(measureCount, false, cellID{row, keys[0]}, parts)
	}
	out := Suppress(t.cells, t.sets)
	for i, id := range t.ids {
		if out[i] {
			fam.Periods[id.period].Units[id.row.unit].Held.mark(id.row)
		}
	}
}

// rowsOf lists the rows with a cell in some period, in the order added.
func rowsOf(t *cellTable) []rowID {
	seen := map[rowID]bool{}
	var out []rowID
	for _, id := range t.ids {
		if !seen[id.row] && id.row.kind != rowElement {
			seen[id.row] = true
			out = append(out, id.row)
		}
	}
	return out
}

// periodCells adds an agency's cells of one period and the sets within it.
func periodCells(t *cellTable, period, unit string, uf *unitFigs, cfg engine.Config) {
	minN := cfg.MinN
	id := func(kind, key string) cellID { return cellID{rowID{unit, kind, key}, period} }
	small := func(x engine.Figure) bool { return !x.OK || engine.TooFew(x.N, minN) }
	t.add(id(rowIndex, ""), uf.Cur.Index.N, small(uf.Cur.Index), false)
	for _, c := range uf.Cur.Criteria {
		t.add(id(rowCriterion, c.Key), c.N, small(c.Figure), false)
	}
	var elements []cellID
	for _, e := range uf.Cur.Elements {
		t.add(id(rowElement, e.Key), e.N, small(e.Figure), false)
		var crit []cellID
		for _, k := range e.Criteria {
			crit = append(crit, id(rowCriterion, k))
		}
		t.set(measureValue, true, id(rowElement, e.Key), crit)
		elements = append(elements, id(rowElement, e.Key))
	}
	if cfg.Method == engine.MethodShare45 || cfg.Method == engine.MethodMean || cfg.Method == "" {
		t.set(measureValue, true, id(rowIndex, ""), elements)
	}
	received := uint64(max(uf.Dossiers.Received, 0))
	t.add(id(rowDossiers, ""), received, engine.TooFew(received, minN), false)
	for _, c := range []struct {
		kind string
		den  int
	}{{rowReceipts, uf.Sat.Response.Den}, {rowCases, uf.Sat.CasesOnTime.Den}} { // in a fixed order
		n := uint64(max(c.den, 0))
		t.add(id(c.kind, ""), n, engine.TooFew(n, minN), false)
	}
	members(t, id, rowCounter, rowNoCounter, uf.Counters, uf.Cur.Index.N, minN)
	members(t, id, rowStaff, rowNoStaff, uf.Staff, uf.Cur.Index.N, minN)
}

// members adds the counter (or staff) rows of an agency and the set
// "agency = Σ rows + the responses at none".
func members(t *cellTable, id func(kind, key string) cellID, kind, none string, rows []engine.Row, total uint64, minN int) {
	if rows == nil {
		return
	}
	var parts []cellID
	var sum uint64
	for _, r := range rows {
		if r.Key == "" {
			continue
		}
		t.add(id(kind, r.Key), r.Index.N, !r.Index.OK || engine.TooFew(r.Index.N, minN), false)
		parts = append(parts, id(kind, r.Key))
		sum += r.Index.N
	}
	if total > sum {
		t.add(id(none, ""), total-sum, false, true)
		parts = append(parts, id(none, ""))
	}
	t.set(measureCount, false, id(rowIndex, ""), parts)
}

// mark withholds one row.
func (h *held) mark(r rowID) {
	put := func(m *map[string]bool) {
		if *m == nil {
			*m = map[string]bool{}
		}
		(*m)[r.key] = true
	}
	switch r.kind {
	case rowIndex:
		h.Index = true
	case rowDossiers:
		h.Dossiers = true
	case rowReceipts:
		h.Receipts = true
	case rowCases:
		h.Cases = true
	case rowCriterion:
		put(&h.Criteria)
	case rowElement:
		put(&h.Elements)
	case rowCounter:
		put(&h.Counters)
	case rowStaff:
		put(&h.Staff)
	}
}
