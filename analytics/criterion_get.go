package analytics

import (
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

// critView is one criterion's page: its index and change, the spread of
// the answers, the negative share and its reasons, the criterion by unit,
// counter, staff member, procedure and channel (weakest first) and the
// latest comments of those who were dissatisfied with it.
type critView struct {
	F                                fmtr
	Filters                          filterView
	Scope, Period, PrevPeriod        string
	Key, Label, Question, Element    string
	Fig, Prev, Negative              figView
	Delta                            deltaView
	Mean, NA, NegCount               string
	Dist                             []distSeg
	Reasons                          []reasonRow
	Breakdowns                       []breakdownView
	Comments                         []commentRow
	CommentsLink, Back, Vi, En, MinN string
	Trend                            trendView   // the criterion by month, with action markers
	Actions                          []actionRow // improvement actions that target it
	NewAction                        string      // invites one (managers and admins)
}

type distSeg struct {
	Class, Label, Count, Pct string
	X, W                     float64
}

type reasonRow struct{ Label, Count, Share string }

// getCriterion handles GET /dashboard/criteria/:key.
func getCriterion(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		key := c.Params("key")
		r, err := parsePage(c, d)
		if err != nil {
			return pageError(c, d, r, "/dashboard/criteria/"+key, err)
		}
		if !r.eng.Cat.Criterion(key).Known {
			return survey.Errorf(survey.ENOTFOUND, "Tiêu chí %q không tồn tại. / Unknown criterion %q.", key, key)
		}
		v, err := buildCriterion(d.Services, r, key)
		if err != nil {
			return err
		}
		return pages.Render(c, fiber.StatusOK, "criterion", &web.Page{Title: v.Label + " – " + v.Scope,
			User: web.Who(c), Nav: "dashboard", Lang: r.f.Lang(), Data: v})
	}
}

func buildCriterion(db *survey.Services, r *pageReq, key string) (*critView, error) {
	f, e, minN := r.f, r.eng, r.eng.Cfg.MinN
	// The summary's figures without its rank, which this page does not show.
	s := &engine.Summary{Period: r.period, PreviousPeriod: r.period.Previous()}
	f0 := r.filter
	e.Expand(&f0)
	var err error
	if s.Current, s.Tally, err = e.Index(&f0, s.Period); err != nil {
		return nil, err
	}
	if s.Previous, _, err = e.Index(&f0, s.PreviousPeriod); err != nil {
		return nil, err
	}
	info := e.Cat.Criterion(key)
	v := &critView{F: f, Filters: filterForm(db, r.p, f, r.raw, "/dashboard/criteria/"+key), Scope: r.scopeName(),
		Period: f.Range(s.Period), PrevPeriod: f.Range(s.PreviousPeriod), Key: key, Label: f.Text(info.Label),
		Question: question(db.Surveys, f, key), Element: f.Text(e.Cat.Element(info.Element)), MinN: strconv.Itoa(minN),
		CommentsLink: r.link("/dashboard/comments", "criterion", key), Back: r.link("/dashboard"),
		Vi: r.link("/dashboard/criteria/"+key, "lang", ""), En: r.link("/dashboard/criteria/"+key, "lang", "en")}
	cur, prev := s.Current.Criterion(key), s.Previous.Criterion(key)
	v.Fig, v.Prev = f.fig(cur.Figure, minN), f.fig(prev.Figure, minN)
	if cur.OK {
		v.Mean = f.Dec(cur.Mean, 2) + " / " + strconv.Itoa(cur.Scale)
	}
	if cur.OK && prev.OK {
		v.Delta = f.deltaView(cur.Value - prev.Value)
	}
	if h := s.Tally.Criteria[key]; h != nil {
		v.Dist, v.NA = f.distribution(*h), f.Int(h.N[0])
	}
	for _, pp := range engine.PainPoints(s.Tally, e.Cat, 0) {
		if pp.Key == key {
			v.Negative, v.NegCount = f.fig(pp.Figure, minN), f.Int(pp.Negative)
			labels := reasonLabels(db.Surveys)
			for _, rs := range pp.Reasons {
				v.Reasons = append(v.Reasons, reasonRow{Label: f.Text(labelOr(labels, rs.Key)), Count: f.Int(rs.Count), Share: f.Pct(rs.Share)})
			}
		}
	}
	if v.Breakdowns, err = r.criterionBreakdowns(key); err != nil {
		return nil, err
	}
	if err := r.criterionTrend(db, v, key); err != nil {
		return nil, err
	}
	q, _ := r.commentQuery(db.Clock, 8)
	q.Criterion, q.WithComment, q.Budget = key, true, commentScanBudget
	rows, _, _, err := recentResponses(db, q)
	for _, resp := range rows {
		v.Comments = append(v.Comments, r.commentRow(db, resp))
	}
	return v, err
}

// deltaView is a change in points with its arrow.
func (f fmtr) deltaView(x float64) deltaView {
	dd := engine.Round2(x)
	v := deltaView{OK: true, Text: f.Delta(dd), Abs: f.Dec(math.Abs(dd), 2) + f.T("\u00a0điểm", "\u00a0points"), Dir: "flat", Arrow: "→"}
	switch {
	case dd > 0:
		v.Dir, v.Arrow = "up", "▲"
	case dd < 0:
		v.Dir, v.Arrow = "down", "▼"
	}
	return v
}

func labelOr(labels map[string]survey.Text, key string) survey.Text {
	if l, ok := labels[key]; ok {
		return l
	}
	return survey.Text{Vi: key, En: key}
}

// question is the criterion's full wording in the first survey that asks it.
func question(db survey.SurveyService, f fmtr, key string) string {
	for _, k := range db.SurveyKeys() {
		if sv := db.Survey(k, 0); sv != nil {
			if c, _ := sv.Criterion(engine.BaseKey(key)); c != nil {
				return f.Text(c.Label)
			}
		}
	}
	return ""
}

// distribution is the spread of the valid answers, level 1 to the scale.
func (f fmtr) distribution(h survey.Hist) []distSeg {
	n := engine.Valid(h)
	if n == 0 {
		return nil
	}
	five := [6][2]string{{}, {"Rất không hài lòng", "Very dissatisfied"}, {"Không hài lòng", "Dissatisfied"},
		{"Bình thường", "Neutral"}, {"Hài lòng", "Satisfied"}, {"Rất hài lòng", "Very satisfied"}}
	three := [4][2]string{{}, {"Không hài lòng", "Dissatisfied"}, {"Hài lòng", "Satisfied"}, {"Rất hài lòng", "Very satisfied"}}
	var out []distSeg
	x := 0.0
	for lvl := 1; lvl <= h.Scale && lvl <= 5; lvl++ {
		share, _ := engine.Share(h.N[lvl], n)
		seg := distSeg{Class: "l" + strconv.Itoa(lvl), Count: f.Int(h.N[lvl]), Pct: f.Pct(share), X: round1(x), W: round1(share)}
		if h.Scale == 3 {
			seg.Label = f.T(three[lvl][0], three[lvl][1])
			seg.Class = "l" + strconv.Itoa(map[int]int{1: 1, 2: 4, 3: 5}[lvl])
		} else {
			seg.Label = f.T(five[lvl][0], five[lvl][1])
		}
		x += share
		out = append(out, seg)
	}
	return out
}

// criterionBreakdowns is the criterion's figure by child unit, counter,
// staff member, procedure and channel, weakest first.
func (r *pageReq) criterionBreakdowns(key string) ([]breakdownView, error) {
	f, e, minN := r.f, r.eng, r.eng.Cfg.MinN
	specs := []struct{ by, title, head string }{
		{"unit", f.T("Theo đơn vị trực thuộc", "By unit"), f.T("Đơn vị", "Unit")},
		{"counter", f.T("Theo quầy", "By counter"), f.T("Quầy", "Counter")},
		{"staff", f.T("Theo công chức", "By staff member"), f.T("Công chức", "Staff member")},
		{"procedure", f.T("Theo thủ tục", "By procedure"), f.T("Thủ tục", "Procedure")},
		{"channel", f.T("Theo kênh đánh giá", "By channel"), f.T("Kênh", "Channel")},
	}
	var out []breakdownView
	for _, sp := range specs {
		rows, err := e.CriterionRows(r.filter, r.period, sp.by, key)
		if err != nil {
			return nil, err
		}
		var href func(engine.Row) string
		switch sp.by {
		case "unit":
			href = func(row engine.Row) string { return r.link("/dashboard/criteria/"+key, "unit", row.Key) }
		case "channel":
			rows = f.channelRows(rows)
		}
		if len(rows) > 0 {
			out = append(out, f.breakdown("by-"+sp.by, sp.title, sp.head, rows, e.Cat, minN, href))
		}
	}
	return out, nil
}
