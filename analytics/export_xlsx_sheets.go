package analytics

import (
	"github.com/xuri/excelize/v2"

	"hailong/analytics/engine"
	"hailong/cells"
)

// book builds a small workbook sheet by sheet; the first error sticks.
type book struct {
	x          *excelize.File
	err        error
	num, bold  int
	sheetCount int
}

func newBook() *book {
	b := &book{x: excelize.NewFile()}
	b.num, b.err = b.x.NewStyle(&excelize.Style{NumFmt: 2}) // 0.00
	if b.err == nil {
		b.bold, b.err = b.x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	}
	return b
}

// sheet starts a sheet with a bold header row at row hrow; numCols are the
// 1-based columns that hold percentages.
func (b *book) sheet(name string, hrow int, header []string, numCols ...int) {
	if b.err != nil {
		return
	}
	if b.sheetCount == 0 {
		b.err = b.x.SetSheetName("Sheet1", name)
	} else {
		_, b.err = b.x.NewSheet(name)
	}
	b.sheetCount++
	b.row(name, hrow, cells.Row(cells.Texts(header...))...)
	if b.err == nil {
		b.err = b.x.SetRowStyle(name, hrow, hrow, b.bold)
	}
	for _, col := range numCols {
		c, _ := excelize.ColumnNumberToName(col)
		if b.err == nil {
			b.err = b.x.SetColStyle(name, c, b.num)
		}
	}
	if b.err == nil {
		last, _ := excelize.ColumnNumberToName(max(len(header), 2))
		b.err = b.x.SetColWidth(name, "A", last, 16)
	}
}

// row writes row n of a sheet; every text value is made safe here
// (cells.Values), numbers stay numbers.
func (b *book) row(sheet string, n int, vals ...any) {
	if b.err != nil {
		return
	}
	axis, _ := excelize.CoordinatesToCellName(1, n)
	safe := cells.Values(vals...)
	b.err = b.x.SetSheetRow(sheet, axis, &safe)
}

// pct is a percentage cell: the rounded number, or empty without data.
func pct(x float64, ok bool) any {
	if !ok {
		return nil
	}
	return engine.Round2(x)
}

// summaryWorkbook builds summary.xlsx.
func (r *pageReq) summaryWorkbook() (*excelize.File, error) {
	e, f, minN := r.eng, r.f, r.eng.Cfg.MinN
	s, err := e.Summary(r.filter, r.period)
	if err != nil {
		return nil, err
	}
	b := newBook()
	r.summarySheet(b, s)
	b.sheet("Tiêu chí", 1, []string{"Mã / Key", "Tiêu chí / Criterion", "Yếu tố / Element", "Hài lòng (%)", "KTC thấp", "KTC cao", "n",
		"Chưa đủ phiếu / Too few", "Điểm TB / Mean", "Kỳ trước (%)", "Thay đổi (điểm)", "Không hài lòng (%)", "Lý do chính / Main reasons"}, 4, 5, 6, 9, 10, 11, 12)
	neg := map[string]engine.PainPoint{}
	for _, pp := range engine.PainPoints(s.Tally, e.Cat, 3) {
		neg[pp.Key] = pp
	}
	labels := reasonLabels(r.db.Surveys)
	n := 2
	for _, row := range r.summaryRows(s) {
		if row.Kind != "criterion" {
			continue
		}
		pp := neg[row.Key]
		b.row("Tiêu chí", n, row.Key, row.Label.Vi, e.Cat.Element(row.Element).Vi, pct(row.Fig.Value, row.Fig.OK), pct(row.Fig.Lo, row.Fig.OK),
			pct(row.Fig.Hi, row.Fig.OK), row.Fig.N, engine.TooFew(row.Fig.N, minN), pct(row.Mean, row.MeanOK), pct(row.Prev.Value, row.Prev.OK),
			pct(row.Fig.Value-row.Prev.Value, row.Fig.OK && row.Prev.OK), pct(pp.Value, pp.OK), f.reasonList(pp.Reasons, labels))
		n++
	}
	b.sheet("Yếu tố", 1, []string{"Mã / Key", "Yếu tố / Element", "Chỉ số (%)", "KTC thấp", "KTC cao", "n", "Chưa đủ phiếu / Too few", "Kỳ trước (%)"}, 3, 4, 5, 8)
	n = 2
	for _, row := range r.summaryRows(s) {
		if row.Kind == "element" {
			b.row("Yếu tố", n, row.Key, row.Label.Vi, pct(row.Fig.Value, row.Fig.OK), pct(row.Fig.Lo, row.Fig.OK), pct(row.Fig.Hi, row.Fig.OK),
				row.Fig.N, engine.TooFew(row.Fig.N, minN), pct(row.Prev.Value, row.Prev.OK))
			n++
		}
	}
	if err := r.otherSheets(b); err != nil {
		b.x.Close()
		return nil, err
	}
	if b.err != nil {
		b.x.Close()
		return nil, b.err
	}
	return b.x, nil
}

// summarySheet is the first sheet: what the workbook covers, the index,
// its change and the rank.
func (r *pageReq) summarySheet(b *book, s *engine.Summary) {
	f, minN, sh := r.f, r.eng.Cfg.MinN, "Tổng hợp"
	b.sheet(sh, 7, []string{"Chỉ tiêu / Figure", "Giá trị / Value", "KTC thấp / CI low", "KTC cao / CI high", "n", "Chưa đủ phiếu / Too few"}, 2, 3, 4)
	b.row(sh, 1, "Đơn vị / Unit", r.scopeName(), r.filter.Unit)
	b.row(sh, 2, "Kỳ / Period", s.Period.FromDate(), s.Period.ToDate())
	b.row(sh, 3, "Kỳ trước / Previous", s.PreviousPeriod.FromDate(), s.PreviousPeriod.ToDate())
	b.row(sh, 4, "Phương pháp / Method", string(r.eng.Cfg.Method), f.MethodText(r.eng.Cfg.Method))
	b.row(sh, 5, "Số phiếu tối thiểu / Minimum n", minN)
	cur, prev := s.Current.Index, s.Previous.Index
	b.row(sh, 8, "Chỉ số hài lòng / Index", pct(cur.Value, cur.OK), pct(cur.Lo, cur.OK), pct(cur.Hi, cur.OK), cur.N, engine.TooFew(cur.N, minN))
	b.row(sh, 9, "Kỳ trước / Previous", pct(prev.Value, prev.OK), pct(prev.Lo, prev.OK), pct(prev.Hi, prev.OK), prev.N, engine.TooFew(prev.N, minN))
	b.row(sh, 10, "Thay đổi (điểm) / Change (points)", pct(cur.Value-prev.Value, cur.OK && prev.OK))
	if rk := s.Rank; rk != nil {
		b.row(sh, 11, "Xếp hạng / Rank", position0(rk.Position), rk.Of, r.eng.GroupName(rk.Group))
		b.row(sh, 12, "Xếp hạng kỳ trước / Previous rank", position0(rk.PreviousPosition), rk.PreviousOf)
	}
}

func position0(p int) any {
	if p == 0 {
		return nil
	}
	return p
}

// otherSheets adds the months, the dossiers and the breakdowns.
func (r *pageReq) otherSheets(b *book) error {
	e, minN := r.eng, r.eng.Cfg.MinN
	points, err := e.Trend(r.filter, r.period)
	if err != nil {
		return err
	}
	b.sheet("Theo tháng", 1, []string{"Tháng / Month", "Chỉ số (%)", "n", "Năm trước (%)", "n", "Thay đổi (điểm)"}, 2, 4, 6)
	for i, p := range points {
		b.row("Theo tháng", i+2, p.Month, pct(p.Current.Value, p.Current.OK), p.Current.N, pct(p.Prior.Value, p.Prior.OK), p.Prior.N,
			pct(p.Current.Value-p.Prior.Value, p.Current.OK && p.Prior.OK))
	}
	t, err := e.Timeliness(r.filter, r.period)
	if err != nil {
		return err
	}
	b.sheet("Hồ sơ", 1, []string{"Chỉ tiêu / Figure", "Số lượng / Count", "Tỉ lệ trên số tiếp nhận (%)"}, 3)
	for i, row := range [][3]any{{"Tiếp nhận / Received", t.Received, pct(100, t.OK)}, {"Trước hạn / Early", t.Early, pct(t.EarlyPct, t.OK)},
		{"Đúng hạn / On time", t.OnTime, pct(t.OnTimePct, t.OK)}, {"Trễ hạn / Late", t.Late, pct(t.LatePct, t.OK)},
		{"Đang giải quyết / In progress", t.InProgress, pct(t.InProgressPct, t.OK)}, {"Trong đó quá hạn / Overdue", t.InProgressOverdue, nil},
		{"Tỉ lệ đúng hạn QĐ 766 / Rate 766", nil, pct(t.Rate766, t.OK)}} {
		b.row("Hồ sơ", i+2, row[0], row[1], row[2])
	}
	for _, sp := range [][2]string{{"unit", "Đơn vị"}, {"counter", "Quầy"}, {"staff", "Công chức"}, {"procedure", "Thủ tục"}, {"channel", "Kênh"}} {
		rows, err := e.Breakdown(r.filter, r.period, sp[0])
		if err != nil {
			return err
		}
		b.sheet(sp[1], 1, []string{"Mã / Key", "Tên / Name", "Chỉ số (%)", "KTC thấp", "KTC cao", "n", "Chưa đủ phiếu / Too few", "Tiêu chí yếu nhất / Weakest", "Giá trị (%)"}, 3, 4, 5, 9)
		for i, row := range rows {
			ix := row.Index
			wk, wv := "", any(nil)
			if w := row.Weakest; w != nil {
				wk, wv = e.Cat.Criterion(w.Key).Label.Vi, pct(w.Value, w.OK)
			}
			b.row(sp[1], i+2, row.Key, row.Name, pct(ix.Value, ix.OK), pct(ix.Lo, ix.OK), pct(ix.Hi, ix.OK), ix.N, engine.TooFew(ix.N, minN), wk, wv)
		}
	}
	return nil
}
