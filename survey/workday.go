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
