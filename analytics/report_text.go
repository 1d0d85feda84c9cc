package analytics

import (
	"fmt"
	"hailong/analytics/engine"
	"hailong/survey"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The wording of the official report: the header blocks of a Vietnamese
// administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I) and the
// phrases that name a period.

// periodText names a period: "năm 2025", "quý I năm 2026", "tháng 3 năm
// 2026", or "từ ngày 01/01/2026 đến ngày 18/03/2026".
func (f fmtr) periodText(p engine.Period) string {
	from := engine.Civil(p.From)
	months := p.WholeMonths()
	switch {
	case months == 12 && from.Month() == time.January:
		return f.T(fmt.Sprintf("năm %d", from.Year()), fmt.Sprintf("year %d", from.Year()))
	case months == 3 && (from.Month()-1)%3 == 0:
		q := int(from.Month()-1)/3 + 1
		return f.T(fmt.Sprintf("quý %s năm %d", roman[q], from.Year()), fmt.Sprintf("Q%d %d", q, from.Year()))
	case months == 1:
		return f.T(fmt.Sprintf("tháng %d năm %d", from.Month(), from.Year()), from.Format("January 2006"))
	}
	return f.T("từ ngày "+f.Date(p.From)+" đến ngày "+f.Date(p.To), "from "+f.Date(p.From)+" to "+f.Date(p.To))
}

// docDate writes the date line's date per Nghị định 30: a day under 10 and
// the months 1 and 2 take a leading zero ("ngày 03 tháng 01 năm 2026").
func (f fmtr) docDate(t time.Time) string {
	if f.English() {
		return t.Format("2 January 2006")
	}
	m := fmt.Sprint(int(t.Month()))
	if t.Month() <= 2 {
		m = "0" + m
	}
	return fmt.Sprintf("ngày %02d tháng %s năm %d", t.Day(), m, t.Year())
}

// upper writes a unit name in capitals, as in the header block.
func upper(s string) string { return strings.ToUpper(s) }

// abbreviation is the unit's initials for the document number
// ("Sở Công Thương" → "SCT"; "UBND phường Bắc Thành" → "UBND").
func abbreviation(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '-' })
	if len(words) > 0 && words[0] == strings.ToUpper(words[0]) && utf8.RuneCountInString(words[0]) > 1 {
		return words[0]
	}
	var b strings.Builder
	for _, w := range words {
		if w == "và" || w == "và," {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// placeName is the place of the date line: the setting (Report.Place), else the root
// unit's name without "UBND tỉnh" and the like.
func placeName(db survey.SettingsService, o *engine.Org, unit string) string {
	if s := db.Settings().Report.Place; s != "" {
		return s
	}
	root := unit
	for i := 0; i < 64; i++ {
		u, ok := o.Unit(root)
		if !ok || u.Parent == "" {
			break
		}
		root = u.Parent
	}
	if u, ok := o.Unit(root); ok {
		return trimUnitPrefix(u.Name)
	}
	return ""
}

// trimUnitPrefix strips the words that introduce a place in a unit's name.
func trimUnitPrefix(name string) string {
	for _, p := range []string{"UBND ", "Ủy ban nhân dân ", "Uỷ ban nhân dân ", "tỉnh ", "Tỉnh ", "thành phố ", "Thành phố ", "phường ", "xã "} {
		name = strings.TrimPrefix(name, p)
	}
	return strings.TrimSpace(name)
}

// signerTitle is the title of the head of the unit, in capitals: the
// setting (Report.Signer), else derived from the unit's name.
func signerTitle(db survey.SettingsService, f fmtr, name string) string {
	if s := db.Settings().Report.Signer; s != "" {
		return upper(s)
	}
	switch {
	case strings.HasPrefix(name, "UBND"), strings.HasPrefix(name, "Ủy ban"), strings.HasPrefix(name, "Uỷ ban"):
		return f.T("CHỦ TỊCH", "CHAIRPERSON")
	case strings.HasPrefix(name, "Sở"), strings.HasPrefix(name, "Bệnh viện"), strings.HasPrefix(name, "Trung tâm"):
		return f.T("GIÁM ĐỐC", "DIRECTOR")
	case strings.HasPrefix(name, "Thanh tra"):
		return f.T("CHÁNH THANH TRA", "CHIEF INSPECTOR")
	case strings.HasPrefix(name, "Văn phòng"):
		return f.T("CHÁNH VĂN PHÒNG", "CHIEF OF OFFICE")
	}
	return f.T("THỦ TRƯỞNG ĐƠN VỊ", "HEAD OF UNIT")
}
