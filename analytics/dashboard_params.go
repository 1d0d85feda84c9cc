package analytics

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/survey"
	"hailong/web"
)

// Query parameters of the dashboard, report and export pages. They read
// like the API's (unit, from, to, survey, channel) plus p, a named period
// from the period picker ("2025", "2025-q1", "2025-03"; "custom" or empty:
// from/to, default the 365 days ending today), and lang ("vi" or "en").
var pageParams = []string{"unit", "p", "from", "to", "survey", "channel", "lang"}

// pageReq is a parsed, authorised page request.
type pageReq struct {
	request
	f   fmtr
	raw map[string]string // the query as given (empty values dropped)
}

// parsePage reads a page's query strictly, with the same rules and errors
// as the API (parseRequest): 400 for an unknown or repeated parameter, 422
// for an unknown unit, survey or channel, a bad date or period, from after
// to; 403 for a unit outside the caller's subtree. The caller was checked
// by web.RequireUser or web.RequireAPI.
func parsePage(c *fiber.Ctx, d *web.Deps, extra ...string) (*pageReq, error) {
	q, err := queryArgs(c, append(append([]string{}, pageParams...), extra...))
	if err != nil {
		return &pageReq{f: newFmtr(c.Query("lang")), raw: map[string]string{}}, err
	}
	r := &pageReq{raw: q, f: newFmtr(q["lang"])}
	if l := q["lang"]; l != "" && l != "vi" && l != "en" {
		return r, survey.FieldError("lang", "Ngôn ngữ phải là vi hoặc en. / lang must be vi or en.")
	}
	db := d.Services
	r.request = request{p: web.Who(c), db: db, eng: newEngine(db, q["survey"])}
	if err := r.scope(db.Org, q); err != nil {
		return r, err
	}
	if err := r.responseFilters(db, q); err != nil {
		return r, err
	}
	pq, err := periodArgs(q)
	if err != nil {
		return r, err
	}
	if r.period, err = parsePeriod(pq, survey.DayOf(db.Clock.Now(), db.Clock.Loc())); err != nil {
		if e, ok := err.(*survey.Error); ok && (e.Field == "date" || e.Field == "period") {
			e.Field = "p"
		}
		return r, err
	}
	return r, nil
}

var (
	reYear    = regexp.MustCompile(`^\d{4}$`)
	reQuarter = regexp.MustCompile(`^(\d{4})-q([1-4])$`)
	reMonth   = regexp.MustCompile(`^\d{4}-\d{2}$`)
)

// periodArgs turns the picker's p into the API's period and date.
func periodArgs(q map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for _, k := range []string{"from", "to"} {
		if q[k] != "" {
			out[k] = q[k]
		}
	}
	p := strings.ToLower(q["p"])
	if p == "" || p == "custom" {
		return out, nil
	}
	if len(out) > 0 {
		return nil, survey.FieldError("p", "Chọn một kỳ hoặc nhập khoảng ngày, không dùng cả hai. / Choose a period or a date range, not both.")
	}
	switch {
	case reYear.MatchString(p):
		out["period"], out["date"] = "year", p+"-01-01"
	case reQuarter.MatchString(p):
		m := reQuarter.FindStringSubmatch(p)
		out["period"], out["date"] = "quarter", fmt.Sprintf("%s-%02d-01", m[1], int(m[2][0]-'1')*3+1)
	case reMonth.MatchString(p):
		out["period"], out["date"] = "month", p+"-01"
	default:
		return nil, survey.FieldError("p", "Kỳ %q không hợp lệ (ví dụ 2025, 2025-q1, 2025-03). / Invalid period %q (e.g. 2025, 2025-q1, 2025-03).", q["p"], q["p"])
	}
	return out, nil
}

// query returns the page's canonical query (what the filters chose),
// with extra pairs added, for links to the other pages.
func (r *pageReq) query(extra ...string) string {
	v := url.Values{}
	for _, k := range pageParams {
		if s := r.raw[k]; s != "" {
			v.Set(k, s)
		}
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			v.Del(extra[i])
		} else {
			v.Set(extra[i], extra[i+1])
		}
	}
	if s := v.Encode(); s != "" {
		return "?" + s
	}
	return ""
}

// link is path with the page's query and extra pairs.
func (r *pageReq) link(path string, extra ...string) string { return path + r.query(extra...) }

// scopeName names what the page covers: the unit, or the whole installation.
func (r *pageReq) scopeName() string {
	if u, ok := r.eng.Org().Unit(r.filter.Unit); ok {
		return u.Name
	}
	return r.f.T("Toàn hệ thống", "All units")
}

// pageError renders a bad filter (400/422) as the filter form with the
// message beside the field; anything else (403 …) goes to the error page.
func pageError(c *fiber.Ctx, d *web.Deps, r *pageReq, action string, err error) error {
	e, ok := err.(*survey.Error)
	if !ok || (e.Code != survey.EINVALID && e.Code != survey.EMALFORMED) || r == nil {
		return err
	}
	fv := filterForm(d.Services, web.Who(c), r.f, r.raw, action)
	field := e.Field
	if !contains([]string{"unit", "p", "from", "to", "survey", "channel"}, field) {
		field = "" // not a field of the form: the message goes in the summary only
	}
	fv.Errors = map[string]string{field: e.Message}
	fv.Summary = []fieldErr{{Field: field, Message: e.Message}}
	return pages.Render(c, web.Status(e.Code), "invalid", &web.Page{Title: r.f.T("Bộ lọc không hợp lệ", "Invalid filter"),
		User: web.Who(c), Nav: "dashboard", Lang: r.f.Lang(), Data: fv})
}
