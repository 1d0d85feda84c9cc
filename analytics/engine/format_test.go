package engine

import (
	"strings"
	"testing"
)

func TestNumberFormats(t *testing.T) {
	vi, en := NewFormatter("vi"), NewFormatter("en")
	for _, c := range []struct{ got, want string }{
		{vi.Pct(76.294), "76,29 %"}, {en.Pct(76.294), "76.29 %"},
		{vi.Delta(76.294 - 76.566), "−0,27 điểm"}, {en.Delta(-0.272), "−0.27 points"},
		{vi.Delta(1.5), "+1,50 điểm"}, {vi.Delta(0.001), "0,00 điểm"}, {vi.Delta(-0.001), "0,00 điểm"},
		{vi.Int(14197), "14.197"}, {en.Int(14197), "14,197"}, {vi.Int(1234567), "1.234.567"}, {vi.Int(999), "999"},
		{vi.Pct(98.6), "98,60 %"}, {vi.Dec(-1234.5, 1), "−1.234,5"},
		{vi.Date(day(2026, 3, 8)), "08/03/2026"}, {en.Date(day(2026, 3, 8)), "8 Mar 2026"},
	} {
		if strings.ReplaceAll(c.got, "\u00a0", " ") != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestNoBreakBeforeUnits(t *testing.T) {
	if got := NewFormatter("vi").Pct(76.29); got != "76,29\u00a0%" {
		t.Errorf("%q: the sign must not wrap alone", got)
	}
}
