package analytics

import (
	"testing"

	"hailong/analytics/engine"
	"hailong/survey"
)

// FuzzParsePeriod feeds arbitrary query values to the period parser: it
// must never panic, and whatever it accepts is a real, bounded range.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range [][4]string{
		{"2026-01-01", "2026-12-31", "", ""}, {"", "", "month", "2026-02-29"}, {"", "", "quarter", ""},
		{"2026-13-01", "", "", ""}, {"9999-12-31", "0001-01-01", "", ""}, {"", "", "year", "2026-02-30"},
		{"2026-1-1", "", "", ""}, {"", "2026-03-01", "", ""}, {"", "", "", "2026-01-01"}, {"\xff", "", "week", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	today, _ := engine.ParseDate("2026-11-28")
	f.Fuzz(func(t *testing.T, from, to, period, date string) {
		q := map[string]string{}
		for k, v := range map[string]string{"from": from, "to": to, "period": period, "date": date} {
			if v != "" {
				q[k] = v
			}
		}
		p, err := parsePeriod(q, today)
		if err != nil {
			if e, ok := err.(*survey.Error); !ok || e.Code != survey.EINVALID || e.Field == "" {
				t.Fatalf("error is not a field validation error: %#v", err)
			}
			return
		}
		if p.From > p.To || p.Days() > engine.MaxPeriodDays && period == "" {
			t.Fatalf("accepted a bad period %+v for %v", p, q)
		}
		if _, ok := engine.ParseDate(p.FromDate()); !ok {
			t.Fatalf("period start %q does not parse back", p.FromDate())
		}
	})
}
