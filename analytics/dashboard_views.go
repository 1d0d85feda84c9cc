package analytics

import (
	"sort"

	"hailong/analytics/engine"
	"hailong/survey"
)

// View models of the dashboard pages: every number already formatted for
// the page's language, every SVG coordinate already computed, so that the
// templates only lay things out (and never need a style attribute, which
// the Content-Security-Policy forbids).

// figView is a Figure as shown: greyed with DESIGN's notice when its n is
// under the minimum, "—" without data.
type figView struct {
	OK, TooFew       bool
	Value, Lo, Hi, N string
	V, L, H          float64 // rounded, 0–100, for bar geometry
}

func (f fmtr) fig(x engine.Figure, minN int) figView {
	v := figView{OK: x.OK, TooFew: engine.TooFew(x.N, minN), N: f.Int(x.N), Value: "—"}
	if x.OK {
		v.Value, v.Lo, v.Hi = f.Pct(x.Value), f.Dec(engine.Round2(x.Lo), 2), f.Dec(engine.Round2(x.Hi), 2)
		v.V, v.L, v.H = engine.Round2(x.Value), engine.Round2(x.Lo), engine.Round2(x.Hi)
	}
	return v
}

// Class is the CSS class of a figure's state.
func (v figView) Class() string {
	switch {
	case !v.OK:
		return "none"
	case v.TooFew:
		return "few"
	}
	return "ok"
}

// Note is what a greyed figure says: no responses, or too few.
func (f fmtr) Note(v figView) string {
	switch {
	case !v.OK:
		return f.T("Chưa có phiếu", "No responses")
	case v.TooFew:
		return f.TooFew()
	}
	return ""
}

// critRow is one criterion bar.
type critRow struct {
	Key, Label, Element string
	Question            string // the full question, when two criteria share a label
	Overall             bool
	Fig                 figView
	Mean                string
	Href                string
}

// criteriaRows lists the criteria weakest first: those with enough answers
// by value, then those with too few, then those without any; the overall
// question last of all. Two criteria with the same short label (asked in
// different surveys) are told apart by their full question.
func (f fmtr) criteriaRows(sv survey.SurveyService, r engine.Result, e *engine.Engine, href func(key string) string) []critRow {
	cat, minN := e.Cat, e.Cfg.MinN
	rows := make([]critRow, 0, len(r.Criteria))
	seen := map[string]int{}
	for _, c := range r.Criteria {
		info := cat.Criterion(c.Key)
		label := f.Text(info.Label)
		if label == "" {
			label = c.Key
		}
		seen[label]++
		row := critRow{Key: c.Key, Label: label, Element: f.Text(cat.Element(c.Element)), Overall: c.Element == "",
			Fig: f.fig(c.Figure, minN), Href: href(c.Key)}
		if c.OK {
			row.Mean = f.Dec(c.Mean, 2)
		}
		rows = append(rows, row)
	}
	for i := range rows {
		if seen[rows[i].Label] > 1 {
			rows[i].Question = question(sv, f, rows[i].Key)
		}
	}
	rank := func(r critRow) int {
		switch {
		case r.Overall:
			return 3
		case !r.Fig.OK:
			return 2
		case r.Fig.TooFew:
			return 1
		}
		return 0
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if rank(a) != rank(b) {
			return rank(a) < rank(b)
		}
		return a.Fig.V < b.Fig.V
	})
	return rows
}

// bdRow is one line of a breakdown table.
type bdRow struct {
	Name, Href, Responses string
	Fig                   figView
	Weakest               string // "Bố trí quầy: 61,20 %"
}

// breakdownView is one breakdown table (by unit, counter, staff, procedure
// or channel).
type breakdownView struct {
	ID, Title, NameHead string
	Rows                []bdRow
}

func (f fmtr) breakdown(id, title, head string, rows []engine.Row, cat *engine.Catalogue, minN int, href func(engine.Row) string) breakdownView {
	v := breakdownView{ID: id, Title: title, NameHead: head}
	for _, r := range rows {
		b := bdRow{Name: r.Name, Responses: f.Int(r.Responses), Fig: f.fig(r.Index, minN)}
		if href != nil {
			b.Href = href(r)
		}
		if w := r.Weakest; w != nil {
			b.Weakest = f.Text(cat.Criterion(w.Key).Label) + ": " + f.Pct(w.Value)
		}
		v.Rows = append(v.Rows, b)
	}
	return v
}

// channelRows renames breakdown rows by channel.
func (f fmtr) channelRows(rows []engine.Row) []engine.Row {
	out := append([]engine.Row(nil), rows...)
	for i := range out {
		if ch, ok := survey.ParseChannel(out[i].Key); ok {
			out[i].Name = f.Channel(ch)
		}
	}
	return out
}

// heatCellView is one hour of one weekday.
type heatCellView struct {
	Value, N, Class, Title string
}

type heatRowView struct {
	Day   string
	Cells []heatCellView
}

// heatView is the hour × weekday table, Monday first, over the hours that
// have responses.
type heatView struct {
	Hours []int
	Rows  []heatRowView
}

func (f fmtr) heat(cells []engine.HeatCell, minN int) heatView {
	var v heatView
	if len(cells) == 0 {
		return v
	}
	lo, hi := 23, 0
	byKey := map[[2]int]engine.HeatCell{}
	for _, c := range cells {
		lo, hi = min(lo, c.Hour), max(hi, c.Hour)
		byKey[[2]int{c.Weekday, c.Hour}] = c
	}
	for h := lo; h <= hi; h++ {
		v.Hours = append(v.Hours, h)
	}
	for _, d := range []int{1, 2, 3, 4, 5, 6, 0} {
		row := heatRowView{Day: f.Weekday(d)}
		for _, h := range v.Hours {
			c, ok := byKey[[2]int{d, h}]
			cell := heatCellView{Class: "h-none", Value: "", N: ""}
			if ok {
				cell = f.heatCell(c, minN)
			}
			row.Cells = append(row.Cells, cell)
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

func (f fmtr) heatCell(c engine.HeatCell, minN int) heatCellView {
	cell := heatCellView{N: f.Int(c.Volume), Value: "—", Class: "h-none"}
	if c.Index.OK {
		cell.Value = f.Dec(engine.Round2(c.Index.Value), 0)
		cell.Class = "h-" + bucket(c.Index.Value)
	}
	if engine.TooFew(c.Index.N, minN) {
		cell.Class = "h-few"
	}
	cell.Title = f.Weekday(c.Weekday) + " " + f.Dec(float64(c.Hour), 0) + f.T(" giờ: ", ":00 – ") + cell.Value + " %, n = " + cell.N
	if cell.Class == "h-few" {
		cell.Title += " — " + f.TooFew()
	}
	return cell
}

// bucket is a heat-map colour class: under 50, then by tens, 90 and over.
func bucket(v float64) string {
	switch {
	case v < 50:
		return "0"
	case v < 60:
		return "1"
	case v < 70:
		return "2"
	case v < 80:
		return "3"
	case v < 90:
		return "4"
	}
	return "5"
}

// tlRow is one line of the timeliness table.
type tlRow struct {
	Label, Count, Pct string
	Sub               bool // a part of the line above
}

type timelinessView struct {
	OK      bool
	Rows    []tlRow
	Rate766 string
}

func (f fmtr) timeliness(t engine.TimelinessReport) timelinessView {
	v := timelinessView{OK: t.OK}
	pct := func(x float64) string {
		if !t.OK {
			return "—"
		}
		return f.Pct(x)
	}
	v.Rows = []tlRow{
		{f.T("Hồ sơ tiếp nhận", "Dossiers received"), f.Int(uint64(t.Received)), pct(100), false},
		{f.T("Trả trước hạn", "Returned early"), f.Int(uint64(t.Early)), pct(t.EarlyPct), false},
		{f.T("Trả đúng hạn", "Returned on time"), f.Int(uint64(t.OnTime)), pct(t.OnTimePct), false},
		{f.T("Trả trễ hạn", "Returned late"), f.Int(uint64(t.Late)), pct(t.LatePct), false},
		{f.T("Đang giải quyết", "In progress"), f.Int(uint64(t.InProgress)), pct(t.InProgressPct), false},
		{f.T("trong đó quá hạn", "of which overdue"), f.Int(uint64(t.InProgressOverdue)), "", true},
	}
	v.Rate766 = pct(t.Rate766)
	return v
}
