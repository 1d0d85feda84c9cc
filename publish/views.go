package publish

import (
	"net/url"
	"strconv"

	"hailong/analytics/engine"
	"hailong/survey"
)

// View models of the public page: every number already formatted in the
// page's language by engine.Formatter (the dashboard's formatting), so
// that the templates only lay things out. A figure whose n is under the
// minimum carries a note and no number at all.

// figure is one published value.
type figure struct {
	Shown    bool
	Value, N string
	Note     string  // "Chưa đủ số phiếu để kết luận", "Chưa có phiếu"
	Bar      float64 // the value rounded, 0–100, for an SVG bar
}

// fig is a figure as published; held: withheld to protect a small one
// (suppress.go).
func fig(f engine.Formatter, x engine.Figure, minN int, held bool) figure {
	switch {
	case !x.OK || x.N == 0:
		return figure{Note: f.T("Chưa có phiếu", "No responses")}
	case engine.TooFew(x.N, minN):
		return figure{Note: f.TooFew()}
	case held:
		return figure{Note: heldNote(f)}
	}
	return figure{Shown: true, Value: f.Pct(x.Value), N: f.Int(x.N), Bar: engine.Round2(x.Value)}
}

// heldNote is what a figure withheld to protect a small one reads.
func heldNote(f engine.Formatter) string {
	return f.T("Ẩn để bảo vệ số liệu nhỏ", "Withheld to protect a small figure")
}

// option is one entry of the period picker.
type option struct {
	Key, Label string
	Selected   bool
}

// pageView is the whole public page.
type pageView struct {
	F                 engine.Formatter
	Heading, Period   string
	Range, PrevRange  string
	PrevOK            bool
	NoPrev            string // why there is no change: the previous period is not published
	Picker            []option
	Unit              string // the chosen agency, kept by the picker
	Groups            []groupView
	Agency            *agencyView
	Dossiers          dossierTable
	Sat               satTable
	Method, MinN      string
	Taken             string
	Staff             bool
	JSON, CSV, Vi, En string
	Overview          string    // the page without an agency
	Heads             []headRow // recent heads of the tamper-evident log
}

// groupView is one group's ranking table.
type groupView struct {
	ID, Name, Ranked string
	Rows             []rankRow
}

// rankRow is one agency in its group's table.
type rankRow struct {
	ID, Name, Href string
	Chosen         bool
	Rank, PrevRank string
	Change         change
	figure
}

// pageLink is /cong-khai with the period, language and agency given.
func pageLink(path, period, lang, unit string) string {
	v := url.Values{}
	if period != "" {
		v.Set("p", period)
	}
	if unit != "" {
		v.Set("unit", unit)
	}
	if lang == "en" {
		v.Set("lang", "en")
	}
	if s := v.Encode(); s != "" {
		return path + "?" + s
	}
	return path
}

// periodLabel names a period: "Năm 2025", "Quý III năm 2025".
func periodLabel(f engine.Formatter, c choice) string {
	y := strconv.Itoa(c.Year)
	if c.Quarter == 0 {
		return f.T("Năm ", "Year ") + y
	}
	roman := [...]string{"I", "II", "III", "IV"}[c.Quarter-1]
	return f.T("Quý "+roman+" năm "+y, "Q"+strconv.Itoa(c.Quarter)+" "+y)
}

// change is an agency's change in points since the previous period.
type change struct {
	Text  string // "−0,27 điểm"
	Short string // "−0,27", under a heading that names the unit
	Dir   string // up, down, flat; "" when no change is shown
}

// delta is the change of an agency's index, when both periods are
// published with enough responses.
func delta(f engine.Formatter, s *snapshot, u *unitStat) change {
	minN := s.Cfg.MinN
	if !s.PrevOK || !u.Shown(minN) || !u.PrevShown(minN) {
		return change{}
	}
	d := engine.DeltaPP(u.Cur.Index.Value, u.Prev.Index.Value)
	c := change{Text: f.Delta(d), Short: f.Dec(d, 2), Dir: "flat"}
	switch {
	case d > 0:
		c.Dir, c.Short = "up", "+"+c.Short
	case d < 0:
		c.Dir = "down"
	}
	return c
}

func rankOrDash(r int) string {
	if r == 0 {
		return "—"
	}
	return strconv.Itoa(r)
}

// buildPage lays the snapshot out for one language and, optionally, one
// agency.
func buildPage(s *snapshot, lang, unit string, today int32, picker []choice) *pageView {
	f := engine.NewFormatter(lang)
	minN := s.Cfg.MinN
	v := &pageView{F: f, Dossiers: dossierTable{F: f}, Sat: satTable{F: f}, Period: periodLabel(f, s.Choice), Range: f.Range(s.Period), PrevOK: s.PrevOK, Unit: unit,
		Method: f.MethodText(s.Cfg.Method), MinN: f.Int(uint64(minN)), Staff: s.Staff,
		Taken: f.Date(survey.DayOf(s.Taken, s.Loc)) + " " + s.Taken.In(s.Loc).Format("15:04")}
	v.Heading = f.T("Kết quả đánh giá sự hài lòng – ", "Satisfaction survey results – ") + v.Period
	if s.Period.To >= today {
		v.Range = f.Date(s.Period.From) + " – " + f.Date(today) + f.T(" (đến nay)", " (to date)")
	}
	if s.PrevOK {
		v.PrevRange = f.Range(s.Prev)
	} else {
		v.NoPrev = f.T("Không so sánh với kỳ trước: kỳ trước chưa được công khai.", "No change shown: the previous period is not published.")
	}
	for _, c := range picker {
		v.Picker = append(v.Picker, option{Key: c.Key, Label: periodLabel(f, c), Selected: c.Key == s.Choice.Key})
	}
	chosen := s.unit(unit)
	for _, g := range s.Groups {
		if chosen != nil && chosen.Unit.Group != g.ID {
			continue // an agency's page shows its own group only
		}
		gv := groupView{ID: g.ID, Name: g.Name, Ranked: f.T(strconv.Itoa(g.Of)+" đơn vị được xếp hạng", strconv.Itoa(g.Of)+" units ranked")}
		for _, u := range g.Units {
			r := rankRow{ID: u.Unit.ID, Name: u.Unit.Name, Href: pageLink("/cong-khai", s.Choice.Key, lang, u.Unit.ID),
				Chosen: u.Unit.ID == unit, figure: fig(f, u.Cur.Index, minN, u.Held.Index)}
			if r.Shown {
				r.Rank, r.PrevRank = rankOrDash(u.Rank), rankOrDash(u.PrevRank)
				r.Change = delta(f, s, u)
			}
			gv.Rows = append(gv.Rows, r)
			if chosen == nil {
				row := dossierRowOf(f, g, u, minN)
				row.First = len(gv.Rows) == 1
				v.Dossiers.Rows = append(v.Dossiers.Rows, row)
				sr := satRowOf(f, g, u, minN)
				sr.First = row.First
				v.Sat.Rows = append(v.Sat.Rows, sr)
			}
		}
		v.Groups = append(v.Groups, gv)
	}
	v.Overview = pageLink("/cong-khai", s.Choice.Key, lang, "")
	if chosen != nil {
		v.Agency = buildAgency(f, s, chosen, v.Overview)
	}
	v.JSON = pageLink("/cong-khai/data.json", s.Choice.Key, "", "")
	v.CSV = pageLink("/cong-khai/data.csv", s.Choice.Key, "", "")
	v.Vi = pageLink("/cong-khai", s.Choice.Key, "", unit)
	v.En = pageLink("/cong-khai", s.Choice.Key, "en", unit)
	return v
}

// dossierTable is the timeliness table.
type dossierTable struct {
	F    engine.Formatter
	Rows []dossierRow
}

// cell is a dossier count with its share of the dossiers received.
type cell struct{ Count, Pct string }

// dossierRow is one agency's dossier timeliness.
type dossierRow struct {
	ID, Name, Group string
	First           bool // the first row of its group: a group heading goes before it
	Shown           bool
	Note            string
	Received        string
	Early, OnTime   cell
	Late, Progress  cell
	Rate766         string
}

// dossierRowOf applies the minimum n to dossiers too: fewer dossiers
// received than the minimum are "too few", not numbers.
func dossierRowOf(f engine.Formatter, g *groupStat, u *unitStat, minN int) dossierRow {
	t := u.Dossiers
	r := dossierRow{ID: u.Unit.ID, Name: u.Unit.Name, Group: g.Name}
	switch {
	case t.Received == 0:
		r.Note = f.T("Chưa có hồ sơ", "No dossiers")
		return r
	case engine.TooFew(uint64(t.Received), minN):
		r.Note = f.T("Chưa đủ số hồ sơ để kết luận", "Too few dossiers to conclude")
		return r
	case u.Held.Dossiers:
		r.Note = heldNote(f)
		return r
	}
	c := func(n int, pct float64) cell { return cell{f.Int(uint64(n)), f.Pct(pct)} }
	r.Shown, r.Received = true, f.Int(uint64(t.Received))
	r.Early, r.OnTime, r.Late, r.Progress = c(t.Early, t.EarlyPct), c(t.OnTime, t.OnTimePct), c(t.Late, t.LatePct), c(t.InProgress, t.InProgressPct)
	r.Rate766 = f.Pct(t.Rate766)
	return r
}

// rankText writes a rank in its group: "12/14 khối Sở, ban, ngành",
// "12/14 in Khối Sở, ban, ngành".
func rankText(f engine.Formatter, rank, of int, group string) string {
	r := strconv.Itoa(rank) + "/" + strconv.Itoa(of)
	if f.Lang() == "en" {
		return r + " in " + group
	}
	return r + " " + lowerFirst(group)
}
