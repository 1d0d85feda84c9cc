package analytics

import (
	"math"
	"strconv"
	"strings"

	"hailong/analytics/engine"
	"hailong/survey"
)

// The plain words of improvement actions and their effect, in the page's
// language (the API gives both).

// statusName names an action's status.
func (f fmtr) statusName(s survey.ActionStatus) string {
	switch s {
	case survey.ActionPlanned:
		return f.T("Kế hoạch", "Planned")
	case survey.ActionInProgress:
		return f.T("Đang thực hiện", "In progress")
	case survey.ActionDone:
		return f.T("Đã hoàn thành", "Done")
	}
	return string(s)
}

// dayText writes a YYYY-MM-DD date in the page's format ("" stays "").
func (f fmtr) dayText(s string) string {
	d, ok := survey.ParseDay(s)
	if !ok {
		return s
	}
	return f.Date(d)
}

// quoted puts a label in typographic quotes.
func quoted(s string) string { return "“" + s + "”" }

// effectSentence says in one sentence what can be concluded of one
// criterion: "Tiêu chí “Bố trí quầy, trang thiết bị” tăng 18,4 điểm (từ
// 52,1 % lên 70,5 %), khác biệt có ý nghĩa thống kê."
func (f fmtr) effectSentence(label string, ce engine.CriterionEffect, ae *engine.ActionEffect, minN int) string {
	subject := f.T("Tiêu chí ", "Criterion ") + quoted(label)
	switch ce.Verdict {
	case engine.VerdictNotDone:
		return f.notDoneText()
	case engine.VerdictTooEarly:
		return subject + f.T(": chưa đủ thời gian để kết luận — mới qua ", ": not enough time yet to tell — ") +
			strconv.Itoa(ae.DaysPassed) + "/" + strconv.Itoa(ae.Window) +
			f.T(" ngày của khoảng sau khi hoàn thành.", " days of the window after completion have passed.")
	case engine.VerdictTooFew:
		return subject + f.T(": chưa đủ số phiếu để kết luận (trước: n = ", ": not enough responses yet to tell (before: n = ") +
			f.Int(ce.Before.N) + f.T(", sau: n = ", ", after: n = ") + f.Int(ce.After.N) +
			f.T("; cần ít nhất ", "; at least ") + strconv.Itoa(minN) + f.T(" mỗi khoảng).", " needed in each window).")
	}
	d := ce.Diff
	move := f.change(d)
	switch ce.Verdict {
	case engine.VerdictNone:
		return subject + " " + move + f.T(", khác biệt không có ý nghĩa thống kê: chưa thể kết luận hành động đã tạo ra thay đổi.",
			", not a statistically significant difference: no effect can be concluded.")
	}
	return subject + " " + move + f.T(", khác biệt có ý nghĩa thống kê.", ", a statistically significant difference.")
}

// change writes "tăng 18,4 điểm (từ 52,1 % lên 70,5 %)" (one decimal, the
// change from the unrounded shares).
func (f fmtr) change(d engine.Difference) string {
	from, to := f.Dec(engine.Round1(d.Before), 1)+"\u00a0%", f.Dec(engine.Round1(d.After), 1)+"\u00a0%"
	delta := engine.Round1(d.Delta)
	pts := f.Dec(math.Abs(delta), 1) + f.T("\u00a0điểm", "\u00a0points")
	switch {
	case delta > 0:
		return f.T("tăng ", "rose ") + pts + f.T(" (từ "+from+" lên "+to+")", " (from "+from+" to "+to+")")
	case delta < 0:
		return f.T("giảm ", "fell ") + pts + f.T(" (từ "+from+" xuống "+to+")", " (from "+from+" to "+to+")")
	}
	return f.T("không đổi ("+from+")", "was unchanged ("+from+")")
}

func (f fmtr) notDoneText() string {
	return f.T("Hành động chưa hoàn thành: hiệu quả được đo từ ngày hoàn thành, so sánh hai khoảng thời gian bằng nhau trước và sau ngày đó.",
		"The action is not done yet: its effect is measured from the day it is done, comparing equal windows before and after that day.")
}

// pValue writes a p-value: "p < 0,001" or "p = 0,012".
func (f fmtr) pValue(p float64) string {
	if p < 0.001 {
		return "p < " + f.Dec(0.001, 3)
	}
	return "p = " + f.Dec(p, 3)
}

// seasonalText is the caveat shown when the windows cover different months
// of the year, with last year's change over the same windows when known.
func (f fmtr) seasonalText(ae *engine.ActionEffect, crits []engine.CriterionEffect, label func(string) string) string {
	s := f.T("Lưu ý mùa vụ: hai khoảng thời gian rơi vào các tháng khác nhau trong năm, nên một phần thay đổi có thể do mùa vụ (lượng khách, thời tiết, cao điểm hồ sơ) chứ không do hành động.",
		"Seasonal caveat: the two windows cover different months of the year, so part of a change may come from the season (visitor numbers, weather, dossier peaks) rather than the action.")
	var prior []string
	for _, ce := range crits {
		if ce.Prior != nil {
			prior = append(prior, quoted(label(ce.Key))+" "+f.Delta(ce.Prior.Delta))
		}
	}
	if len(prior) > 0 {
		s += f.T(" Cùng hai khoảng này của năm trước, khi chưa có hành động: ", " Over the same windows a year earlier, before the action: ") +
			strings.Join(prior, "; ") + "."
	}
	return s
}
