package analytics

import (
	"strconv"

	"hailong/analytics/engine"
)

// sat766View is the 766 satisfaction group as the dashboard and the
// official report show it (docs/METHODOLOGY.md section 16).
type sat766View struct {
	Rows []sat766Row
	Hint string // how to read the per-dossier rate beside the response rate
}

// sat766Row is one figure: its 766 item (Code, "" for ours), value, what it
// is made of (Of: "4 / 10 hồ sơ"), a note; Class as figView's (ok, few,
// none): greyed when its denominator is under the minimum n.
type sat766Row struct {
	Code, Label, Value, Of, Note, Class string
}

func (f fmtr) sat766(s engine.Sat766, minN int) sat766View {
	n := func(x int) string { return f.Int(uint64(max(x, 0))) }
	row := func(code, label string, r engine.Ratio, unitVi, unitEn, note string) sat766Row {
		v := sat766Row{Code: code, Label: label, Value: "—", Class: "none",
			Of: n(r.Num) + " / " + n(r.Den) + " " + f.T(unitVi, unitEn), Note: note}
		switch {
		case !r.OK:
			v.Note = f.T("Chưa có số liệu trong kỳ.", "No data in the period.")
		case engine.TooFew(uint64(r.Den), minN):
			v.Value, v.Class = f.Pct(r.Pct), "few"
			v.Note = f.T("Mẫu số dưới "+strconv.Itoa(minN)+": chưa đủ để kết luận. ", "Denominator under "+strconv.Itoa(minN)+": too few to conclude. ") + note
		default:
			v.Value, v.Class = f.Pct(r.Pct), "ok"
		}
		return v
	}
	against := f.T("Không tính là hài lòng: "+n(s.Late)+" trễ hạn hoặc quá hạn, "+n(s.Negative)+" có phiếu không hài lòng, "+
		n(s.WithCase)+" bị phản ánh ("+n(s.Against)+" hồ sơ).",
		"Counted against: "+n(s.Late)+" late or overdue, "+n(s.Negative)+" with a negative answer, "+n(s.WithCase)+
			" with a case ("+n(s.Against)+" dossiers).")
	if s.Dossier.OK {
		against += " " + f.T("Theo cách tính của Cổng Dịch vụ công quốc gia", "As the national portal computes it") + ": " + f.Pct(s.PortalPct) + "."
	}
	return sat766View{Rows: []sat766Row{
		row("", f.T("Tỉ lệ phản hồi: phiếu đánh giá hồ sơ được trả lời ÷ phiếu đã phát", "Response rate: receipts answered ÷ receipts issued"),
			s.Response, "phiếu", "receipts", ""),
		row("5.4", f.T("Tỉ lệ hài lòng trong tiếp nhận, giải quyết hồ sơ (theo từng hồ sơ)", "Satisfaction per dossier received and handled"),
			s.Dossier, "hồ sơ", "dossiers", against),
		row("5.2", f.T("Tiến độ xử lý phản ánh, kiến nghị: trả lời đúng hạn hoặc đang xử lý trong hạn", "Petitions (PAKN) handled on time, or still within the deadline"),
			s.CasesOnTime, "phản ánh", "cases", ""),
		row("5.3", f.T("Tỉ lệ hài lòng trong xử lý phản ánh, kiến nghị", "Satisfaction with the handling of petitions (PAKN)"),
			s.CasesSatisfied, "phản ánh", "cases",
			f.T("Không tính: "+n(s.CasesLate)+" xử lý trễ hạn, "+n(s.CasesBad)+" người phản ánh không hài lòng.",
				"Counted against: "+n(s.CasesLate)+" handled late, "+n(s.CasesBad)+" rated dissatisfied.")),
		row("", f.T("Người phản ánh đánh giá hài lòng với câu trả lời", "Citizens satisfied with the reply"),
			s.Rated, "lượt đánh giá", "ratings", ""),
	}, Hint: f.T("Hồ sơ không có phiếu trả lời được tính là hài lòng nếu không trễ hạn và không bị phản ánh: đọc tỉ lệ 5.4 cùng tỉ lệ phản hồi. Hồ sơ tính theo ngày tiếp nhận, phản ánh theo ngày mở, tình trạng tính đến hôm nay.",
		"A dossier without an answered receipt counts as satisfied unless it is late or has a case: read 5.4 with the response rate. Dossiers by the day received, cases by the day opened, their state as of today.")}
}
