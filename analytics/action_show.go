package analytics

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

// One improvement action: the page GET /actions/{id} (its measured effect,
// and for managers and admins the edit and close forms) and
// GET /api/v1/actions/{id}. Viewers read; outside the caller's subtree a 403.

// actionPageView is one action's page.
type actionPageView struct {
	F                                fmtr
	Row                              actionRow
	Description, Notes               string
	Criteria                         []option // Value: the criterion page, Label: its name
	Created, Updated                 string
	Effect                           effectView
	Edit                             *actionForm
	Close                            *closeForm
	Back, Vi, En, WindowAction, Lang string
}

var actionFlashes = map[string][2]string{
	"created": {"Đã lưu hành động cải tiến.", "The improvement action was saved."},
	"saved":   {"Đã lưu thay đổi.", "Changes saved."},
	"closed":  {"Đã ghi nhận hoàn thành. Hiệu quả được đo trên hai khoảng thời gian bằng nhau trước và sau ngày hoàn thành.", "Marked as done. Its effect is measured over equal windows before and after the done date."},
}

// getAction handles GET /actions/{id}?window=&lang=&ok=.
func getAction(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		q, err := queryArgs(c, []string{"window", "lang", "ok"})
		if err != nil {
			return err
		}
		if err := checkLang(q["lang"]); err != nil {
			return err
		}
		p, f := web.Who(c), newFmtr(q["lang"])
		a, err := d.Actions.Action(strings.Clone(c.Params("id")))
		if err != nil {
			return err
		}
		if !p.Covers(d.Org, a.Unit) {
			return web.Forbid(a.Unit)
		}
		window, status := ActionWindow(d.Settings), fiber.StatusOK
		if s := q["window"]; s != "" {
			n, ok := engine.EffectWindowDays(s)
			if !ok {
				c.Locals("hl.window.error", s)
				status = fiber.StatusUnprocessableEntity
			} else {
				window = n
			}
		}
		if msg, ok := actionFlashes[q["ok"]]; ok {
			c.Locals("hl.flash", f.T(msg[0], msg[1]))
		}
		return renderAction(c, d, a, f, window, status, nil, nil)
	}
}

// renderAction renders an action's page; edit and cl, when given, are forms
// refused with their problems (else fresh forms for managers and admins).
func renderAction(c *fiber.Ctx, d *web.Deps, a *survey.Action, f fmtr, window, status int, edit *actionForm, cl *closeForm) error {
	p, db := web.Who(c), d.Services
	e := newEngine(db, "")
	today := survey.DayOf(db.Clock.Now(), db.Clock.Loc())
	ae, err := e.ActionEffect(a, window, today)
	if err != nil {
		return err
	}
	base := "/actions/" + url.PathEscape(a.ID)
	v := &actionPageView{F: f, Row: f.actionRow(a, e, survey.DayString(today), ""), Description: a.Description, Notes: a.Notes,
		Created: a.CreatedBy + ", " + f.Time(a.CreatedAt, db.Clock.Loc()), Updated: a.UpdatedBy + ", " + f.Time(a.UpdatedAt, db.Clock.Loc()),
		Effect: f.effectView(ae, e), Back: "/actions" + f.langQuery(), WindowAction: base, Lang: f.Lang(),
		Vi: base, En: base + "?lang=en"}
	for _, k := range a.Criteria {
		v.Criteria = append(v.Criteria, option{Value: "/dashboard/criteria/" + url.PathEscape(k) + "?" +
			url.Values{"unit": {a.Unit}}.Encode() + strings.Replace(f.langQuery(), "?", "&", 1), Label: f.critLabel(e.Cat, k)})
	}
	if bad, ok := c.Locals("hl.window.error").(string); ok {
		v.Effect.WindowValue = bad
		v.Effect.WindowError = f.T("Số ngày phải là số nguyên từ 7 đến 365.", "The number of days must be a whole number from 7 to 365.")
	}
	if p.Can(web.ActManage) {
		if edit == nil {
			edit = newActionForm(db, p, f, e, a, base+f.langQuery())
		}
		edit.Heading, edit.Submit = f.T("Sửa hành động", "Edit the action"), f.T("Lưu thay đổi", "Save changes")
		v.Edit = edit
		if a.Open() && cl == nil {
			cl = &closeForm{F: f, Action: base + "/close" + f.langQuery(), Done: survey.DayString(today), Errors: map[string]string{}, Prefix: "c-"}
		}
		v.Close = cl
	}
	flash, _ := c.Locals("hl.flash").(string)
	page := &web.Page{Title: a.Title, User: p, Nav: "actions", Lang: f.Lang(), Flash: flash, Data: v}
	if v.Edit != nil {
		v.Edit.Page = page
	}
	if v.Close != nil {
		v.Close.Page = page
	}
	return pages.Render(c, status, "action_view", page)
}

// apiGetAction handles GET /api/v1/actions/{id}: the action and its effect.
func apiGetAction(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		q, err := queryArgs(c, []string{"window"})
		if err != nil {
			return err
		}
		p, db := web.Who(c), d.Services
		a, err := db.Actions.Action(strings.Clone(c.Params("id")))
		if err != nil {
			return err
		}
		if !p.Covers(db.Org, a.Unit) {
			return web.Forbid(a.Unit)
		}
		window := ActionWindow(db.Settings)
		if s := q["window"]; s != "" {
			n, ok := engine.EffectWindowDays(s)
			if !ok {
				return survey.FieldError("window", "Số ngày của mỗi khoảng phải từ %d đến %d. / window must be %d to %d days.", engine.MinActionWindow, engine.MaxActionWindow, engine.MinActionWindow, engine.MaxActionWindow)
			}
			window = n
		}
		e := newEngine(db, "")
		today := survey.DayOf(db.Clock.Now(), db.Clock.Loc())
		ae, err := e.ActionEffect(a, window, today)
		if err != nil {
			return err
		}
		out := actionOut(a, survey.DayString(today))
		out.Effect = effectOut(ae, e)
		return c.JSON(out)
	}
}
