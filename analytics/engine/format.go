package engine

import (
	"math"
	"strconv"
	"strings"
	"time"

	"hailong/survey"
)

// Formatter formats numbers, dates and labels for one page language:
// Vietnamese pages write 76,29 % and 14.197; English pages 76.29 % and
// 14,197 (DESIGN "Words"). Pages show figures rounded to 2 decimals like the
// API. The dashboard, the reports and the public page (package publish) all
// format with it, so that a figure reads the same everywhere.
type Formatter struct{ en bool }

// NewFormatter returns the formatting of lang ("en", else Vietnamese).
func NewFormatter(lang string) Formatter { return Formatter{en: lang == "en"} }

// English reports whether the pages are in English.
func (f Formatter) English() bool { return f.en }

// Lang is "vi" or "en".
func (f Formatter) Lang() string {
	if f.en {
		return "en"
	}
	return "vi"
}

// T picks the Vietnamese or English text.
func (f Formatter) T(vi, en string) string { return survey.T(f.Lang(), vi, en) }

// Text picks a survey label in the page's language.
func (f Formatter) Text(t survey.Text) string { return t.In(f.Lang()) }

// Dec writes x with prec decimals and grouped thousands; a negative number
// takes a true minus sign (U+2212).
func (f Formatter) Dec(x float64, prec int) string {
	s := strconv.FormatFloat(math.Abs(x), 'f', prec, 64)
	whole, frac, _ := strings.Cut(s, ".")
	dot, comma := ".", ","
	if !f.en {
		dot, comma = ",", "."
	}
	out := group(whole, comma)
	if frac != "" {
		out += dot + frac
	}
	if x < 0 && strings.Trim(s, "0.") != "" {
		out = "−" + out
	}
	return out
}

// group inserts sep between groups of three digits.
func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	lead := len(digits) % 3
	if lead > 0 {
		b.WriteString(digits[:lead])
	}
	for i := lead; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// Pct writes a percentage: "76,29 %" (with a no-break space, so that the
// sign never wraps alone).
func (f Formatter) Pct(x float64) string { return f.Dec(Round2(x), 2) + "\u00a0%" }

// Int writes a count: "14.197".
func (f Formatter) Int(n uint64) string { return group(strconv.FormatUint(n, 10), f.T(".", ",")) }

// Delta writes a change in points with its sign: "−0,27 điểm", "+1,50 điểm".
func (f Formatter) Delta(x float64) string {
	x = Round2(x)
	s := f.Dec(x, 2)
	if x > 0 {
		s = "+" + s
	}
	return s + f.T("\u00a0điểm", "\u00a0points")
}

// Date writes a day: 18/03/2026, or 18 Mar 2026 in English.
func (f Formatter) Date(day int32) string {
	if f.en {
		return Civil(day).Format("2 Jan 2006")
	}
	return Civil(day).Format("02/01/2006")
}

// Range writes a period: "01/01/2025 – 31/12/2025".
func (f Formatter) Range(p Period) string { return f.Date(p.From) + " – " + f.Date(p.To) }

// Time writes an instant in loc: 18/03/2026 10:30.
func (f Formatter) Time(t time.Time, loc *time.Location) string {
	if f.en {
		return t.In(loc).Format("2 Jan 2006 15:04")
	}
	return t.In(loc).Format("02/01/2006 15:04")
}

// TooFew is DESIGN's "too few responses" notice.
func (f Formatter) TooFew() string {
	return f.T("Chưa đủ số phiếu để kết luận", "Too few responses to conclude")
}

// Channel names a channel.
func (f Formatter) Channel(ch survey.Channel) string {
	switch ch {
	case survey.ChannelKiosk:
		return f.T("Ki-ốt tại quầy", "Counter kiosk")
	case survey.ChannelQR:
		return f.T("Mã QR trên giấy hẹn", "Receipt QR code")
	case survey.ChannelWeb:
		return f.T("Trực tuyến", "Online")
	case survey.ChannelPaper:
		return f.T("Phiếu giấy", "Paper")
	}
	return ch.String()
}

// weekdays, Monday first (time.Weekday order is Sunday first).
var weekdayNames = [7][2]string{{"Chủ nhật", "Sunday"}, {"Thứ Hai", "Monday"}, {"Thứ Ba", "Tuesday"},
	{"Thứ Tư", "Wednesday"}, {"Thứ Năm", "Thursday"}, {"Thứ Sáu", "Friday"}, {"Thứ Bảy", "Saturday"}}

// Weekday names a weekday (0 = Sunday).
func (f Formatter) Weekday(d int) string { return f.T(weekdayNames[d][0], weekdayNames[d][1]) }

// Month writes a YYYY-MM month short: "T3/2026" or "Mar 2026".
func (f Formatter) Month(day int32) string {
	t := Civil(day)
	if f.en {
		return t.Format("Jan 2006")
	}
	return "T" + strconv.Itoa(int(t.Month())) + "/" + strconv.Itoa(t.Year())
}

// MethodText names the index method in force, as the dashboard, the
// official report and the public page print it.
func (f Formatter) MethodText(m Method) string {
	switch m {
	case MethodMean:
		return f.T("điểm trung bình quy về thang 0–100, trung bình theo yếu tố", "mean score on 0–100, averaged over elements") + " (mean)"
	case MethodPooled:
		return f.T("tỉ lệ câu trả lời hài lòng của mọi tiêu chí gộp lại", "share of satisfied answers, all criteria pooled") + " (pooled)"
	case MethodOverall:
		return f.T("tỉ lệ hài lòng của câu hỏi đánh giá chung", "share satisfied on the overall question") + " (overall)"
	}
	return f.T("tỉ lệ câu trả lời Hài lòng và Rất hài lòng, trung bình theo tiêu chí rồi theo yếu tố", "share of Satisfied and Very satisfied answers, averaged over criteria then elements") + " (share45)"
}
