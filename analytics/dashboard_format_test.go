package analytics

import (
	"hailong/analytics/engine"
	"strings"
	"testing"
	"time"
)

// The pages' own wording of periods, dates and names (engine's
// format_test.go checks the numbers).
func TestPageWords(t *testing.T) {
	vi := newFmtr("vi")
	for _, c := range []struct{ got, want string }{
		{vi.periodText(engine.Period{From: day(2025, 1, 1), To: day(2025, 12, 31)}), "năm 2025"},
		{vi.periodText(engine.Period{From: day(2026, 1, 1), To: day(2026, 3, 31)}), "quý I năm 2026"},
		{vi.periodText(engine.Period{From: day(2026, 3, 1), To: day(2026, 3, 31)}), "tháng 3 năm 2026"},
		{vi.periodText(engine.Period{From: day(2026, 1, 1), To: day(2026, 3, 18)}), "từ ngày 01/01/2026 đến ngày 18/03/2026"},
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
		var p engine.Period
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
