package analytics

import (
	"strings"
	"testing"
	"time"
)

func TestNumberFormats(t *testing.T) {
	vi, en := newFmtr("vi"), newFmtr("en")
	for _, c := range []struct{ got, want string }{
		{vi.Pct(76.294), "76,29 %"}, {en.Pct(76.294), "76.29 %"},
		{vi.Delta(76.294 - 76.566), "−0,27 điểm"}, {en.Delta(-0.272), "−0.27 points"},
		{vi.Delta(1.5), "+1,50 điểm"}, {vi.Delta(0.001), "0,00 điểm"}, {vi.Delta(-0.001), "0,00 điểm"},
		{vi.Int(14197), "14.197"}, {en.Int(14197), "14,197"}, {vi.Int(1234567), "1.234.567"}, {vi.Int(999), "999"},
		{vi.Pct(98.6), "98,60 %"}, {vi.Dec(-1234.5, 1), "−1.234,5"},
		{vi.Date(day(2026, 3, 8)), "08/03/2026"}, {en.Date(day(2026, 3, 8)), "8 Mar 2026"},
		{vi.periodText(Period{day(2025, 1, 1), day(2025, 12, 31)}), "năm 2025"},
		{vi.periodText(Period{day(2026, 1, 1), day(2026, 3, 31)}), "quý I năm 2026"},
		{vi.periodText(Period{day(2026, 3, 1), day(2026, 3, 31)}), "tháng 3 năm 2026"},
		{vi.periodText(Period{day(2026, 1, 1), day(2026, 3, 18)}), "từ ngày 01/01/2026 đến ngày 18/03/2026"},
		{vi.docDate(time.Date(2017, 4, 3, 9, 0, 0, 0, hcm)), "ngày 03 tháng 4 năm 2017"},
		{vi.docDate(time.Date(2026, 1, 15, 9, 0, 0, 0, hcm)), "ngày 15 tháng 01 năm 2026"},
		{abbreviation("Sở Công Thương"), "SCT"}, {abbreviation("Sở Văn hóa, Thể thao và Du lịch"), "SVHTTDL"},
		{abbreviation("UBND phường Bắc Thành"), "UBND"},
		{trimUnitPrefix("UBND Tỉnh Khánh Hòa"), "Khánh Hòa"}, {lowerFirst("Khối Sở, ban, ngành"), "khối Sở, ban, ngành"},
	} {
		if strings.ReplaceAll(c.got, "\u00a0", " ") != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestNoBreakBeforeUnits(t *testing.T) {
	if got := newFmtr("vi").Pct(76.29); got != "76,29\u00a0%" {
		t.Errorf("%q: the sign must not wrap alone", got)
	}
}

func TestPeriodPicker(t *testing.T) {
	today := day(2026, 3, 18)
	for _, c := range []struct {
		q        map[string]string
		from, to int32
		field    string
	}{
		{map[string]string{}, today - 364, today, ""},
		{map[string]string{"p": "2025"}, day(2025, 1, 1), day(2025, 12, 31), ""},
		{map[string]string{"p": "2025-q2"}, day(2025, 4, 1), day(2025, 6, 30), ""},
		{map[string]string{"p": "2025-Q4"}, day(2025, 10, 1), day(2025, 12, 31), ""},
		{map[string]string{"p": "2026-02"}, day(2026, 2, 1), day(2026, 2, 28), ""},
		{map[string]string{"p": "custom", "from": "2026-01-10", "to": "2026-01-20"}, day(2026, 1, 10), day(2026, 1, 20), ""},
		{map[string]string{"p": "2026-13"}, 0, 0, "p"},
		{map[string]string{"p": "last-week"}, 0, 0, "p"},
		{map[string]string{"p": "2025", "to": "2025-05-01"}, 0, 0, "p"},
	} {
		pq, err := periodArgs(c.q)
		var p Period
		if err == nil {
			p, err = parsePeriod(pq, today)
		}
		if c.field != "" {
			if err == nil {
				t.Errorf("%v: accepted", c.q)
			}
			continue
		}
		if err != nil || p.From != c.from || p.To != c.to {
			t.Errorf("%v: %v %v, want %d–%d", c.q, p, err, c.from, c.to)
		}
	}
}
