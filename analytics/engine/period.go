package engine

import (
	"time"

	"hailong/survey"
)

// Period is a range of calendar days in the installation's zone, both ends
// inclusive, as days since 1970-01-01 (survey.DayOf).
type Period struct{ From, To int32 }

// MaxPeriodDays bounds a query's range (about ten years).
const MaxPeriodDays = 3700

// Civil returns the calendar date of day as a UTC time.
func Civil(day int32) time.Time { return time.Unix(int64(day)*86400, 0).UTC() }

func dayOfCivil(t time.Time) int32 {
	return int32(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Days is the number of days of p.
func (p Period) Days() int { return int(p.To-p.From) + 1 }

// Start is the first instant of p in loc.
func (p Period) Start(loc *time.Location) time.Time { return survey.DayStart(p.From, loc) }

// End is the first instant after p in loc.
func (p Period) End(loc *time.Location) time.Time { return survey.DayStart(p.To+1, loc) }

// FromDate and ToDate format the ends as YYYY-MM-DD.
func (p Period) FromDate() string { return Civil(p.From).Format(time.DateOnly) }

// ToDate formats the last day as YYYY-MM-DD.
func (p Period) ToDate() string { return Civil(p.To).Format(time.DateOnly) }

// WholeMonths returns how many calendar months p spans when it starts on a
// month's first day and ends on a month's last day (0 otherwise).
func (p Period) WholeMonths() int {
	f, next := Civil(p.From), Civil(p.To+1)
	if f.Day() != 1 || next.Day() != 1 {
		return 0
	}
	return (next.Year()-f.Year())*12 + int(next.Month()) - int(f.Month())
}

// Previous is the period of the same length just before p: the same number
// of calendar months before when p is whole months (a calendar year → the
// year before, a quarter → the quarter before), else the same number of days.
func (p Period) Previous() Period {
	if m := p.WholeMonths(); m > 0 {
		return Period{dayOfCivil(Civil(p.From).AddDate(0, -m, 0)), p.From - 1}
	}
	return Period{p.From - int32(p.Days()), p.From - 1}
}

// YearBefore shifts p back one calendar year (29 February → 1 March).
func (p Period) YearBefore() Period {
	return Period{dayOfCivil(Civil(p.From).AddDate(-1, 0, 0)), dayOfCivil(Civil(p.To).AddDate(-1, 0, 0))}
}

// Months splits p into calendar months, the first and last clipped to p.
func (p Period) Months() []Period {
	var out []Period
	for d := p.From; d <= p.To; {
		t := Civil(d)
		end := dayOfCivil(time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)) - 1
		out = append(out, Period{d, min(end, p.To)})
		d = end + 1
	}
	return out
}

// Named returns the day, ISO week (Monday to Sunday), month, quarter or
// year containing day.
func Named(kind string, day int32) (Period, bool) {
	t := Civil(day)
	switch kind {
	case "day":
		return Period{day, day}, true
	case "week":
		mon := day - int32((int(t.Weekday())+6)%7)
		return Period{mon, mon + 6}, true
	case "month":
		f := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		return Period{dayOfCivil(f), dayOfCivil(f.AddDate(0, 1, 0)) - 1}, true
	case "quarter":
		f := time.Date(t.Year(), (t.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
		return Period{dayOfCivil(f), dayOfCivil(f.AddDate(0, 3, 0)) - 1}, true
	case "year":
		f := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		return Period{dayOfCivil(f), dayOfCivil(f.AddDate(1, 0, 0)) - 1}, true
	}
	return Period{}, false
}

// LastDays is the n days ending on day (the default: 365 days ending today).
func LastDays(n int, day int32) Period { return Period{day - int32(n) + 1, day} }

// ParseDate parses YYYY-MM-DD (years 2000–2999) into a day number.
func ParseDate(s string) (int32, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 2000 || t.Year() > 2999 {
		return 0, false
	}
	return dayOfCivil(t), true
}
