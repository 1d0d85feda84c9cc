package publish

import "hailong/analytics/engine"

// The 766 satisfaction figures as published (docs/PUBLICATION.md): per
// agency and period, each rate with its denominator, or a note when the
// denominator is under the minimum n or the figure is withheld to protect
// a small one (the same rule as every other figure).

// satTable is the table of the 766 figures, one row per agency.
type satTable struct {
	F    engine.Formatter
	Rows []satRow
}

// satRow is one agency: response rate, per-dossier rate (5.4), PAKN on time
// (5.2) and satisfied (5.3).
type satRow struct {
	Name, Group string
	First       bool // the first row of its group
	Cells       []satCell
}

// satCell is one published rate: Value and N (its denominator), or Note.
type satCell struct {
	Label          string // the column's name, for narrow screens
	Shown          bool
	Value, N, Note string
}

func satRowOf(f engine.Formatter, g *groupStat, u *unitStat, minN int) satRow {
	s, h := u.Sat, u.Held
	cell := func(label string, r engine.Ratio, held bool, unitVi, unitEn string) satCell {
		c := satCell{Label: label}
		switch {
		case !r.OK:
			c.Note = "—"
		case engine.TooFew(uint64(r.Den), minN):
			c.Note = f.T("Chưa đủ số liệu để kết luận", "Too few to conclude")
		case held:
			c.Note = heldNote(f)
		default:
			c.Shown, c.Value, c.N = true, f.Pct(r.Pct), f.Int(uint64(r.Den))+" "+f.T(unitVi, unitEn)
		}
		return c
	}
	return satRow{Name: u.Unit.Name, Group: g.Name, Cells: []satCell{
		cell(f.T("Tỉ lệ phản hồi", "Response rate"), s.Response, h.Receipts, "phiếu", "receipts"),
		cell(f.T("Hài lòng theo hồ sơ", "Satisfied per dossier"), s.Dossier, h.Dossiers, "hồ sơ", "dossiers"),
		cell(f.T("Phản ánh xử lý đúng hạn", "Petitions handled on time"), s.CasesOnTime, h.Cases, "phản ánh", "petitions"),
		cell(f.T("Hài lòng với xử lý phản ánh", "Satisfied with the handling"), s.CasesSatisfied, h.Cases, "phản ánh", "petitions"),
	}}
}
