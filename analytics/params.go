package analytics

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

// request is a parsed, authorised analytics query.
type request struct {
	p      *web.Principal
	db     *survey.Services
	eng    *engine.Engine
	filter engine.Filter
	period engine.Period
	by     string
	top    int
}

// Query parameters each route accepts; anything else is a 400.
var (
	paramsScope    = []string{"unit", "group", "from", "to", "period", "date"}
	paramsFilter   = []string{"survey", "channel", "counter", "staff", "procedure", "misuse", "unverified"}
	paramsResponse = append(append([]string{}, paramsScope...), paramsFilter...)
)

// parseRequest reads the query string strictly and checks it against the
// caller's subtree; the route's web.RequireAPI has checked the caller's
// role. Errors: 403 for a unit, group, counter or staff member outside the
// caller's subtree; 400 for an unknown or repeated parameter; 422 (with the
// field) for an unknown unit, group, survey, channel, counter or staff
// member, a bad date or period, or from after to.
func parseRequest(c *fiber.Ctx, d *web.Deps, allowed ...string) (*request, error) {
	p := web.Who(c)
	q, err := queryArgs(c, allowed)
	if err != nil {
		return nil, err
	}
	db := d.Services
	r := &request{p: p, db: db}
	r.eng = newEngine(db, q["survey"])
	if err := r.scope(db.Org, q); err != nil {
		return nil, err
	}
	if err := r.responseFilters(db, q); err != nil {
		return nil, err
	}
	if r.period, err = parsePeriod(q, survey.DayOf(db.Clock.Now(), db.Clock.Loc())); err != nil {
		return nil, err
	}
	if contains(allowed, "by") {
		by := q["by"]
		if !engine.ValidBreakdown(by) {
			return nil, survey.FieldError("by", "Tham số by phải là unit, counter, staff, procedure hoặc channel. / by must be unit, counter, staff, procedure or channel.")
		}
		r.by = by
	}
	r.top = 3
	if s := q["top"]; s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 20 {
			return nil, survey.FieldError("top", "Tham số top phải từ 1 đến 20. / top must be 1 to 20.")
		}
		r.top = n
	}
	return r, nil
}

// queryArgs returns the query parameters (copied out of Fiber's buffers),
// empty ones dropped. Unknown or repeated parameters are malformed (400).
func queryArgs(c *fiber.Ctx, allowed []string) (map[string]string, error) {
	q := map[string]string{}
	var bad *survey.Error
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		key := string(k)
		switch {
		case bad != nil:
		case !contains(allowed, key):
			bad = &survey.Error{Code: survey.EMALFORMED, Field: key, Message: "Tham số không được hỗ trợ: " + key + ". / Unknown parameter " + key + "."}
		case hasKey(q, key):
			bad = &survey.Error{Code: survey.EMALFORMED, Field: key, Message: "Tham số bị lặp: " + key + ". / Repeated parameter " + key + "."}
		default:
			q[key] = string(v)
		}
	})
	if bad != nil {
		return nil, bad
	}
	for k, v := range q {
		if v == "" {
			delete(q, k)
		}
	}
	return q, nil
}

func hasKey(m map[string]string, k string) bool { _, ok := m[k]; return ok }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func forbidden(vi, en, id string) error {
	return survey.Errorf(survey.EFORBIDDEN, "%s %q nằm ngoài phạm vi được xem. / %s %q is outside the units you may read.", vi, id, en, id)
}

// scope sets the unit or group: a caller limited to a subtree who names
// neither gets its own unit.
func (r *request) scope(db survey.OrgService, q map[string]string) error {
	f, p := &r.filter, r.p
	unit, group := q["unit"], q["group"]
	switch {
	case unit != "" && group != "":
		return survey.FieldError("group", "Chỉ chọn một trong unit hoặc group. / Give unit or group, not both.")
	case unit != "":
		if db.Unit(unit) == nil {
			return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", unit, unit)
		}
		if !p.Covers(db, unit) {
			return forbidden("Đơn vị", "Unit", unit)
		}
		f.Unit = unit
	case group != "":
		members := r.eng.Org().Members(group)
		if len(members) == 0 {
			return survey.FieldError("group", "Khối %q không tồn tại hoặc chưa có đơn vị. / Unknown or empty group %q.", group, group)
		}
		for _, m := range members {
			if !p.Covers(db, m) {
				return forbidden("Khối", "Group", group)
			}
		}
		f.Group = group
	default:
		f.Unit = p.Unit // "" for a caller who covers every unit
	}
	return nil
}

// responseFilters reads survey, channel, counter, staff, procedure and the
// flag classes.
func (r *request) responseFilters(db *survey.Services, q map[string]string) error {
	f, p := &r.filter, r.p
	if s := q["survey"]; s != "" {
		if db.Surveys.Survey(s, 0) == nil {
			return survey.FieldError("survey", "Phiếu khảo sát %q không tồn tại. / Unknown survey %q.", s, s)
		}
		f.Survey = s
	}
	if s := q["channel"]; s != "" {
		ch, ok := survey.ParseChannel(s)
		if !ok {
			return survey.FieldError("channel", "Kênh %q không hợp lệ (kiosk, qr, web, paper). / Unknown channel %q (kiosk, qr, web, paper).", s, s)
		}
		f.Channel = ch
	}
	dims := 0
	if s := q["counter"]; s != "" {
		c := db.Counters.Counter(s)
		if c == nil {
			return survey.FieldError("counter", "Quầy %q không tồn tại. / Unknown counter %q.", s, s)
		}
		if !p.Covers(db.Org, c.Unit) {
			return forbidden("Quầy", "Counter", s)
		}
		f.Counter, dims = s, dims+1
	}
	if s := q["staff"]; s != "" {
		st := db.Staff.StaffMember(s)
		if st == nil {
			return survey.FieldError("staff", "Công chức %q không tồn tại. / Unknown staff member %q.", s, s)
		}
		if !p.Covers(db.Org, st.Unit) {
			return forbidden("Công chức", "Staff member", s)
		}
		f.Staff, dims = s, dims+1
	}
	if s := q["procedure"]; s != "" {
		if len(s) > survey.MaxCode {
			return survey.FieldError("procedure", "Mã thủ tục quá dài. / Procedure code too long.")
		}
		f.Procedure, dims = s, dims+1
	}
	if dims > 1 {
		return survey.FieldError("staff", "Chỉ lọc theo một trong quầy, công chức, thủ tục. / Filter by one of counter, staff, procedure.")
	}
	var err error
	if f.IncludeMisuse, err = includeFlag(q, "misuse"); err != nil {
		return err
	}
	f.IncludeUnverified, err = includeFlag(q, "unverified")
	return err
}

func includeFlag(q map[string]string, name string) (bool, error) {
	switch q[name] {
	case "", "exclude":
		return false, nil
	case "include":
		return true, nil
	}
	return false, survey.FieldError(name, "Tham số %s phải là include hoặc exclude. / %s must be include or exclude.", name, name)
}

// parsePeriod reads from/to (YYYY-MM-DD, to inclusive) or period (day, week,
// month, quarter, year) with an optional date inside it (default today);
// without either, the 365 days ending today.
func parsePeriod(q map[string]string, today int32) (engine.Period, error) {
	date := func(field string) (int32, error) {
		d, ok := engine.ParseDate(q[field])
		if !ok {
			return 0, survey.FieldError(field, "Ngày %q không hợp lệ: dùng dạng YYYY-MM-DD. / Invalid date %q: use YYYY-MM-DD.", q[field], q[field])
		}
		return d, nil
	}
	if kind := q["period"]; kind != "" {
		if q["from"] != "" || q["to"] != "" {
			return engine.Period{}, survey.FieldError("period", "Dùng period hoặc from/to, không dùng cả hai. / Give period or from/to, not both.")
		}
		day := today
		if q["date"] != "" {
			var err error
			if day, err = date("date"); err != nil {
				return engine.Period{}, err
			}
		}
		p, ok := engine.Named(kind, day)
		if !ok {
			return engine.Period{}, survey.FieldError("period", "period phải là day, week, month, quarter hoặc year. / period must be day, week, month, quarter or year.")
		}
		return p, nil
	}
	if q["date"] != "" {
		return engine.Period{}, survey.FieldError("date", "date chỉ dùng cùng period. / date goes with period.")
	}
	p := engine.LastDays(365, today)
	var err error
	if q["from"] != "" {
		if p.From, err = date("from"); err != nil {
			return engine.Period{}, err
		}
	}
	if q["to"] != "" {
		if p.To, err = date("to"); err != nil {
			return engine.Period{}, err
		}
		if q["from"] == "" {
			p.From = p.To - 364
		}
	}
	if p.From > p.To {
		return engine.Period{}, survey.FieldError("from", "Ngày bắt đầu sau ngày kết thúc. / from is after to.")
	}
	if p.Days() > engine.MaxPeriodDays {
		return engine.Period{}, survey.FieldError("to", "Khoảng thời gian dài quá %d ngày. / Range longer than %d days.", engine.MaxPeriodDays, engine.MaxPeriodDays)
	}
	return p, nil
}
