package analytics

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"hailong/analytics/engine"
	"hailong/survey"
)

// The official report's two sections on improvement actions: the actions
// of the period with their status and measured effect (section V), and the
// new conclusions — the part of the notice that assigns the open actions to
// offices, in the style of an administrative document (section VI).

// reportAction is one line of the report's actions table.
type reportAction struct {
	No                                   int
	Title, Criteria, Office, Due, Status string
	Effect                               []string // one sentence per criterion ("" when not done)
	Overdue                              bool
}

// reportActions is what the report says of actions.
type reportActions struct {
	Rows        []reportAction
	Assignments []string // "1. Giao Văn phòng Sở chủ trì, phối hợp … hoàn thành trước ngày …"
	Closing     string
	Window      string
}

// periodActions are the actions of the report's subtree whose life overlaps
// the period: created on or before its last day, and open or done on or
// after its first day.
func periodActions(all []survey.Action, p engine.Period, created func(a *survey.Action) int32) []survey.Action {
	from := survey.DayString(p.From)
	var out []survey.Action
	for i := range all {
		if a := &all[i]; created(a) <= p.To && (a.Open() || a.Done >= from) {
			out = append(out, *a)
		}
	}
	return out
}

// reportActions builds both sections for the report's unit and period.
func (r *pageReq) reportActions(db *survey.Services, signer string) (reportActions, error) {
	f, e := r.f, r.eng
	var v reportActions
	all, err := db.Actions.Actions(survey.ActionQuery{Unit: r.filter.Unit})
	if err != nil {
		return v, err
	}
	today := survey.DayOf(db.Clock.Now(), db.Clock.Loc())
	ts := survey.DayString(today)
	window := ActionWindow(db.Settings)
	v.Window = strconv.Itoa(window)
	created := func(a *survey.Action) int32 { return survey.DayOf(a.CreatedAt, db.Clock.Loc()) }
	listed := periodActions(all, r.period, created)
	sortActions(listed, ts)
	for i := range listed {
		a := &listed[i]
		row := reportAction{No: i + 1, Title: a.Title, Criteria: f.criteriaNames(e.Cat, a.Criteria), Office: a.Office,
			Due: f.dayText(a.Due), Status: f.statusName(a.Status), Overdue: a.Overdue(ts)}
		if a.Done != "" {
			row.Status += f.T(" ngày ", " on ") + f.dayText(a.Done)
		} else if row.Overdue {
			row.Status = f.T("Quá hạn, ", "Overdue, ") + lowerFirst(row.Status)
		}
		ae, err := e.ActionEffect(a, window, today)
		if err != nil {
			return v, err
		}
		for _, ce := range ae.Criteria {
			row.Effect = append(row.Effect, f.effectSentence(f.critLabel(e.Cat, ce.Key), ce, ae, e.Cfg.MinN))
		}
		v.Rows = append(v.Rows, row)
	}
	open := make([]survey.Action, 0, len(all))
	for _, a := range all {
		if a.Open() {
			open = append(open, a)
		}
	}
	sortActions(open, ts)
	for i := range open {
		v.Assignments = append(v.Assignments, strconv.Itoa(i+1)+". "+f.assignment(&open[i], e.Cat, ts))
	}
	if len(v.Assignments) > 0 {
		v.Closing = f.T("Yêu cầu Thủ trưởng các phòng, đơn vị được giao nhiệm vụ nghiêm túc triển khai thực hiện; định kỳ hằng tháng báo cáo kết quả thực hiện về "+titleCase(signer)+" để theo dõi, chỉ đạo.",
			"The heads of the offices assigned are to carry out these tasks in earnest and report progress monthly to the "+strings.ToLower(signer)+".")
	}
	return v, nil
}

// assignment writes one task in the formal style of a notice: "Giao Văn
// phòng Sở chủ trì, phối hợp với các phòng, đơn vị có liên quan thực hiện
// “Cải tạo …” nhằm nâng cao mức độ hài lòng của người dân, tổ chức về tiêu
// chí “Bố trí quầy, trang thiết bị”; hoàn thành trước ngày 30/06/2026."
func (f fmtr) assignment(a *survey.Action, cat *engine.Catalogue, today string) string {
	var crits []string
	for _, k := range a.Criteria {
		crits = append(crits, quoted(f.critLabel(cat, k)))
	}
	list := strings.Join(crits, ", ")
	due := f.dayText(a.Due)
	if f.English() {
		s := quoted(a.Title) + ": assigned to " + a.Office + ", leading in coordination with the relevant divisions and units, " +
			"to raise citizens' and organisations' satisfaction with " + list + "; to be completed by " + due
		if a.Overdue(today) {
			s += " (overdue: to be completed without delay)"
		}
		return s + "."
	}
	s := "Giao " + a.Office + " chủ trì, phối hợp với các phòng, đơn vị có liên quan thực hiện " + quoted(a.Title) +
		" nhằm nâng cao mức độ hài lòng của người dân, tổ chức về tiêu chí " + list + "; hoàn thành trước ngày " + due
	if a.Overdue(today) {
		s += " (đã quá hạn, đề nghị khẩn trương hoàn thành)"
	}
	return s + "."
}

// titleCase writes a signer's title as in running text: "GIÁM ĐỐC" → "Giám đốc".
func titleCase(s string) string {
	s = strings.ToLower(s)
	c, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(c)) + s[n:]
}
