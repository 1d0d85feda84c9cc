package analytics

import (
	"net/url"
	"strconv"
	"strings"

	"hailong/analytics/engine"
	"hailong/survey"
)

// View models of the improvement-action pages, every text already in the
// page's language.

// actionRow is one action in a list (the actions page, the dashboard panel).
type actionRow struct {
	ID, Href, Title, Unit, Office, Criteria string
	Status, StatusClass, Due, Done, Effect  string
	Overdue                                 bool
}

// statusClass is the tag class of a status (overdue wins).
func statusClass(a *survey.Action, today string) string {
	switch {
	case a.Overdue(today):
		return "tag tag-bad"
	case a.Status == survey.ActionDone:
		return "tag tag-ok"
	case a.Status == survey.ActionInProgress:
		return "tag tag-progress"
	}
	return "tag"
}

// row formats an action; effect is its short measured effect ("" when not
// measured).
func (f fmtr) actionRow(a *survey.Action, e *engine.Engine, today, effect string) actionRow {
	r := actionRow{ID: a.ID, Href: "/actions/" + url.PathEscape(a.ID) + f.langQuery(), Title: a.Title,
		Unit: e.Org().Name(a.Unit), Office: a.Office, Criteria: f.criteriaNames(e.Cat, a.Criteria),
		Status: f.statusName(a.Status), StatusClass: statusClass(a, today), Due: f.dayText(a.Due), Done: f.dayText(a.Done),
		Overdue: a.Overdue(today), Effect: effect}
	if r.Unit == "" {
		r.Unit = a.Unit
	}
	if r.Overdue {
		r.Status = f.T("Quá hạn", "Overdue") + " · " + r.Status
	}
	return r
}

// LangQuery is "?lang=en" on English pages (for templates).
func (f fmtr) LangQuery() string { return f.langQuery() }

func (f fmtr) langQuery() string {
	if f.English() {
		return "?lang=en"
	}
	return ""
}

// criteriaNames lists the criteria's short labels: "Bố trí quầy, trang thiết bị; Trang web …".
func (f fmtr) criteriaNames(cat *engine.Catalogue, keys []string) string {
	names := make([]string, 0, len(keys))
	for _, k := range keys {
		names = append(names, f.critLabel(cat, k))
	}
	return strings.Join(names, "; ")
}

func (f fmtr) critLabel(cat *engine.Catalogue, key string) string {
	if l := f.Text(cat.Criterion(key).Label); l != "" {
		return l
	}
	return key
}

// shortEffect sums up a measured effect in a list: each criterion's change
// and whether it is significant, or why there is no verdict yet.
func (f fmtr) shortEffect(ae *engine.ActionEffect, cat *engine.Catalogue) string {
	if ae == nil || ae.Verdict == engine.VerdictNotDone {
		return ""
	}
	if ae.Verdict == engine.VerdictTooEarly {
		return f.T("Chưa đủ thời gian để kết luận", "Too early to tell") + " (" + strconv.Itoa(ae.DaysPassed) + "/" + strconv.Itoa(ae.Window) + f.T(" ngày)", " days)")
	}
	var parts []string
	for _, ce := range ae.Criteria {
		s := f.critLabel(cat, ce.Key) + ": "
		switch ce.Verdict {
		case engine.VerdictTooFew:
			s += f.T("chưa đủ số phiếu", "too few responses")
		case engine.VerdictNone:
			s += f.Delta(ce.Diff.Delta) + f.T(" (không có ý nghĩa thống kê)", " (not significant)")
		default:
			s += f.Delta(ce.Diff.Delta) + f.T(" (có ý nghĩa thống kê)", " (significant)")
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// effectRow is one criterion of the effect table.
type effectRow struct {
	Key, Label, Href, Before, BeforeN, After, AfterN string
	Delta, CI, P, Class, Sentence                    string
	Tested                                           bool
}

// effectView is the effect section of an action's page.
type effectView struct {
	Measured                 bool // the action is done: windows and rows exist
	Note                     string
	Window, Before, After    string
	Rows                     []effectRow
	Seasonal, Method, Prior  string
	WindowValue, WindowError string
}

func (f fmtr) effectView(ae *engine.ActionEffect, e *engine.Engine) effectView {
	v := effectView{WindowValue: strconv.Itoa(ae.Window), Method: f.effectMethod(ae.Window, e.Cfg.MinN)}
	if ae.Verdict == engine.VerdictNotDone {
		v.Note = f.notDoneText()
		return v
	}
	v.Measured = true
	v.Window = strconv.Itoa(ae.Window) + f.T(" ngày", " days")
	v.Before, v.After = f.Range(ae.Before), f.Range(ae.After)
	label := func(k string) string { return f.critLabel(e.Cat, k) }
	for _, ce := range ae.Criteria {
		row := effectRow{Key: ce.Key, Label: label(ce.Key), Tested: ce.Tested(), Class: string(ce.Verdict),
			Before: "—", After: "—", Delta: "—", BeforeN: f.Int(ce.Before.N), AfterN: f.Int(ce.After.N),
			Href: "/dashboard/criteria/" + url.PathEscape(ce.Key) + "?" + url.Values{"unit": {ae.Action.Unit},
				"from": {ae.Before.FromDate()}, "to": {ae.After.ToDate()}}.Encode() + strings.Replace(f.langQuery(), "?", "&", 1),
			Sentence: f.effectSentence(label(ce.Key), ce, ae, e.Cfg.MinN)}
		if s, ok := ce.Before.Share(); ok {
			row.Before = f.Pct(s)
		}
		if s, ok := ce.After.Share(); ok {
			row.After = f.Pct(s)
		}
		if ce.Compared {
			row.Delta = f.Delta(ce.Diff.Delta)
		}
		if row.Tested {
			row.CI, row.P = f.Dec(engine.Round2(ce.Diff.Lo), 2)+" – "+f.Dec(engine.Round2(ce.Diff.Hi), 2), f.pValue(ce.Diff.P)
		}
		v.Rows = append(v.Rows, row)
	}
	if ae.Seasonal {
		v.Seasonal = f.seasonalText(ae, ae.Criteria, label)
	}
	return v
}

// effectMethod explains the comparison in one paragraph.
func (f fmtr) effectMethod(window, minN int) string {
	w, n := strconv.Itoa(window), strconv.Itoa(minN)
	return f.T("So sánh tỉ lệ câu trả lời Hài lòng và Rất hài lòng của từng tiêu chí trong "+w+" ngày trước ngày hoàn thành với "+w+
		" ngày kể từ ngày đó (toàn bộ đơn vị và các đơn vị trực thuộc, mọi phiếu khảo sát). Khoảng tin cậy 95 % của chênh lệch theo phương pháp Newcombe (Wilson); kiểm định z hai tỉ lệ, có ý nghĩa thống kê khi p < 0,05. Chỉ kết luận khi khoảng sau đã trọn vẹn và mỗi khoảng có ít nhất "+n+" câu trả lời.",
		"The share of Satisfied and Very satisfied answers to each criterion over the "+w+" days before the done date, against the "+w+
			" days from that date (the unit and its sub-units, every survey). 95 % interval of the difference by Newcombe's method (Wilson); two-proportion z-test, significant when p < 0.05. A verdict needs a complete window after and at least "+n+" answers in each window.")
}

// critOption is a criterion checkbox of the action form.
type critOption struct {
	Key, Label, Question string
	Checked              bool
}

type critGroup struct {
	Label   string
	Options []critOption
}

// criterionGroups lists every criterion of the catalogue by element (the
// overall question last), checked as in sel.
func (f fmtr) criterionGroups(db *survey.Services, cat *engine.Catalogue, sel map[string]bool) []critGroup {
	byEl := map[string][]critOption{}
	for _, k := range cat.Keys() {
		info := cat.Criterion(k)
		byEl[info.Element] = append(byEl[info.Element], critOption{Key: k, Label: f.Text(info.Label), Question: question(db.Surveys, f, k), Checked: sel[k]})
	}
	var out []critGroup
	for _, el := range cat.Elements {
		if opts := byEl[el.Key]; len(opts) > 0 {
			out = append(out, critGroup{Label: f.Text(el.Label), Options: opts})
		}
	}
	if opts := byEl[""]; len(opts) > 0 {
		out = append(out, critGroup{Label: f.T("Câu hỏi chung", "Overall question"), Options: opts})
	}
	return out
}

// actionTable is a list of actions for the "actiontable" partial.
type actionTable struct {
	F    fmtr
	Rows []actionRow
}

// ActionTable lets a template pass rows to the "actiontable" partial.
func (f fmtr) ActionTable(rows []actionRow) actionTable { return actionTable{F: f, Rows: rows} }
