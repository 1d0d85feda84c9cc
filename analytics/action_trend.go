package analytics

import (
	"net/url"
	"strconv"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

// Improvement actions on the dashboard: markers on a criterion's monthly
// trend (the day an action was done, or the due date of an open one), the
// actions panel of /dashboard, and the links of alerts to open actions.

// trendMarker is one action on a trend chart: a vertical rule at its day
// with a numbered badge; the legend under the chart repeats it in words.
type trendMarker struct {
	N                      int
	X, Top, Bottom, BadgeY float64
	Class, Title, Date     string
	Label, Status, Href    string
}

// markerX places a day on the trend's month axis: a month's point stands
// for the whole month, so a day sits between its month's point and the
// next in proportion to where it falls in the month.
func markerX(points []engine.TrendPoint, day int32) (float64, bool) {
	n := len(points)
	for i, p := range points {
		if day < p.Period.From || day > p.Period.To {
			continue
		}
		x := trendX(i, n)
		if n > 1 {
			step := float64(chartPlotW) / float64(n-1)
			frac := (float64(day-p.Period.From)+0.5)/float64(p.Period.Days()) - 0.5
			x += frac * step
		}
		return round1(min(max(x, chartLeft), chartW-chartRight)), true
	}
	return 0, false
}

// markers puts on the chart the actions that target key, done (at the done
// day) or open (at the due day), when that day is within the chart.
func (f fmtr) markers(points []engine.TrendPoint, actions []survey.Action, today string) []trendMarker {
	var out []trendMarker
	for i := range actions {
		a := &actions[i]
		date, class := a.Done, "done"
		if a.Open() {
			date, class = a.Due, "open"
			if a.Overdue(today) {
				class = "overdue"
			}
		}
		d, ok := survey.ParseDay(date)
		if !ok {
			continue
		}
		x, ok := markerX(points, d)
		if !ok {
			continue
		}
		m := trendMarker{N: len(out) + 1, X: x, Top: chartTop, Bottom: chartH - chartBottom, BadgeY: chartTop + 9, Class: class,
			Date: f.Date(d), Label: a.Title, Status: f.statusName(a.Status), Href: "/actions/" + url.PathEscape(a.ID) + f.langQuery()}
		if class == "overdue" {
			m.Status = f.T("Quá hạn", "Overdue")
		}
		when := f.T("hoàn thành ", "done ")
		if a.Open() {
			when = f.T("hạn ", "due ")
		}
		m.Title = strconv.Itoa(m.N) + ". " + a.Title + " — " + when + m.Date
		out = append(out, m)
	}
	return out
}

// actionsPanel is the dashboard's list of the scope's actions: open ones,
// overdue first, then the latest done ones, at most panelRows.
type actionsPanel struct {
	Rows             []actionRow
	Total, Overdue   int
	AllHref, NewHref string
}

const panelRows = 6

func (r *pageReq) actionsPanel(db *survey.Services) (actionsPanel, error) {
	f, e := r.f, r.eng
	var v actionsPanel
	all, err := relatedActions(db, r.p.Unit, r.filter.Unit, "", false)
	if err != nil {
		return v, err
	}
	today := survey.DayOf(db.Clock.Now(), db.Clock.Loc())
	if v.Rows, err = f.actionRows(e, ActionWindow(db.Settings), all, today, "", panelRows); err != nil {
		return v, err
	}
	v.Total = len(all)
	for i := range all {
		if all[i].Overdue(survey.DayString(today)) {
			v.Overdue++
		}
	}
	v.AllHref = "/actions" + encodeQuery(url.Values{"unit": {r.filter.Unit}}, f.Lang())
	if r.p.Can(web.ActManage) {
		v.NewHref = "/actions/new" + encodeQuery(url.Values{"unit": {r.filter.Unit}}, f.Lang())
	}
	return v, nil
}

// actionLinks are the open actions on key concerning unit (links for an
// alert), and the link that invites a new one (managers and admins).
func (r *pageReq) actionLinks(db *survey.Services, unit, key string) (links []option, invite string, err error) {
	open, err := relatedActions(db, r.p.Unit, unit, key, true)
	if err != nil {
		return nil, "", err
	}
	sortActions(open, survey.DayString(survey.DayOf(db.Clock.Now(), db.Clock.Loc())))
	for _, a := range open {
		links = append(links, option{Value: "/actions/" + url.PathEscape(a.ID) + r.f.langQuery(), Label: a.Title})
	}
	if r.p.Can(web.ActManage) {
		invite = "/actions/new" + encodeQuery(url.Values{"unit": {unit}, "criterion": {engine.BaseKey(key)}}, r.f.Lang())
	}
	return links, invite, nil
}

// criterionTrend fills a criterion page's trend with the markers of the
// actions that target it, and the list of those actions.
func (r *pageReq) criterionTrend(db *survey.Services, v *critView, key string) error {
	f, e := r.f, r.eng
	points, err := e.CriterionTrend(r.filter, r.period, key)
	if err != nil {
		return err
	}
	v.Trend = f.trend(points, e.Cfg.MinN)
	v.Trend.Desc = f.T("Biểu đồ đường tỉ lệ hài lòng của tiêu chí theo tháng; vạch đứng đánh số là hành động cải tiến; số liệu chi tiết ở bảng bên dưới.",
		"Line chart of the criterion's share satisfied by month; numbered vertical rules are improvement actions; the table below has the figures.")
	acts, err := relatedActions(db, r.p.Unit, r.filter.Unit, key, false)
	if err != nil {
		return err
	}
	today := survey.DayOf(db.Clock.Now(), db.Clock.Loc())
	v.Trend.Markers = f.markers(points, acts, survey.DayString(today))
	if v.Actions, err = f.actionRows(e, ActionWindow(db.Settings), acts, today, "", 0); err != nil {
		return err
	}
	if r.p.Can(web.ActManage) {
		v.NewAction = "/actions/new" + encodeQuery(url.Values{"unit": {r.filter.Unit}, "criterion": {engine.BaseKey(key)}}, f.Lang())
	}
	return nil
}
