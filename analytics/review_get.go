package analytics

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

// The anomaly review (engine/anomaly*.go, docs/METHODOLOGY.md "Anomaly
// review"): GET /review, the page, and GET /api/v1/analytics/anomalies, its
// JSON. Both are for administrators and the provincial office — a caller
// whose rights cover every unit (an admin, or a viewer or manager created
// without --unit): a unit's own staff do not review their own desk. Nothing
// is flagged or excluded here; each finding links to its responses on the
// comments page, where an administrator decides.

var (
	reviewParams    = []string{"unit", "from", "to", "lang"}
	reviewAPIParams = []string{"unit", "from", "to"}
)

// reviewReq is a parsed, authorised review request.
type reviewReq struct {
	request
	f   fmtr
	raw map[string]string
}

// mayReview reports whether p may read the anomaly review.
func mayReview(p *web.Principal) bool {
	return p != nil && p.Can(web.ActRead) && (p.Role == survey.RoleAdmin || p.Unit == "")
}

// parseReview reads unit, from and to: the period defaults to the last
// ReviewDays days (to: today; from: ReviewDays − 1 days before to) and may
// span MaxReviewDays at most. Errors: 403 for a caller limited to a subtree,
// 400 for an unknown parameter, 422 (with the field) for an unknown unit, a
// bad date, from after to or too long a period.
func parseReview(c *fiber.Ctx, d *web.Deps, allowed []string) (*reviewReq, error) {
	r := &reviewReq{f: newFmtr(c.Query("lang")), raw: map[string]string{}}
	p := web.Who(c)
	if !mayReview(p) {
		return r, survey.Errorf(survey.EFORBIDDEN, "Chỉ quản trị viên và văn phòng cấp tỉnh (tài khoản không giới hạn đơn vị) xem được rà soát bất thường. / Only administrators and the provincial office (logins not limited to a unit) may read the anomaly review.")
	}
	q, err := queryArgs(c, allowed)
	if err != nil {
		return r, err
	}
	r.raw = q
	if l := q["lang"]; l != "" && l != "vi" && l != "en" {
		return r, survey.FieldError("lang", "Ngôn ngữ phải là vi hoặc en. / lang must be vi or en.")
	}
	db := d.Services
	r.request = request{p: p, db: db, eng: newEngine(db, "")}
	if err := r.scope(db.Org, q); err != nil {
		return r, err
	}
	today := survey.DayOf(db.Clock.Now(), db.Clock.Loc())
	date := func(field string, def int32) (int32, error) {
		if q[field] == "" {
			return def, nil
		}
		day, ok := engine.ParseDate(q[field])
		if !ok {
			return 0, survey.FieldError(field, "Ngày %q không hợp lệ: dùng dạng YYYY-MM-DD. / Invalid date %q: use YYYY-MM-DD.", q[field], q[field])
		}
		return day, nil
	}
	if r.period.To, err = date("to", today); err != nil {
		return r, err
	}
	if r.period.From, err = date("from", r.period.To-engine.ReviewDays+1); err != nil {
		return r, err
	}
	switch {
	case r.period.From > r.period.To:
		return r, survey.FieldError("from", "Ngày bắt đầu sau ngày kết thúc. / from is after to.")
	case r.period.Days() > engine.MaxReviewDays:
		return r, survey.FieldError("from", "Rà soát tối đa %d ngày một lần. / A review covers at most %d days.", engine.MaxReviewDays, engine.MaxReviewDays)
	}
	return r, nil
}

// review runs the detectors.
func (r *reviewReq) review() (*engine.Review, error) {
	return r.eng.Review(r.filter, r.period, engine.DefaultOpeningHours, engine.DefaultThresholds)
}

// responsesLink is the comments page listing a finding's responses (every
// response, not only those with a comment, flagged or not).
func (r *reviewReq) responsesLink(f *engine.Finding) string {
	v := url.Values{}
	v.Set("unit", f.Unit)
	v.Set("from", engine.Civil(f.From).Format(time.DateOnly))
	v.Set("to", engine.Civil(f.To).Format(time.DateOnly))
	v.Set("show", "all")
	switch {
	case f.Kind == engine.KindRatio:
		v.Set("channel", "kiosk")
	case f.Kiosk != "":
		v.Set("kiosk", f.Kiosk)
	case f.Staff != "":
		v.Set("staff", f.Staff)
	case f.Channel != "":
		v.Set("channel", f.Channel)
	}
	if l := r.raw["lang"]; l != "" {
		v.Set("lang", l)
	}
	return "/dashboard/comments?" + v.Encode()
}

// findingJSON is one finding in the API.
type findingJSON struct {
	Kind         string  `json:"kind"`
	Unit         string  `json:"unit"`
	UnitName     string  `json:"unit_name"`
	Kiosk        string  `json:"kiosk,omitempty"`
	Staff        string  `json:"staff,omitempty"`
	Channel      string  `json:"channel,omitempty"`
	From         string  `json:"from"`
	To           string  `json:"to"`
	Figure       float64 `json:"figure"`
	Expected     float64 `json:"expected"`
	ExpectedLow  float64 `json:"expected_low"`
	ExpectedHigh float64 `json:"expected_high"`
	N            uint64  `json:"n"`
	Base         uint64  `json:"base"`
	Strength     float64 `json:"strength"`
	Severity     string  `json:"severity"`
	Pattern      string  `json:"pattern,omitempty"`
	FirstAt      *string `json:"first_at,omitempty"`
	LastAt       *string `json:"last_at,omitempty"`
	Link         string  `json:"link"`
}

type reviewJSON struct {
	Unit       *string         `json:"unit"`
	From       string          `json:"from"`
	To         string          `json:"to"`
	Read       int             `json:"responses_read"`
	Counted    int             `json:"responses_examined"`
	Dossiers   int             `json:"dossiers"`
	Thresholds thresholdsJSON  `json:"thresholds"`
	Findings   []findingJSON   `json:"findings"`
	Counts     map[string]int  `json:"counts"`
	Hours      []openHoursJSON `json:"opening_hours"`
}

type thresholdsJSON struct {
	Z                float64 `json:"z"`
	MinDelta         float64 `json:"min_delta_pp"`
	RatioFloor       int     `json:"ratio_min_responses"`
	RatioMinDossiers int     `json:"ratio_min_dossiers"`
	HoursMin         int     `json:"hours_min_answers"`
	RunMin           int     `json:"run_min_length"`
	RunChance        float64 `json:"run_max_chance"`
	BaselineWeeks    int     `json:"jump_baseline_weeks"`
	MinN             int     `json:"min_n"`
}

type openHoursJSON struct {
	Weekday int    `json:"weekday"` // 0 = Sunday
	Open    string `json:"open,omitempty"`
	Close   string `json:"close,omitempty"`
}

func hhmm(m int) string { return time.Date(0, 1, 1, m/60, m%60, 0, 0, time.UTC).Format("15:04") }

// getAnomalies handles GET /api/v1/analytics/anomalies?unit=&from=&to=.
func getAnomalies(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parseReview(c, d, reviewAPIParams)
		if err != nil {
			return err
		}
		rv, err := r.review()
		if err != nil {
			return err
		}
		th := rv.Th
		out := reviewJSON{From: r.period.FromDate(), To: r.period.ToDate(), Read: rv.Read, Counted: rv.Counted,
			Dossiers: rv.Dossiers, Findings: []findingJSON{}, Counts: map[string]int{},
			Thresholds: thresholdsJSON{Z: th.Z, MinDelta: th.MinDelta, RatioFloor: th.RatioFloor, RatioMinDossiers: th.RatioMinDossiers,
				HoursMin: th.HoursMin, RunMin: th.RunMin, RunChance: th.RunChance, BaselineWeeks: th.BaselineWeeks, MinN: r.eng.Cfg.MinN}}
		if r.filter.Unit != "" {
			out.Unit = &r.filter.Unit
		}
		for wd, h := range rv.Hours {
			oh := openHoursJSON{Weekday: wd}
			if h.Close > 0 {
				oh.Open, oh.Close = hhmm(h.Open), hhmm(h.Close)
			}
			out.Hours = append(out.Hours, oh)
		}
		loc := d.Services.Clock.Loc()
		for i := range rv.Findings {
			f := &rv.Findings[i]
			out.Counts[string(f.Kind)]++
			j := findingJSON{Kind: string(f.Kind), Unit: f.Unit, UnitName: r.eng.Org().Name(f.Unit), Kiosk: f.Kiosk, Staff: f.Staff,
				Channel: f.Channel, From: engine.Civil(f.From).Format(time.DateOnly), To: engine.Civil(f.To).Format(time.DateOnly),
				Figure: engine.Round2(f.Figure), Expected: engine.Round2(f.Expected), ExpectedLow: engine.Round2(f.Lo),
				ExpectedHigh: engine.Round2(f.Hi), N: f.N, Base: f.Base, Strength: engine.Round1(f.Strength),
				Severity: "medium", Pattern: f.Pattern, Link: r.responsesLink(f)}
			if f.Kind == engine.KindRun {
				j.Expected = f.Expected // a chance, often far below 0.01
			}
			if f.High {
				j.Severity = "high"
			}
			if !f.FirstAt.IsZero() {
				a, b := f.FirstAt.In(loc).Format(time.RFC3339), f.LastAt.In(loc).Format(time.RFC3339)
				j.FirstAt, j.LastAt = &a, &b
			}
			out.Findings = append(out.Findings, j)
		}
		return c.JSON(out)
	}
}

// reviewRow is one finding as the page shows it.
type reviewRow struct {
	Where, Who, When, Figure, Expected, Detail, Link string
	High                                             bool
}

// reviewSection is one detector's findings.
type reviewSection struct {
	Kind, Title, Rule string
	Rows              []reviewRow
}

type reviewView struct {
	F                 fmtr
	Scope, Period     string
	From, To, Lang    string
	Units             []option
	Errors            map[string]string
	Sections          []reviewSection
	Total             int
	Read, Dossiers    string
	Took              string
	Vi, En, Comments  string
	Hours             string
	ReviewDays, MaxDs int
}

// getReview handles GET /review.
func getReview(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		t0 := time.Now()
		r, err := parseReview(c, d, reviewParams)
		if err != nil {
			return reviewError(c, d, r, err)
		}
		rv, err := r.review()
		if err != nil {
			return err
		}
		v := r.reviewView(d, rv)
		v.Took = r.f.Dec(time.Since(t0).Seconds(), 2)
		return pages.Render(c, fiber.StatusOK, "review", &web.Page{Title: r.f.T("Rà soát bất thường", "Anomaly review") + " – " + v.Scope,
			User: web.Who(c), Nav: "review", Lang: r.f.Lang(), Data: v})
	}
}

// reviewError shows a bad filter (400/422) on the page with the message
// beside the field; anything else (403 …) goes to the error page.
func reviewError(c *fiber.Ctx, d *web.Deps, r *reviewReq, err error) error {
	e, ok := err.(*survey.Error)
	if !ok || r.eng == nil || (e.Code != survey.EINVALID && e.Code != survey.EMALFORMED) {
		return err
	}
	v := r.reviewView(d, nil)
	v.Errors = map[string]string{e.Field: r.f.Text(survey.MessageText(e.Message))}
	if e.Field == "" || (e.Field != "unit" && e.Field != "from" && e.Field != "to") {
		v.Errors["from"] = r.f.Text(survey.MessageText(e.Message))
	}
	return pages.Render(c, web.Status(e.Code), "review", &web.Page{Title: r.f.T("Rà soát bất thường", "Anomaly review"),
		User: web.Who(c), Nav: "review", Lang: r.f.Lang(), Data: v})
}

func (r *reviewReq) link(lang string) string {
	v := url.Values{}
	for _, k := range []string{"unit", "from", "to"} {
		if s := r.raw[k]; s != "" {
			v.Set(k, s)
		}
	}
	if lang != "" {
		v.Set("lang", lang)
	}
	if s := v.Encode(); s != "" {
		return "/review?" + s
	}
	return "/review"
}

func (r *reviewReq) reviewView(d *web.Deps, rv *engine.Review) *reviewView {
	f := r.f
	v := &reviewView{F: f, From: r.raw["from"], To: r.raw["to"], Lang: r.raw["lang"], Vi: r.link(""), En: r.link("en"),
		Comments: "/dashboard/comments", ReviewDays: engine.ReviewDays, MaxDs: engine.MaxReviewDays}
	v.Scope = f.T("Toàn hệ thống", "All units")
	if u, ok := r.eng.Org().Unit(r.filter.Unit); ok {
		v.Scope = u.Name
	}
	fv := filterForm(d.Services, r.p, f, r.raw, "/review")
	v.Units = fv.Units
	v.Hours = f.T("Thứ Hai–Thứ Sáu 07:00–17:30, Thứ Bảy 07:00–12:00, Chủ nhật nghỉ", "Monday–Friday 07:00–17:30, Saturday 07:00–12:00, closed on Sunday")
	if rv == nil {
		return v
	}
	v.Period = f.Range(rv.Period)
	v.From, v.To = rv.Period.FromDate(), rv.Period.ToDate() // the period in force, in the date fields
	v.Read, v.Dossiers, v.Total = f.Int(uint64(rv.Read)), f.Int(uint64(rv.Dossiers)), len(rv.Findings)
	for _, k := range engine.Kinds {
		s := reviewSection{Kind: string(k)}
		s.Title, s.Rule = r.kindText(k, rv.Th)
		for _, fd := range rv.ByKind(k) {
			s.Rows = append(s.Rows, r.reviewRow(d, &fd))
		}
		v.Sections = append(v.Sections, s)
	}
	return v
}

// kindText is a detector's title and its rule, in the page's language.
func (r *reviewReq) kindText(k engine.Kind, th engine.Thresholds) (title, rule string) {
	f, z := r.f, r.f.Dec(th.Z, 0)
	switch k {
	case engine.KindRatio:
		return f.T("Số phiếu trên mỗi hồ sơ tiếp nhận", "Responses per dossier received"),
			f.T("Ki-ốt của đơn vị ghi nhận nhiều lượt đánh giá hơn số hồ sơ tiếp nhận trong ngày, vượt "+z+" sai số chuẩn so với tỉ lệ thường ngày của đơn vị (ít nhất "+strconv.Itoa(th.RatioFloor)+" phiếu).",
				"The unit's kiosks rated more visits than the desk received dossiers that day, "+z+" standard errors above the unit's usual ratio (at least "+strconv.Itoa(th.RatioFloor)+" responses).")
	case engine.KindHours:
		return f.T("Phiếu ngoài giờ làm việc", "Answers outside opening hours"),
			f.T("Từ "+strconv.Itoa(th.HoursMin)+" phiếu trở lên trên một ki-ốt trong một ngày, khi bộ phận một cửa không làm việc.",
				strconv.Itoa(th.HoursMin)+" or more answers on one kiosk in one day while the desk is closed.")
	case engine.KindRun:
		return f.T("Chuỗi phiếu giống hệt nhau", "Runs of identical answers"),
			f.T("Từ "+strconv.Itoa(th.RunMin)+" phiếu liên tiếp có cùng mọi câu trả lời, từ một nguồn, mà khả năng ngẫu nhiên dưới 1/10.000.",
				strconv.Itoa(th.RunMin)+" or more consecutive responses with the same answers from one source, with a chance under 1 in 10,000.")
	case engine.KindOutlier:
		return f.T("Ki-ốt hoặc công chức khác hẳn đơn vị", "Kiosk or staff member far from its unit"),
			f.T("Tỉ lệ hài lòng của câu hỏi chung lệch ít nhất "+f.Dec(th.MinDelta, 0)+" điểm và "+z+" sai số chuẩn so với phần còn lại của đơn vị, khoảng tin cậy không chồng nhau.",
				"The overall question's share satisfied differs by at least "+f.Dec(th.MinDelta, 0)+" points and "+z+" standard errors from the rest of the unit, intervals apart.")
	default:
		return f.T("Chỉ số thay đổi đột ngột", "Sudden jumps of the index"),
			f.T("Tỉ lệ hài lòng của câu hỏi chung trong một tuần lệch ít nhất "+f.Dec(th.MinDelta, 0)+" điểm và "+z+" sai số chuẩn so với "+strconv.Itoa(th.BaselineWeeks)+" tuần trước đó.",
				"A week's share satisfied on the overall question differs by at least "+f.Dec(th.MinDelta, 0)+" points and "+z+" standard errors from the "+strconv.Itoa(th.BaselineWeeks)+" weeks before.")
	}
}

// reviewRow formats a finding.
func (r *reviewReq) reviewRow(d *web.Deps, fd *engine.Finding) reviewRow {
	f, db := r.f, d.Services
	row := reviewRow{Where: r.eng.Org().Name(fd.Unit), Link: r.responsesLink(fd), High: fd.High}
	if row.Where == "" {
		row.Where = fd.Unit
	}
	switch {
	case fd.Kiosk != "":
		row.Who = fd.Kiosk
		if k := db.Kiosks.Kiosk(fd.Kiosk); k != nil {
			row.Who = k.Name
		}
	case fd.Staff != "":
		row.Who = r.eng.MemberName(survey.DimStaff, fd.Staff)
	case fd.Channel != "":
		if ch, ok := survey.ParseChannel(fd.Channel); ok {
			row.Who = f.Channel(ch)
		}
	}
	row.When = f.Date(fd.From)
	if fd.To != fd.From {
		row.When = f.Range(engine.Period{From: fd.From, To: fd.To})
	}
	loc := db.Clock.Loc()
	clock := func(t time.Time) string { return t.In(loc).Format("15:04") }
	switch fd.Kind {
	case engine.KindRatio:
		row.Figure = f.Dec(fd.Figure, 2)
		row.Detail = f.Int(fd.N) + f.T(" phiếu ki-ốt / ", " kiosk responses / ") + f.Int(fd.Base) + f.T(" hồ sơ tiếp nhận", " dossiers received")
		row.Expected = f.Dec(fd.Lo, 2) + "–" + f.Dec(fd.Hi, 2) + f.T(" (thường ", " (usually ") + f.Dec(fd.Expected, 2) + ")"
	case engine.KindHours:
		row.Figure = f.Int(fd.N) + f.T(" phiếu", " answers")
		row.Detail = clock(fd.FirstAt) + "–" + clock(fd.LastAt)
		row.Expected = "0–" + f.Dec(fd.Hi, 0)
	case engine.KindRun:
		row.Figure = f.Int(fd.N) + f.T(" phiếu liên tiếp", " in a row")
		row.Detail = clock(fd.FirstAt) + "–" + clock(fd.LastAt) + " · " + fd.Pattern
		row.Expected = "≤ " + f.Dec(fd.Hi, 0) + f.T(" (trong ", " (of ") + f.Int(fd.Base) + f.T(" phiếu của nguồn)", " responses from the source)")
	default:
		row.Figure = f.Pct(fd.Figure)
		ref := f.T("phần còn lại của đơn vị ", "rest of the unit ")
		if fd.Kind == engine.KindJump {
			ref = f.T("các tuần trước ", "weeks before ")
		}
		row.Detail = "n = " + f.Int(fd.N)
		row.Expected = f.Dec(engine.Round2(fd.Lo), 2) + "–" + f.Pct(fd.Hi) + " (" + ref + f.Pct(fd.Expected) + ", n = " + f.Int(fd.Base) + ")"
	}
	return row
}
