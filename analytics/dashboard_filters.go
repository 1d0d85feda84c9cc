package analytics

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

// The filter form shared by the dashboard, criterion, comments and report
// pages: a GET form, so it works without JavaScript and every view has a URL.

type option struct {
	Value, Label string
	Selected     bool
}

type optGroup struct {
	Label   string
	Options []option
}

type fieldErr struct{ Field, Message string }

type filterView struct {
	F                 fmtr
	Action, Lang      string
	Units             []option
	Periods           []optGroup
	From, To          string
	Surveys, Channels []option
	Errors            map[string]string
	Summary           []fieldErr
	Extra             []option // hidden fields kept by the form (Value = name, Label = value)
}

// filterForm builds the form from the query as given: the unit picker lists
// only the caller's subtree.
func filterForm(db *survey.Services, p *web.Principal, f fmtr, q map[string]string, action string) filterView {
	v := filterView{F: f, Action: action, Lang: q["lang"], From: q["from"], To: q["to"]}
	o := engine.NewOrg(db.Org)
	if p == nil || p.Unit == "" {
		v.Units = append(v.Units, option{"", f.T("Toàn hệ thống", "All units"), q["unit"] == ""})
		for _, root := range o.Children("") {
			v.Units = unitOptions(o, root, 0, q["unit"], v.Units)
		}
	} else if _, ok := o.Unit(p.Unit); ok {
		v.Units = unitOptions(o, p.Unit, 0, q["unit"], v.Units)
	}
	v.Periods = periodOptions(db, f, q["p"])
	v.Surveys = []option{{"", f.T("Tất cả phiếu khảo sát", "Every survey"), q["survey"] == ""}}
	for _, k := range db.Surveys.SurveyKeys() {
		if s := db.Surveys.Survey(k, 0); s != nil {
			v.Surveys = append(v.Surveys, option{k, f.Text(s.Title), q["survey"] == k})
		}
	}
	v.Channels = []option{{"", f.T("Mọi kênh", "Every channel"), q["channel"] == ""}}
	for ch := survey.ChannelKiosk; ch <= survey.ChannelPaper; ch++ {
		v.Channels = append(v.Channels, option{ch.String(), f.Channel(ch), q["channel"] == ch.String()})
	}
	return v
}

// unitOptions lists id's subtree depth first, indented by depth.
func unitOptions(o *engine.Org, id string, depth int, sel string, out []option) []option {
	if depth > 32 {
		return out
	}
	out = append(out, option{id, strings.Repeat("\u00a0\u00a0\u00a0", depth) + o.Name(id), sel == id})
	for _, c := range o.Children(id) {
		out = unitOptions(o, c, depth+1, sel, out)
	}
	return out
}

// periodOptions offers the years since the first response (at most ten),
// the quarters of this year and the last, and the last 24 months.
func periodOptions(db *survey.Services, f fmtr, sel string) []optGroup {
	now := db.Clock.Now().In(db.Clock.Loc())
	first := firstResponseYear(db, now.Year())
	opt := func(v, label string) option { return option{v, label, strings.EqualFold(sel, v)} }
	g := []optGroup{{Label: f.T("Khoảng thời gian", "Range"), Options: []option{
		opt("", f.T("12 tháng gần nhất (365 ngày)", "Last 12 months (365 days)")),
		opt("custom", f.T("Tự chọn: Từ ngày – Đến ngày", "Custom: From – To")),
	}}}
	years := optGroup{Label: f.T("Năm", "Year")}
	for y := now.Year(); y >= first && y > now.Year()-10; y-- {
		years.Options = append(years.Options, opt(strconv.Itoa(y), f.T("Năm ", "Year ")+strconv.Itoa(y)))
	}
	quarters := optGroup{Label: f.T("Quý", "Quarter")}
	for y := now.Year(); y >= now.Year()-1; y-- {
		for q := 4; q >= 1; q-- {
			if y == now.Year() && (q-1)*3+1 > int(now.Month()) {
				continue
			}
			quarters.Options = append(quarters.Options, opt(fmt.Sprintf("%d-q%d", y, q), f.T(fmt.Sprintf("Quý %s/%d", roman[q], y), fmt.Sprintf("Q%d %d", q, y))))
		}
	}
	months := optGroup{Label: f.T("Tháng", "Month")}
	for i := 0; i < 24; i++ {
		m := time.Date(now.Year(), now.Month()-time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		months.Options = append(months.Options, opt(m.Format("2006-01"), f.T(fmt.Sprintf("Tháng %d/%d", m.Month(), m.Year()), m.Format("January 2006"))))
	}
	return append(g, years, quarters, months)
}

var roman = [...]string{"", "I", "II", "III", "IV"}

var errStop = errors.New("stop")

// firstResponseYear is the year of the oldest stored response (this year
// when none): one seek, not a scan.
func firstResponseYear(db *survey.Services, this int) int {
	year := this
	_ = db.Responses.EachResponse(time.Time{}, time.Time{}, func(r *survey.Response) error {
		year = r.SubmittedAt.In(db.Clock.Loc()).Year()
		return errStop
	})
	return min(year, this)
}
