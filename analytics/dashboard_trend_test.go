package analytics

import (
	"hailong/analytics/engine"
	"strconv"
	"strings"
	"testing"
)

// A month with too few responses is a hollow dot that no line reaches: the
// path has one segment for each run of reliable months.
func TestTrendLineSkipsTooFewMonths(t *testing.T) {
	fig := func(v float64, n uint64) engine.Figure { return engine.Figure{Value: v, OK: true, N: n} }
	points := []engine.TrendPoint{
		{Current: fig(52, 3), Prior: fig(74, 400)}, // a month with two days of answers
		{Current: fig(76, 400), Prior: fig(78, 400)},
		{Current: fig(75, 400), Prior: fig(76, 400)},
		{Current: fig(90, 5), Prior: fig(76, 400)},
		{Current: fig(77, 400), Prior: fig(77, 400)},
		{Current: fig(76, 400), Prior: fig(75, 400)},
	}
	v := newFmtr("vi").trend(points, 30)
	if got := strings.Count(v.CurPath, "M"); got != 2 {
		t.Errorf("current line has %d segments, want 2 (months 2–3 and 5–6): %q", got, v.CurPath)
	}
	if got := strings.Count(v.CurPath, "L"); got != 2 {
		t.Errorf("current line has %d joins, want 2: %q", got, v.CurPath)
	}
	if strings.Count(v.PriorPath, "M") != 1 || strings.Count(v.PriorPath, "L") != 5 {
		t.Errorf("prior line should run through all six months: %q", v.PriorPath)
	}
	few := 0
	for _, d := range v.CurDots {
		if d.Few {
			few++
			if xy := strconv.FormatFloat(d.X, 'f', 1, 64) + " " + strconv.FormatFloat(d.Y, 'f', 1, 64); strings.Contains(v.CurPath, xy) {
				t.Errorf("the line reaches the hollow dot at %v,%v: %q", d.X, d.Y, v.CurPath)
			}
		}
	}
	if few != 2 || len(v.CurDots) != 6 {
		t.Errorf("%d dots of which %d hollow, want 6 and 2", len(v.CurDots), few)
	}
}
