package analytics

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

// reportView is the official report (DESIGN "The official report"): a
// printable A4 document in the layout of Nghị định 30/2020/NĐ-CP.
type reportView struct {
	F                                   fmtr
	Filters                             filterView
	Parent, Agency, Number, Place, Date string
	Subject, PeriodText, PrevText       string
	PrevPartial                         string // the previous period is covered in part only (prevPartial)
	Index, Prev                         figView
	Delta                               deltaView
	Rank                                *rankView
	RankNow, RankBefore, RankGroup      string
	Timeliness                          timelinessView
	Received                            string
	Sat766                              sat766View
	Criteria                            []reportCrit
	Quotes                              []reportQuote
	TT01                                *reportTT01
	Method, MinN, Responses, Empty      string
	Channels                            []tlRow
	Signer, Generated                   string
	Recipients                          []string
	Dashboard, SummaryXLSX, Vi, En      string
	Actions                             reportActions // sections V and VI (action_report.go)
	LogHead                             *reportHead   // the last published head of the tamper-evident log in the period
	Excluded                            reportExcluded
}

// reportExcluded is how many responses with an answer the report's figures
// leave out, and why (docs/METHODOLOGY.md "Exclusions").
type reportExcluded struct {
	Misuse, Unverified, Reclassified, Total, Reinstated string
}

// reportHead is a day's head of the tamper-evident log (docs/INTEGRITY.md).
type reportHead struct{ Date, Entries, Hash string }

type reportCrit struct {
	No                                 int
	Key, Label, Element, Value, N, Neg string
	Question                           string // when two criteria share a label
	ReasonKeys                         []string
	Reasons                            string
	TooFew                             bool
}

type reportQuote struct {
	Criterion string
	Comments  []string
}

type reportTT01 struct {
	Dossiers, Answered, Total, Max, Scaled, Grade string
	Indices                                       []tlRow
}

// getReport handles GET /reports/official?unit=&from=&to= (or p=2025,
// 2025-q1 …): the official report of a unit's subtree for a period.
func getReport(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parsePage(c, d)
		if err != nil {
			return pageError(c, d, r, "/reports/official", err)
		}
		v, err := buildReport(d.Services, r)
		if err != nil {
			return err
		}
		return pages.Render(c, fiber.StatusOK, "report", &web.Page{Title: r.f.T("Báo cáo", "Report") + " – " + v.Agency,
			User: web.Who(c), Nav: "dashboard", Lang: r.f.Lang(), Data: v})
	}
}

func buildReport(db *survey.Services, r *pageReq) (*reportView, error) {
	f, e, minN := r.f, r.eng, r.eng.Cfg.MinN
	s, err := e.Summary(r.filter, r.period)
	if err != nil {
		return nil, err
	}
	v := &reportView{F: f, Filters: filterForm(db, r.p, f, r.raw, "/reports/official"),
		PeriodText: f.periodText(s.Period), PrevText: f.periodText(s.PreviousPeriod),
		Index: f.fig(s.Current.Index, minN), Prev: f.fig(s.Previous.Index, minN), MinN: strconv.Itoa(minN),
		Method: f.MethodText(e.Cfg.Method), Responses: f.Int(s.Tally.Responses), Empty: f.Int(s.Tally.Empty),
		Dashboard: r.link("/dashboard"), SummaryXLSX: r.link("/exports/summary.xlsx", "lang", ""),
		Vi: r.link("/reports/official", "lang", ""), En: r.link("/reports/official", "lang", "en")}
	r.reportHeader(db, v)
	x := s.Tally.Excluded
	v.Excluded = reportExcluded{Misuse: f.Int(x.Misuse), Unverified: f.Int(x.Unverified), Reclassified: f.Int(x.Reclassified),
		Total: f.Int(x.Total()), Reinstated: f.Int(x.Reinstated)}
	if s.Current.Index.OK && s.Previous.Index.OK {
		v.Delta = f.deltaView(s.Current.Index.Value - s.Previous.Index.Value)
		if day, ok := prevPartial(db, s.PreviousPeriod); ok {
			v.PrevPartial = f.T("Số liệu "+v.PrevText+" chỉ có từ ngày "+f.Date(day)+" (ngày bắt đầu khảo sát), nên mức thay đổi và thứ hạng năm trước chỉ mang tính tham khảo.",
				"Data for "+v.PrevText+" exist only from "+f.Date(day)+" (when the survey began), so the change and the earlier rank are indicative only.")
		}
	}
	if v.Rank = r.rankText(s); v.Rank != nil {
		v.RankGroup = lowerFirst(r.eng.GroupName(s.Rank.Group))
		if s.Rank.Unit != r.filter.Unit { // a department: its agency's rank
			v.RankGroup += " (" + r.eng.Org().Name(s.Rank.Unit) + ")"
		}
		v.RankNow, v.RankBefore = rankOf(f, s.Rank.Position, s.Rank.Of), rankOf(f, s.Rank.PreviousPosition, s.Rank.PreviousOf)
	}
	t, err := e.Timeliness(r.filter, r.period)
	if err != nil {
		return nil, err
	}
	v.Timeliness, v.Received = f.timeliness(t), f.Int(uint64(t.Received))
	sat, err := e.Satisfaction766(r.filter, r.period)
	if err != nil {
		return nil, err
	}
	v.Sat766 = f.sat766(sat, e.Cfg.MinN)
	v.Criteria = r.reportCriteria(db, s)
	if v.Quotes, err = r.reportQuotes(db, v.Criteria); err != nil {
		return nil, err
	}
	if v.TT01, err = r.reportTT01(); err != nil {
		return nil, err
	}
	if v.Channels, err = r.channelSizes(); err != nil {
		return nil, err
	}
	if v.Actions, err = r.reportActions(db, v.Signer); err != nil {
		return nil, err
	}
	v.LogHead = logHead(db, f, r.period.From, r.period.To)
	if len(v.Actions.Assignments) > 0 {
		n := len(v.Recipients) - 1 // before "Lưu: VT."
		v.Recipients = append(v.Recipients[:n:n], f.T("Các phòng, đơn vị được giao nhiệm vụ (để thực hiện);", "The offices assigned (for action);"), v.Recipients[n])
	}
	return v, nil
}

// logHead is the last final head of the log within the days from..to,
// or nil (none yet: the report is printed before the period's first day
// closed).
func logHead(db *survey.Services, f fmtr, from, to int32) *reportHead {
	loc := db.Clock.Loc()
	hs := db.Integrity.Heads(survey.DayStart(from, loc), survey.DayStart(to, loc), false)
	if len(hs) == 0 {
		return nil
	}
	h := hs[len(hs)-1]
	d, err := time.Parse(time.DateOnly, h.Date)
	if err != nil {
		return nil
	}
	return &reportHead{Date: f.Date(survey.DayOf(d, time.UTC)), Entries: f.Int(h.Entries), Hash: h.Hash}
}

func rankOf(f fmtr, pos, of int) string {
	if pos == 0 {
		return f.T("chưa xếp hạng", "not ranked")
	}
	return strconv.Itoa(pos) + "/" + strconv.Itoa(of)
}

// reportHeader fills the header and footer blocks from the unit tree.
func (r *pageReq) reportHeader(db *survey.Services, v *reportView) {
	f, o := r.f, r.eng.Org()
	unit := r.filter.Unit
	if unit == "" && len(o.Children("")) == 1 {
		unit = o.Children("")[0]
	}
	u, _ := o.Unit(unit)
	name := u.Name
	if name == "" {
		name = f.T("Các đơn vị", "All units")
	}
	v.Agency = upper(name)
	if pu, ok := o.Unit(u.Parent); ok {
		v.Parent = upper(pu.Name)
	}
	v.Number = f.T("Số:", "No.:") + " \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/BC-" + abbreviation(name)
	now := db.Clock.Now().In(db.Clock.Loc())
	v.Place, v.Date = placeName(db.Settings, o, unit), f.docDate(now)
	v.Generated = f.Time(now, db.Clock.Loc())
	v.Subject = f.T("Kết quả khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ của ", "Results of the survey of citizens' and organisations' satisfaction with the service of ") +
		name + f.T(" ", " in ") + v.PeriodText
	v.Signer = signerTitle(db.Settings, f, name)
	v.Recipients = []string{f.T("Lãnh đạo đơn vị", "The unit's leadership") + ";"}
	if v.Parent != "" {
		v.Recipients = append([]string{o.Name(u.Parent) + f.T(" (để báo cáo);", " (for information);")}, v.Recipients...)
	}
	v.Recipients = append(v.Recipients, f.T("Bộ phận Tiếp nhận và Trả kết quả;", "The one-stop reception desk;"), f.T("Lưu: VT.", "File: archive."))
}

// reportCriteria lists the criteria weakest first with their negative
// share and main reasons (the overall question apart).
func (r *pageReq) reportCriteria(db *survey.Services, s *engine.Summary) []reportCrit {
	f, e := r.f, r.eng
	neg := map[string]engine.PainPoint{}
	for _, pp := range engine.PainPoints(s.Tally, e.Cat, 2) {
		neg[pp.Key] = pp
	}
	labels := reasonLabels(db.Surveys)
	var out []reportCrit
	for _, row := range f.criteriaRows(db.Surveys, s.Current, e, func(string) string { return "" }) {
		if row.Overall || !row.Fig.OK {
			continue
		}
		c := reportCrit{No: len(out) + 1, Key: row.Key, Label: row.Label, Question: row.Question, Element: row.Element, Value: row.Fig.Value, N: row.Fig.N, TooFew: row.Fig.TooFew}
		if pp, ok := neg[row.Key]; ok {
			c.Neg = f.Pct(pp.Value)
			c.Reasons = f.reasonList(pp.Reasons, labels)
			for _, rs := range pp.Reasons {
				c.ReasonKeys = append(c.ReasonKeys, rs.Key)
			}
		}
		out = append(out, c)
	}
	return out
}

// reportQuotes takes up to two recent comments (masked, each quoted once)
// of citizens dissatisfied with each of the three weakest criteria that
// have enough answers — comments that chose one of the criterion's main
// reasons, so that they speak of it. One backward scan serves the three.
func (r *pageReq) reportQuotes(db *survey.Services, crits []reportCrit) ([]reportQuote, error) {
	var picked []reportCrit
	for _, c := range crits {
		if !c.TooFew && len(picked) < 3 {
			picked = append(picked, c)
		}
	}
	if len(picked) == 0 {
		return nil, nil
	}
	base, err := r.commentQuery(db.Clock, 0)
	if err != nil {
		return nil, err
	}
	base.WithComment = true
	quotes := make([]reportQuote, len(picked))
	queries := make([]commentQuery, len(picked))
	for i, c := range picked {
		quotes[i].Criterion = c.Label
		queries[i] = base
		queries[i].Criterion = c.Key
		if len(c.ReasonKeys) > 0 {
			queries[i].Reasons = map[string]bool{}
			for _, k := range c.ReasonKeys {
				queries[i].Reasons[k] = true
			}
		}
	}
	seen, full := map[string]bool{}, 0
	_, err = scanBack(db.Responses, base.From, base.To, 0, func(resp *survey.Response) bool { return base.match(db, resp) }, func(resp *survey.Response) bool {
		text := survey.MaskPII(resp.Comment)
		for i := range queries {
			if len(quotes[i].Comments) < 2 && !seen[text] && queries[i].match(db, resp) {
				seen[text] = true
				if quotes[i].Comments = append(quotes[i].Comments, text); len(quotes[i].Comments) == 2 {
					full++
				}
				break
			}
		}
		return full < len(quotes)
	})
	var out []reportQuote
	for _, q := range quotes {
		if len(q.Comments) > 0 {
			out = append(out, q)
		}
	}
	return out, err
}

// reportTT01 is the TT 01/2018 score of the report's agency (nil when it
// has no dossiers in the period).
func (r *pageReq) reportTT01() (*reportTT01, error) {
	res, err := r.eng.TT01(r.filter, r.period)
	if err != nil || len(res.Agencies) == 0 {
		return nil, err
	}
	agency, _ := r.eng.Org().GroupOf(r.filter.Unit)
	if agency == "" {
		agency = r.filter.Unit
	}
	row := res.Agencies[0]
	found := len(res.Agencies) == 1
	for _, a := range res.Agencies {
		if a.Key == agency {
			row, found = a, true
		}
	}
	if !found || len(row.Indices) == 0 {
		return nil, nil
	}
	f := r.f
	v := &reportTT01{Dossiers: f.Int(uint64(row.Dossiers)), Answered: f.Int(uint64(row.Answered)),
		Total: f.Dec(row.Total, 1), Max: strconv.Itoa(row.Max), Scaled: f.Dec(row.Scaled, 1), Grade: row.Grade}
	for _, ix := range row.Indices {
		v.Indices = append(v.Indices, tlRow{Label: tt01Name(f, ix.Index), Count: f.Int(uint64(ix.Dossiers)), Pct: f.Dec(ix.Score, 1)})
	}
	return v, nil
}

// tt01Name names the TT 01 indices Hài Lòng scores.
func tt01Name(f fmtr, index int) string {
	switch index {
	case 1:
		return f.T("1. Tổng thời gian giải quyết so với quy định", "1. Total time against the limit")
	case 3:
		return f.T("3. Số lần phải liên hệ để hoàn thiện hồ sơ", "3. Times the applicant had to come back")
	case 4:
		return f.T("4. Số cơ quan phải liên hệ", "4. Agencies the applicant had to contact")
	case 7:
		return f.T("7. Thái độ của công chức", "7. Attitude of the civil servants")
	}
	return strconv.Itoa(index)
}

// channelSizes is the sample by channel: responses with an answer.
func (r *pageReq) channelSizes() ([]tlRow, error) {
	rows, err := r.eng.Breakdown(r.filter, r.period, "channel")
	if err != nil {
		return nil, err
	}
	var total uint64
	for _, row := range rows {
		total += row.Responses
	}
	var out []tlRow
	for _, row := range r.f.channelRows(rows) {
		if row.Responses == 0 {
			continue
		}
		share, _ := engine.Share(row.Responses, total)
		out = append(out, tlRow{Label: row.Name, Count: r.f.Int(row.Responses), Pct: r.f.Pct(share)})
	}
	return out, nil
}
