package survey

import (
	"sort"
	"time"
)

// Holiday is a day off on the working-day calendar (a public holiday, or a
// day off the Government moves), kept by the administrator. Day is
// "YYYY-MM-DD" in the installation's zone.
type Holiday struct {
	Day  string `json:"day"`
	Name string `json:"name"`
}

// Validate checks a holiday's fields.
func (h *Holiday) Validate() error {
	if _, err := time.Parse(time.DateOnly, h.Day); err != nil {
		return FieldError("day", "Ngày phải có dạng YYYY-MM-DD. / The day must be YYYY-MM-DD.")
	}
	return CheckName("name", h.Name, 100)
}

// Calendar counts working days: Monday to Friday, except holidays, in loc.
// The zero Calendar has no holidays and the UTC zone.
type Calendar struct {
	Loc      *time.Location
	holidays map[string]bool
}

// NewCalendar returns the calendar of these holidays in loc.
func NewCalendar(loc *time.Location, hs []Holiday) Calendar {
	m := make(map[string]bool, len(hs))
	for _, h := range hs {
		m[h.Day] = true
	}
	return Calendar{Loc: loc, holidays: m}
}

func (c Calendar) loc() *time.Location {
	if c.Loc == nil {
		return time.UTC
	}
	return c.Loc
}

// Workday reports whether the day of t (in the calendar's zone) is a working day.
func (c Calendar) Workday(t time.Time) bool {
	t = t.In(c.loc())
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !c.holidays[t.Format(time.DateOnly)]
}

// AddWorkdays returns the end (23:59:59.999999999) of the n-th working day
// after the day of t: the day of t itself does not count, as a deadline "n
// working days from receipt" is read. n ≤ 0 gives the end of t's day.
func (c Calendar) AddWorkdays(t time.Time, n int) time.Time {
	t = t.In(c.loc())
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, c.loc())
	for i := 0; i < n; {
		d = d.AddDate(0, 0, 1)
		if c.Workday(d) {
			i++
		}
	}
	return d.AddDate(0, 0, 1).Add(-time.Nanosecond)
}

// WorkdaysBetween counts the working days after the day of from up to and
// including the day of to (0 when to is not after from's day).
func (c Calendar) WorkdaysBetween(from, to time.Time) int {
	from, to = from.In(c.loc()), to.In(c.loc())
	d := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, c.loc())
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, c.loc())
	n := 0
	for d.Before(end) {
		d = d.AddDate(0, 0, 1)
		if c.Workday(d) {
			n++
		}
	}
	return n
}

// SortHolidays sorts holidays by day.
func SortHolidays(hs []Holiday) {
	sort.Slice(hs, func(i, j int) bool { return hs[i].Day < hs[j].Day })
}

// DefaultHolidays are the public holidays of 2026 on which offices close
// (Bộ luật Lao động 2019, Điều 112, and the Government's decisions for
// 2026: Tết Nguyên đán from Saturday 14 to Sunday 22 February; a holiday on
// a weekend is taken the next working day). Weekends are left out: they
// are not working days anyway. A new store starts with them; the
// administrator keeps the list (docs/CASES.md).
func DefaultHolidays() []Holiday {
	return []Holiday{
		{"2026-01-01", "Tết Dương lịch"},
		{"2026-02-16", "Tết Nguyên đán Bính Ngọ (29 tháng Chạp)"},
		{"2026-02-17", "Tết Nguyên đán Bính Ngọ (Mùng 1 Tết)"},
		{"2026-02-18", "Tết Nguyên đán Bính Ngọ (Mùng 2 Tết)"},
		{"2026-02-19", "Tết Nguyên đán Bính Ngọ (Mùng 3 Tết)"},
		{"2026-02-20", "Tết Nguyên đán Bính Ngọ (Mùng 4 Tết)"},
		{"2026-04-27", "Giỗ Tổ Hùng Vương (10/3 âm lịch, Chủ nhật 26/4: nghỉ bù)"},
		{"2026-04-30", "Ngày Chiến thắng (30/4)"},
		{"2026-05-01", "Ngày Quốc tế Lao động (1/5)"},
		{"2026-09-01", "Quốc khánh (ngày liền kề)"},
		{"2026-09-02", "Quốc khánh (2/9)"},
	}
}
