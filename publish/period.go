package publish

import (
	"regexp"
	"strconv"
	"time"

	"hailong/analytics/engine"
)

// Periods of the public page: a calendar year ("2025") or a quarter
// ("2025-q3"), within the last Years years and never before the
// "published from" day (a period that starts before it is cut to start
// there). The default is the last complete year when any of it is
// published, else the current year to date (docs/PUBLICATION.md).

// Years is how many calendar years the period picker offers.
const Years = 10

// choice is one period of the picker.
type choice struct {
	Key     string // "2025", "2025-q3"
	Year    int
	Quarter int // 0 for a whole year
	Named   engine.Period
}

var reKey = regexp.MustCompile(`^(\d{4})(?:-[qQ]([1-4]))?$`)

// parseChoice reads a period key; ok is false when it is malformed.
func parseChoice(key string) (choice, bool) {
	m := reKey.FindStringSubmatch(key)
	if m == nil {
		return choice{}, false
	}
	y, _ := strconv.Atoi(m[1])
	if y < 2000 || y > 2999 {
		return choice{}, false
	}
	c := choice{Key: m[1], Year: y}
	first, _ := engine.ParseDate(m[1] + "-01-01")
	c.Named, _ = engine.Named("year", first)
	if m[2] != "" {
		c.Quarter = int(m[2][0] - '0')
		c.Key += "-q" + m[2]
		day, _ := engine.ParseDate(m[1] + "-" + [...]string{"01", "04", "07", "10"}[c.Quarter-1] + "-01")
		c.Named, _ = engine.Named("quarter", day)
	}
	return c, true
}

// window is what s publishes of c as seen on day today: the named period
// cut to start on the "published from" day; ok is false when none of it
// is published (it ends before that day, has not begun, or is older than
// the picker's years).
func (s Settings) window(c choice, today int32) (engine.Period, bool) {
	p := c.Named
	if c.Year <= yearOf(today)-Years {
		return p, false
	}
	if s.From != 0 && p.From < s.From {
		p.From = s.From
	}
	return p, p.From <= p.To && p.From <= today
}

// previous is the period before p that its change and earlier rank are
// measured against (engine.Period.Previous); ok is false when any of it
// lies before the "published from" day.
func (s Settings) previous(p engine.Period) (engine.Period, bool) {
	prev := p.Previous()
	return prev, s.From == 0 || prev.From >= s.From
}

// choices lists the published periods, newest first: each year, then its
// quarters that have begun.
func (s Settings) choices(today int32) []choice {
	var out []choice
	for y := yearOf(today); y > yearOf(today)-Years; y-- {
		yc, _ := parseChoice(strconv.Itoa(y))
		if _, ok := s.window(yc, today); !ok {
			continue
		}
		out = append(out, yc)
		for q := 4; q >= 1; q-- {
			qc, _ := parseChoice(strconv.Itoa(y) + "-q" + strconv.Itoa(q))
			if _, ok := s.window(qc, today); ok {
				out = append(out, qc)
			}
		}
	}
	return out
}

// defaultChoice is the last complete year if any of it is published, else
// the current year; ok is false when nothing is published yet.
func (s Settings) defaultChoice(today int32) (choice, bool) {
	for _, y := range []int{yearOf(today) - 1, yearOf(today)} {
		c, _ := parseChoice(strconv.Itoa(y))
		if _, ok := s.window(c, today); ok {
			return c, true
		}
	}
	return choice{}, false
}

// yearOf is the calendar year of a day number.
func yearOf(day int32) int { return time.Unix(int64(day)*86400, 0).UTC().Year() }
