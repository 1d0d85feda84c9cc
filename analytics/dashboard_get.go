package analytics

import (
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

// dashView is the director's one page (DESIGN "Dashboard").
type dashView struct {
	F                         fmtr
	Filters                   filterView
	Scope, Period, PrevPeriod string
	PrevPartial               string // the previous period began before the first response (prevPartial)
	Index, Prev               figView
	Delta                     deltaView
	Rank                      *rankView
	Method, MinN              string
	Responses, Empty          string
	Criteria                  []critRow
	Trend                     trendView
	Timeliness                timelinessView
	Sat766                    sat766View
	Breakdowns                []breakdownView
	Heat                      heatView
	Alerts                    alertsView
	Kiosks                    []kioskRow
	Actions                   actionsPanel
	Links                     dashLinks
}

type deltaView struct {
	OK                    bool
	Text, Abs, Dir, Arrow string // Abs: without the sign, for "giảm 0,27 điểm"
}

type rankView struct {
	Text, Prev string
	Ranked     bool
}

type dashLinks struct {
	Comments, Report, ResponsesCSV, ResponsesXLSX, SummaryCSV, SummaryXLSX, Vi, En string
}

// getDashboard handles GET /dashboard: the index of the caller's unit (or
// of the unit picked within its subtree) with its change and rank, the
// criteria weakest first, the trend, dossier timeliness, breakdowns, the
// heat map, alerts and kiosk health.
func getDashboard(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parsePage(c, d)
		if err != nil {
			return pageError(c, d, r, "/dashboard", err)
		}
		v, err := buildDashboard(d, r)
		if err != nil {
			return err
		}
		return pages.Render(c, fiber.StatusOK, "dashboard", &web.Page{Title: r.f.T("Bảng điều khiển", "Dashboard") + " – " + v.Scope,
			User: web.Who(c), Nav: "dashboard", Lang: r.f.Lang(), Data: v})
	}
}

func buildDashboard(d *web.Deps, r *pageReq) (*dashView, error) {
	e, f, minN := r.eng, r.f, r.eng.Cfg.MinN
	s, err := e.Summary(r.filter, r.period)
	if err != nil {
		return nil, err
	}
	v := &dashView{F: f, Filters: filterForm(d.Services, r.p, f, r.raw, "/dashboard"), Scope: r.scopeName()}
	r.headline(v, s)
	v.Criteria = f.criteriaRows(d.Surveys, s.Current, e, func(key string) string { return r.link("/dashboard/criteria/" + key) })
	points, err := e.Trend(r.filter, r.period)
	if err != nil {
		return nil, err
	}
	v.Trend = f.trend(points, minN)
	t, err := e.Timeliness(r.filter, r.period)
	if err != nil {
		return nil, err
	}
	v.Timeliness = f.timeliness(t)
	sat, err := e.Satisfaction766(r.filter, r.period)
	if err != nil {
		return nil, err
	}
	v.Sat766 = f.sat766(sat, minN)
	if v.Breakdowns, err = r.breakdowns(); err != nil {
		return nil, err
	}
	cells, err := e.Heatmap(r.filter, r.period)
	if err != nil {
		return nil, err
	}
	v.Heat = f.heat(cells, minN)
	if v.Alerts, err = r.alerts(d.Services); err != nil {
		return nil, err
	}
	v.Kiosks = r.kiosks(d.Services)
	if v.Actions, err = r.actionsPanel(d.Services); err != nil {
		return nil, err
	}
	v.Links = dashLinks{Comments: r.link("/dashboard/comments"), Report: r.link("/reports/official"),
		ResponsesCSV: r.link("/exports/responses.csv", "lang", ""), ResponsesXLSX: r.link("/exports/responses.xlsx", "lang", ""),
		SummaryCSV: r.link("/exports/summary.csv", "lang", ""), SummaryXLSX: r.link("/exports/summary.xlsx", "lang", ""),
		Vi: r.link("/dashboard", "lang", ""), En: r.link("/dashboard", "lang", "en")}
	return v, nil
}

// headline fills the top line: index, interval, n, change and rank.
func (r *pageReq) headline(v *dashView, s *engine.Summary) {
	f, minN := r.f, r.eng.Cfg.MinN
	v.Period, v.PrevPeriod = f.Range(s.Period), f.Range(s.PreviousPeriod)
	v.Index, v.Prev = f.fig(s.Current.Index, minN), f.fig(s.Previous.Index, minN)
	v.Responses, v.Empty = f.Int(s.Tally.Responses), f.Int(s.Tally.Empty)
	v.Method, v.MinN = f.MethodText(r.eng.Cfg.Method), strconv.Itoa(minN)
	if s.Current.Index.OK && s.Previous.Index.OK {
		v.Delta = f.deltaView(s.Current.Index.Value - s.Previous.Index.Value)
		if day, ok := prevPartial(r.db, s.PreviousPeriod); ok {
			v.PrevPartial = f.T("Kỳ trước chỉ có số liệu từ ngày "+f.Date(day)+" (ngày bắt đầu khảo sát): so sánh chỉ để tham khảo.",
				"The previous period has data only from "+f.Date(day)+" (when the survey began): the comparison is indicative only.")
		}
	}
	v.Rank = r.rankText(s)
}

// prevPartial reports whether period p began before the installation's
// first response while that response falls inside p, and the day of it:
// then p's figures cover part of it only (a first year of use), and a change
// or a rank against it is indicative only.
func prevPartial(db *survey.Services, p engine.Period) (int32, bool) {
	first := db.Responses.FirstResponseAt()
	loc := db.Clock.Loc()
	if first.IsZero() || !first.After(p.Start(loc)) || !first.Before(p.End(loc)) {
		return 0, false
	}
	return survey.DayOf(first, loc), true
}

// rankText writes "12/14 khối Sở (năm trước: 9)".
func (r *pageReq) rankText(s *engine.Summary) *rankView {
	rk := s.Rank
	if rk == nil {
		return nil
	}
	f := r.f
	before := f.T("kỳ trước", "previous period")
	if n := s.Period.Days(); n == 365 || n == 366 {
		before = f.T("năm trước", "last year")
	}
	group := lowerFirst(r.eng.GroupName(rk.Group))
	v := &rankView{Ranked: rk.Position > 0}
	if v.Ranked {
		v.Text = strconv.Itoa(rk.Position) + "/" + strconv.Itoa(rk.Of) + " " + group
	} else {
		v.Text = f.T("Chưa xếp hạng trong ", "Not ranked in ") + group + " (" + f.TooFew() + ")"
	}
	if rk.PreviousPosition > 0 {
		v.Prev = before + ": " + strconv.Itoa(rk.PreviousPosition)
	} else {
		v.Prev = before + f.T(": chưa xếp hạng", ": not ranked")
	}
	if rk.Unit != r.filter.Unit {
		v.Text += " — " + r.eng.Org().Name(rk.Unit)
	}
	return v
}

// lowerFirst lower-cases the first letter: "Khối Sở" → "khối Sở".
func lowerFirst(s string) string {
	c, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(c)) + s[n:]
}

// breakdowns computes the tables by child unit, counter, staff member,
// procedure and channel (tables without rows are left out).
func (r *pageReq) breakdowns() ([]breakdownView, error) {
	f, e, minN := r.f, r.eng, r.eng.Cfg.MinN
	specs := []struct{ by, title, head string }{
		{"unit", f.T("Theo đơn vị trực thuộc", "By unit"), f.T("Đơn vị", "Unit")},
		{"counter", f.T("Theo quầy", "By counter"), f.T("Quầy", "Counter")},
		{"staff", f.T("Theo công chức", "By staff member"), f.T("Công chức", "Staff member")},
		{"procedure", f.T("Theo thủ tục", "By procedure"), f.T("Thủ tục", "Procedure")},
		{"channel", f.T("Theo kênh đánh giá", "By channel"), f.T("Kênh", "Channel")},
	}
	var out []breakdownView
	for _, sp := range specs {
		rows, err := e.Breakdown(r.filter, r.period, sp.by)
		if err != nil {
			return nil, err
		}
		var href func(engine.Row) string
		switch sp.by {
		case "unit":
			href = func(row engine.Row) string { return r.link("/dashboard", "unit", row.Key) }
		case "channel":
			rows = f.channelRows(rows)
		}
		if !anyResponses(rows) {
			continue
		}
		out = append(out, f.breakdown("by-"+sp.by, sp.title, sp.head, rows, e.Cat, minN, href))
	}
	return out, nil
}

// anyResponses reports whether a breakdown has a row with responses (a
// table of empty rows says nothing; the headline already says "no data").
func anyResponses(rows []engine.Row) bool {
	for _, r := range rows {
		if r.Responses+r.Empty > 0 {
			return true
		}
	}
	return false
}
