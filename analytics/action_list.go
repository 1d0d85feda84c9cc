package analytics

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

// The list of improvement actions: the page GET /actions (overdue first)
// and GET /api/v1/actions. Viewers read; everything is limited to the
// caller's subtree (403 outside).

// actionListView is the list page.
type actionListView struct {
	F                           fmtr
	Units, Statuses             []option
	Lang                        string
	Rows                        []actionRow
	NewHref, Vi, En             string
	Overdue, Open, Done, Window string
}

// actionStatusFilters are the list's status choices.
var actionStatusFilters = []string{"", "open", "overdue", "planned", "in_progress", "done"}

// getActions handles GET /actions?unit=&status=&lang=.
func getActions(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		q, err := queryArgs(c, []string{"unit", "status", "lang"})
		if err != nil {
			return err
		}
		if err := checkLang(q["lang"]); err != nil {
			return err
		}
		p, f, db := web.Who(c), newFmtr(q["lang"]), d.Services
		unit, err := readableUnit(db.Org, p, q["unit"])
		if err != nil {
			return err
		}
		status := q["status"]
		if !contains(actionStatusFilters, status) {
			return survey.FieldError("status", "Trạng thái phải là open, overdue, planned, in_progress hoặc done. / status must be open, overdue, planned, in_progress or done.")
		}
		e := newEngine(db, "")
		all, err := db.Actions.Actions(survey.ActionQuery{Unit: unit})
		if err != nil {
			return err
		}
		today := survey.DayOf(db.Clock.Now(), db.Clock.Loc())
		window := ActionWindow(db.Settings)
		v := &actionListView{F: f, Lang: q["lang"], Window: f.Int(uint64(window))}
		if v.Rows, err = f.actionRows(e, window, all, today, status, 0); err != nil {
			return err
		}
		v.Overdue, v.Open, v.Done = f.actionCounts(all, survey.DayString(today))
		v.Units = unitChoices(e.Org(), p, f, unit)
		for _, s := range actionStatusFilters {
			v.Statuses = append(v.Statuses, option{s, f.statusFilterName(s), s == status})
		}
		here := url.Values{}
		for k, s := range map[string]string{"unit": q["unit"], "status": status} {
			if s != "" {
				here.Set(k, s)
			}
		}
		v.Vi, v.En = "/actions"+encodeQuery(here, ""), "/actions"+encodeQuery(here, "en")
		if p.Can(web.ActManage) {
			v.NewHref = "/actions/new" + encodeQuery(url.Values{"unit": {q["unit"]}}, f.Lang())
		}
		return pages.Render(c, fiber.StatusOK, "action_list", &web.Page{Title: f.T("Hành động cải tiến", "Improvement actions"),
			User: p, Nav: "actions", Lang: f.Lang(), Data: v})
	}
}

// actionRows formats the actions passing the status filter, overdue
// first, at most limit of them (0: all); done actions carry their short
// measured effect.
func (f fmtr) actionRows(e *engine.Engine, window int, all []survey.Action, today int32, status string, limit int) ([]actionRow, error) {
	ts := survey.DayString(today)
	var kept []survey.Action
	for _, a := range all {
		switch {
		case status == "open" && !a.Open(), status == "overdue" && !a.Overdue(ts),
			status != "" && status != "open" && status != "overdue" && string(a.Status) != status:
			continue
		}
		kept = append(kept, a)
	}
	sortActions(kept, ts)
	if limit > 0 && len(kept) > limit {
		kept = kept[:limit]
	}
	rows := make([]actionRow, 0, len(kept))
	for i := range kept {
		effect := ""
		if !kept[i].Open() {
			ae, err := e.ActionEffect(&kept[i], window, today)
			if err != nil {
				return nil, err
			}
			effect = f.shortEffect(ae, e.Cat)
		}
		rows = append(rows, f.actionRow(&kept[i], e, ts, effect))
	}
	return rows, nil
}

// actionCounts counts the overdue, open (overdue included) and done actions.
func (f fmtr) actionCounts(all []survey.Action, today string) (overdue, open, done string) {
	var n [3]uint64
	for i := range all {
		switch {
		case all[i].Overdue(today):
			n[0]++
		case all[i].Open():
			n[1]++
		default:
			n[2]++
		}
	}
	return f.Int(n[0]), f.Int(n[0] + n[1]), f.Int(n[2])
}

func (f fmtr) statusFilterName(s string) string {
	switch s {
	case "":
		return f.T("Tất cả", "All")
	case "open":
		return f.T("Chưa hoàn thành", "Open")
	case "overdue":
		return f.T("Quá hạn", "Overdue")
	}
	return f.statusName(survey.ActionStatus(s))
}

// encodeQuery writes ?k=v… with lang=en added for English ("" when empty).
func encodeQuery(q url.Values, lang string) string {
	out := url.Values{}
	for k, v := range q {
		if len(v) > 0 && v[0] != "" {
			out.Set(k, v[0])
		}
	}
	if lang == "en" {
		out.Set("lang", "en")
	}
	if s := out.Encode(); s != "" {
		return "?" + s
	}
	return ""
}

func checkLang(l string) error {
	if l != "" && l != "vi" && l != "en" {
		return survey.FieldError("lang", "Ngôn ngữ phải là vi hoặc en. / lang must be vi or en.")
	}
	return nil
}

// readableUnit is the unit a list covers: the one asked for (422 unknown,
// 403 outside the caller's subtree), else the caller's own.
func readableUnit(db survey.OrgService, p *web.Principal, unit string) (string, error) {
	if unit == "" {
		return p.Unit, nil
	}
	if db.Unit(unit) == nil {
		return "", survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", unit, unit)
	}
	if !p.Covers(db, unit) {
		return "", web.Forbid(unit)
	}
	return unit, nil
}

// unitChoices is the unit picker of the list: the caller's subtree.
func unitChoices(o *engine.Org, p *web.Principal, f fmtr, sel string) []option {
	if p.Unit != "" {
		return unitOptions(o, p.Unit, 0, sel, nil)
	}
	out := []option{{"", f.T("Toàn hệ thống", "All units"), sel == ""}}
	for _, root := range o.Children("") {
		out = unitOptions(o, root, 0, sel, out)
	}
	return out
}

// apiListActions handles GET /api/v1/actions.
func apiListActions(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		q, err := queryArgs(c, []string{"unit", "status"})
		if err != nil {
			return err
		}
		p, db := web.Who(c), d.Services
		unit, err := readableUnit(db.Org, p, q["unit"])
		if err != nil {
			return err
		}
		status := q["status"]
		if !contains(actionStatusFilters, status) {
			return survey.FieldError("status", "Trạng thái phải là open, overdue, planned, in_progress hoặc done. / status must be open, overdue, planned, in_progress or done.")
		}
		all, err := db.Actions.Actions(survey.ActionQuery{Unit: unit})
		if err != nil {
			return err
		}
		today := survey.DayString(survey.DayOf(db.Clock.Now(), db.Clock.Loc()))
		sortActions(all, today)
		out := []actionJSON{}
		for i := range all {
			a := &all[i]
			switch {
			case status == "open" && !a.Open(), status == "overdue" && !a.Overdue(today),
				status != "" && status != "open" && status != "overdue" && string(a.Status) != status:
				continue
			}
			out = append(out, actionOut(a, today))
		}
		return c.JSON(fiber.Map{"actions": out})
	}
}
