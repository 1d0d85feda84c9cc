package analytics

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// commentsPage is how many responses a page of the comments list shows.
const commentsPage = 25

// commentRow is one response as listed: the comment masked (SPEC: phone
// numbers, e-mail addresses and ID numbers hidden), the answers in short.
type commentRow struct {
	Key, When, Unit, Channel, Survey string
	Where                            string // counter · staff member · procedure
	Comment                          string
	Answers                          []answerChip
	Reasons                          string
	Misuse, Unverified, Reclassified bool
	Changes                          []option // the flag changes the row's form offers (flag:op)
	Proposed                         string   // an open proposal for it ("3"), shown instead of the form to managers
}

type answerChip struct{ Label, Score, Class string }

type commentsView struct {
	F                    fmtr
	Filters              filterView
	Scope, Period        string
	Criterion            string // the criterion filter's label
	Narrow               string // the kiosk or staff member the list is narrowed to
	Rows                 []commentRow
	Next, First, Back    string
	CanFlag, CanPropose  bool
	Show, Flagged        string
	ShowOpts, FlagOpts   []option
	CritOpts             []option
	Keep                 []option // the page's filters, kept by the comment filter form (Value = name)
	Vi, En, Dashboard    string
	Empty, FirstPageNote string
	SearchedFrom         string // the page read responses back to this day only (the scan's budget)
}

// kiosk and staff narrow the list to one kiosk or staff member (the
// anomaly review links here with them).
var commentParams = []string{"criterion", "show", "flagged", "before", "done", "kiosk", "staff"}

// getComments handles GET /dashboard/comments: the responses of the unit
// subtree and period, newest first, a page at a time, with their masked
// comments, answers and flags; administrators can flag or unflag each with
// a reason, managers propose the change.
func getComments(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parsePage(c, d, commentParams...)
		if err != nil {
			return pageError(c, d, r, "/dashboard/comments", err)
		}
		q, err := r.commentQuery(d.Clock, commentsPage)
		if err != nil {
			return pageError(c, d, r, "/dashboard/comments", err)
		}
		q.Budget = commentScanBudget
		rows, next, searched, err := recentResponses(d.Services, q)
		if err != nil {
			return err
		}
		v := r.commentsView(d.Services, rows, next, searched)
		v.CanFlag, v.CanPropose = web.Who(c).Can(web.ActFlag), web.Who(c).Can(web.ActPropose)
		if v.CanPropose {
			pending := map[string]string{}
			for _, x := range d.Proposals.FlagProposals(survey.ProposalOpen) {
				pending[strconv.FormatUint(x.Response, 10)] = x.ID
			}
			for i := range v.Rows {
				v.Rows[i].Proposed = pending[v.Rows[i].Key]
			}
		}
		flash := ""
		switch r.raw["done"] {
		case "set":
			flash = r.f.T("Đã đánh dấu phiếu; phiếu không còn được tính vào chỉ số.", "The response is flagged and no longer counted.")
		case "clear":
			flash = r.f.T("Đã bỏ đánh dấu; phiếu được tính lại vào chỉ số.", "The flag is cleared; the response counts again.")
		case "proposed":
			flash = r.f.T("Đã gửi đề xuất; phiếu chỉ thay đổi khi quản trị hệ thống xác nhận.", "The proposal is sent; the response changes only when an administrator confirms it.")
		}
		return pages.Render(c, fiber.StatusOK, "comments", &web.Page{Title: r.f.T("Ý kiến người dân", "Comments") + " – " + v.Scope,
			User: web.Who(c), Nav: "dashboard", Lang: r.f.Lang(), Flash: flash, Data: v})
	}
}

// commentQuery reads the list's own parameters.
func (r *pageReq) commentQuery(db survey.Clock, limit int) (commentQuery, error) {
	loc := db.Loc()
	q := commentQuery{Units: r.eng.UnitSet(r.filter), From: r.period.Start(loc), To: r.period.End(loc),
		Survey: r.filter.Survey, Channel: r.filter.Channel, Criterion: r.raw["criterion"], Limit: limit}
	switch r.raw["show"] {
	case "", "comment":
		q.WithComment = true
	case "all":
	default:
		return q, survey.FieldError("show", "show phải là comment hoặc all. / show must be comment or all.")
	}
	switch r.raw["flagged"] {
	case "", "any":
	case "yes":
		q.Flagged = flaggedOnly
	case "no":
		q.Flagged = flaggedNone
	default:
		return q, survey.FieldError("flagged", "flagged phải là any, yes hoặc no. / flagged must be any, yes or no.")
	}
	if s := r.raw["before"]; s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return q, survey.FieldError("before", "Tham số before không hợp lệ. / Invalid before.")
		}
		q.Before = n
	}
	q.Staff = r.filter.Staff // checked against the caller's subtree by parsePage
	if id := r.raw["kiosk"]; id != "" {
		k := r.db.Kiosks.Kiosk(id)
		if k == nil {
			return q, survey.FieldError("kiosk", "Ki-ốt %q không tồn tại. / Unknown kiosk %q.", id, id)
		}
		if !r.p.Covers(r.db.Org, k.Unit) {
			return q, forbidden("Ki-ốt", "Kiosk", id)
		}
		q.Kiosk = id
	}
	if k := q.Criterion; k != "" && !r.eng.Cat.Criterion(k).Known {
		return q, survey.FieldError("criterion", "Tiêu chí %q không tồn tại. / Unknown criterion %q.", k, k)
	}
	return q, nil
}

func (r *pageReq) commentsView(db *survey.Services, rows []*survey.Response, next uint64, searched time.Time) *commentsView {
	f := r.f
	keep := func(extra ...string) string {
		args := []string{"criterion", r.raw["criterion"], "show", r.raw["show"], "flagged", r.raw["flagged"],
			"kiosk", r.raw["kiosk"], "staff", r.raw["staff"]}
		return r.link("/dashboard/comments", append(args, extra...)...)
	}
	v := &commentsView{F: f, Filters: filterForm(db, r.p, f, r.raw, "/dashboard/comments"), Scope: r.scopeName(),
		Period: f.Range(r.period), Show: r.raw["show"], Flagged: r.raw["flagged"],
		First: keep(), Back: keep("before", r.raw["before"]), Vi: keep("before", r.raw["before"], "lang", ""),
		En: keep("before", r.raw["before"], "lang", "en"), Dashboard: r.link("/dashboard")}
	for _, k := range pageParams {
		if r.raw[k] != "" {
			v.Keep = append(v.Keep, option{Value: k, Label: r.raw[k]})
		}
	}
	for _, k := range []string{"kiosk", "staff"} {
		if r.raw[k] != "" {
			v.Keep = append(v.Keep, option{Value: k, Label: r.raw[k]})
		}
	}
	for _, k := range []string{"criterion", "show", "flagged", "kiosk", "staff"} {
		if r.raw[k] != "" {
			v.Filters.Extra = append(v.Filters.Extra, option{Value: k, Label: r.raw[k]})
		}
	}
	if id := r.raw["kiosk"]; id != "" {
		if k := db.Kiosks.Kiosk(id); k != nil {
			v.Narrow = k.Name
		}
	} else if id := r.raw["staff"]; id != "" {
		v.Narrow = r.eng.MemberName(survey.DimStaff, id)
	}
	if k := r.raw["criterion"]; k != "" {
		v.Criterion = f.Text(r.eng.Cat.Criterion(k).Label)
	}
	for _, resp := range rows {
		v.Rows = append(v.Rows, r.commentRow(db, resp))
	}
	if next != 0 {
		v.Next = keep("before", strconv.FormatUint(next, 10))
	}
	if !searched.IsZero() {
		// the scan stopped at its budget: say how far back this page looked
		v.SearchedFrom = f.Date(survey.DayOf(searched, db.Clock.Loc()))
	}
	v.ShowOpts = []option{{"comment", f.T("Chỉ phiếu có ý kiến", "With a comment"), v.Show != "all"}, {"all", f.T("Mọi phiếu", "Every response"), v.Show == "all"}}
	v.FlagOpts = []option{{"any", f.T("Mọi phiếu", "Any"), v.Flagged == "" || v.Flagged == "any"},
		{"yes", f.T("Chỉ phiếu bị đánh dấu", "Flagged only"), v.Flagged == "yes"}, {"no", f.T("Chỉ phiếu được tính", "Counted only"), v.Flagged == "no"}}
	v.CritOpts = []option{{"", f.T("Mọi tiêu chí", "Any criterion"), r.raw["criterion"] == ""}}
	for _, k := range r.eng.Cat.Keys() {
		v.CritOpts = append(v.CritOpts, option{k, f.Text(r.eng.Cat.Criterion(k).Label), r.raw["criterion"] == k})
	}
	return v
}

// commentRow formats one response.
func (r *pageReq) commentRow(db *survey.Services, resp *survey.Response) commentRow {
	f, e := r.f, r.eng
	row := commentRow{Key: strconv.FormatUint(resp.Key, 10), When: f.Time(resp.SubmittedAt, db.Clock.Loc()),
		Unit: e.Org().Name(resp.Unit), Channel: f.Channel(resp.Channel), Comment: survey.MaskPII(resp.Comment),
		Misuse: resp.Flags&survey.FlagMisuse != 0, Unverified: resp.Flags&survey.FlagUnverified != 0,
		Reclassified: resp.Flags&survey.FlagReclassified != 0, Changes: flagChanges(f, resp.Flags)}
	if row.Unit == "" {
		row.Unit = resp.Unit
	}
	if sv := db.Surveys.Survey(resp.Survey, resp.Version); sv != nil {
		row.Survey = f.Text(sv.Title)
		row.Answers = answerChips(f, sv, resp.Answers)
		row.Reasons = reasonNames(f, sv, resp.Reasons)
	}
	row.Where = r.where(db, resp)
	return row
}

// where names the counter, staff member and procedure of a response.
func (r *pageReq) where(db *survey.Services, resp *survey.Response) string {
	s := ""
	add := func(x string) {
		if x == "" {
			return
		}
		if s != "" {
			s += " · "
		}
		s += x
	}
	if resp.Counter != "" {
		add(r.eng.MemberName(survey.DimCounter, resp.Counter))
	}
	if resp.Staff != "" {
		add(r.eng.MemberName(survey.DimStaff, resp.Staff))
	}
	if resp.Procedure != "" {
		add(r.eng.MemberName(survey.DimProcedure, resp.Procedure))
	}
	return s
}

// answerChips summarises the answers: the overall question, then every
// answer that is not satisfied (negative, neutral, not applicable), then how
// many other criteria were answered satisfied.
func answerChips(f fmtr, sv *survey.Survey, answers map[string]int) []answerChip {
	var out []answerChip
	satisfied := 0
	for _, c := range sv.Criteria {
		score, ok := answers[c.Key]
		if !ok {
			continue
		}
		chip := answerChip{Label: f.Text(c.Short), Score: strconv.Itoa(score) + "/" + strconv.Itoa(c.Scale)}
		if chip.Label == "" {
			chip.Label = c.Key
		}
		switch {
		case score == survey.NA:
			chip.Score = f.T("không áp dụng", "not applicable")
		case survey.Negative(c.Scale, score):
			chip.Class = "neg"
		case survey.Positive(c.Scale, score):
			chip.Class = "pos"
		}
		if chip.Class == "pos" && c.Key != survey.OverallKey {
			satisfied++
			continue
		}
		if c.Key == survey.OverallKey {
			out = append([]answerChip{chip}, out...)
		} else {
			out = append(out, chip)
		}
	}
	if satisfied > 0 {
		out = append(out, answerChip{Label: f.T("Hài lòng với ", "Satisfied with ") + strconv.Itoa(satisfied) + f.T(" tiêu chí khác", " other criteria"), Class: "pos"})
	}
	return out
}

func reasonNames(f fmtr, sv *survey.Survey, keys []string) string {
	s := ""
	for i, k := range keys {
		if i > 0 {
			s += "; "
		}
		if j := sv.Reason(k); j >= 0 {
			s += f.Text(sv.Reasons[j].Label)
		} else {
			s += k
		}
	}
	return s
}
