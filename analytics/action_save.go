package analytics

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

// The action forms: new (GET /actions/new, POST /actions), edit (POST
// /actions/{id}) and close (POST /actions/{id}/close). Managers (their
// subtree) and admins; the CSRF token is checked by web.RequireUser. A form
// that fails validation is shown again with the input kept, a summary at the
// top and each message beside its field (422).

// actionForm is the create/edit form.
type actionForm struct {
	F                         fmtr
	Page                      *web.Page // for {{csrf .Page}}
	Action, Submit, Heading   string
	Unit, Title, Description  string
	Office, Due, Status, Done string
	Notes                     string
	Units, Statuses           []option
	Groups                    []critGroup
	Offices                   []string
	Errors                    map[string]string
	Summary                   []fieldErr
	Prefix                    string // of the field ids the summary links to
}

// closeForm closes an open action.
type closeForm struct {
	F           fmtr
	Page        *web.Page
	Action      string
	Done, Notes string
	Errors      map[string]string
	Summary     []fieldErr
	Prefix      string
}

// formText is a form field copied out of Fiber's buffers.
func formText(c *fiber.Ctx, key string) string { return strings.Clone(c.FormValue(key)) }

// actionFromForm reads the create/edit form.
func actionFromForm(c *fiber.Ctx) survey.Action {
	a := survey.Action{Unit: formText(c, "unit"), Title: formText(c, "title"), Description: formText(c, "description"),
		Office: formText(c, "office"), Due: formText(c, "due_date"), Status: survey.ActionStatus(formText(c, "status")),
		Done: formText(c, "done_date"), Notes: formText(c, "notes"), Criteria: []string{}}
	for _, v := range c.Context().PostArgs().PeekMulti("criteria") {
		a.Criteria = append(a.Criteria, string(v))
	}
	if a.Status == "" {
		a.Status = survey.ActionPlanned
	}
	return a
}

// newActionForm builds the form for a (its values), posting to action.
func newActionForm(db *survey.Services, p *web.Principal, f fmtr, e *engine.Engine, a *survey.Action, action string) *actionForm {
	v := &actionForm{F: f, Action: action, Unit: a.Unit, Title: a.Title, Description: a.Description, Office: a.Office,
		Due: a.Due, Status: string(a.Status), Done: a.Done, Notes: a.Notes, Errors: map[string]string{}, Prefix: "f-"}
	if p.Unit == "" {
		for _, root := range e.Org().Children("") {
			v.Units = unitOptions(e.Org(), root, 0, a.Unit, v.Units)
		}
	} else {
		v.Units = unitOptions(e.Org(), p.Unit, 0, a.Unit, nil)
	}
	if a.Unit == "" && len(v.Units) > 1 {
		v.Units = append([]option{{"", f.T("— Chọn đơn vị —", "— Choose a unit —"), true}}, v.Units...)
	}
	for _, s := range []survey.ActionStatus{survey.ActionPlanned, survey.ActionInProgress, survey.ActionDone} {
		v.Statuses = append(v.Statuses, option{string(s), f.statusName(s), string(s) == v.Status})
	}
	sel := map[string]bool{}
	for _, k := range a.Criteria {
		sel[k] = true
	}
	v.Groups = f.criterionGroups(db, e.Cat, sel)
	seen := map[string]bool{}
	for _, o := range v.Units {
		if name := strings.TrimSpace(o.Label); o.Value != "" && !seen[name] {
			seen[name] = true
			v.Offices = append(v.Offices, name)
		}
	}
	v.Offices = append(v.Offices, f.T("Văn phòng", "Office"), f.T("Bộ phận Tiếp nhận và Trả kết quả", "One-stop reception desk"))
	return v
}

// formProblems are the problems of a refused form, in the page's language:
// every field problem of a (Action.Problems), else the store's error.
// Anything that is not a validation error or a conflict is returned.
func formProblems(f fmtr, a *survey.Action, err error) (map[string]string, []fieldErr, int, error) {
	var e *survey.Error
	if !errors.As(err, &e) || (e.Code != survey.EINVALID && e.Code != survey.ECONFLICT) {
		return nil, nil, 0, err
	}
	problems := a.Problems()
	if len(problems) == 0 {
		problems = []*survey.Error{e}
	}
	errs, summary := map[string]string{}, []fieldErr{}
	for _, p := range problems {
		if _, dup := errs[p.Field]; !dup {
			errs[p.Field] = f.msg(p.Message)
			summary = append(summary, fieldErr{Field: p.Field, Message: f.msg(p.Message)})
		}
	}
	return errs, summary, web.Status(e.Code), nil
}

// mayWrite checks that the caller may write actions of unit: an unknown
// unit is left to validation (422), a unit outside the subtree is a 403.
func mayWrite(db survey.OrgService, p *web.Principal, unit string) error {
	if unit != "" && db.Unit(unit) != nil && !p.Covers(db, unit) {
		return web.Forbid(unit)
	}
	return nil
}

// getActionNew handles GET /actions/new?unit=&criterion=: the empty form,
// with the unit and criterion given (from a dashboard alert) chosen.
func getActionNew(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		q, err := queryArgs(c, []string{"unit", "criterion", "lang"})
		if err != nil {
			return err
		}
		if err := checkLang(q["lang"]); err != nil {
			return err
		}
		p, f := web.Who(c), newFmtr(q["lang"])
		a := survey.Action{Unit: q["unit"], Status: survey.ActionPlanned}
		if a.Unit == "" {
			a.Unit = p.Unit
		} else if d.Org.Unit(a.Unit) == nil {
			return survey.FieldError("unit", "Đơn vị %q không tồn tại. / Unknown unit %q.", a.Unit, a.Unit)
		} else if !p.Covers(d.Org, a.Unit) {
			return web.Forbid(a.Unit)
		}
		if k := q["criterion"]; k != "" {
			if !d.Surveys.KnownCriterion(engine.BaseKey(k)) {
				return survey.FieldError("criterion", "Tiêu chí %q không tồn tại. / Unknown criterion %q.", k, k)
			}
			a.Criteria = []string{engine.BaseKey(k)}
		}
		form := newActionForm(d.Services, p, f, newEngine(d.Services, ""), &a, "/actions"+f.langQuery())
		return renderActionNew(c, form, fiber.StatusOK)
	}
}

func renderActionNew(c *fiber.Ctx, form *actionForm, status int) error {
	f := form.F
	form.Heading, form.Submit = f.T("Thêm hành động cải tiến", "New improvement action"), f.T("Lưu hành động", "Save the action")
	page := &web.Page{Title: form.Heading, User: web.Who(c), Nav: "actions", Lang: f.Lang(), Data: form}
	form.Page = page
	return pages.Render(c, status, "action_new", page)
}

// postActionCreate handles POST /actions.
func postActionCreate(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, f := web.Who(c), newFmtr(c.Query("lang"))
		a := actionFromForm(c)
		if err := mayWrite(d.Org, p, a.Unit); err != nil {
			return err
		}
		saved, err := d.Actions.CreateAction(a, p.Actor())
		if err == nil {
			return c.Redirect(actionURL(saved.ID, f, "created"), fiber.StatusSeeOther)
		}
		errs, summary, status, err := formProblems(f, &a, err)
		if err != nil {
			return err
		}
		form := newActionForm(d.Services, p, f, newEngine(d.Services, ""), &a, "/actions"+f.langQuery())
		form.Errors, form.Summary = errs, summary
		return renderActionNew(c, form, status)
	}
}

// postActionUpdate handles POST /actions/{id}: the edit form.
func postActionUpdate(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, f := web.Who(c), newFmtr(c.Query("lang"))
		old, err := writableAction(d.Services, p, c.Params("id"))
		if err != nil {
			return err
		}
		a := actionFromForm(c)
		a.ID = old.ID
		if err := mayWrite(d.Org, p, a.Unit); err != nil {
			return err
		}
		if _, err := d.Actions.UpdateAction(a, p.Actor()); err == nil {
			return c.Redirect(actionURL(a.ID, f, "saved"), fiber.StatusSeeOther)
		} else {
			errs, summary, status, err := formProblems(f, &a, err)
			if err != nil {
				return err
			}
			e := newEngine(d.Services, "")
			edit := newActionForm(d.Services, p, f, e, &a, "/actions/"+url.PathEscape(a.ID)+f.langQuery())
			edit.Errors, edit.Summary = errs, summary
			return renderAction(c, d, old, f, ActionWindow(d.Settings), status, edit, nil)
		}
	}
}

// postActionClose handles POST /actions/{id}/close: done_date and a note.
func postActionClose(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, f := web.Who(c), newFmtr(c.Query("lang"))
		old, err := writableAction(d.Services, p, c.Params("id"))
		if err != nil {
			return err
		}
		done, note := formText(c, "done_date"), formText(c, "notes")
		if _, err := d.Actions.CloseAction(old.ID, done, note, p.Actor()); err == nil {
			return c.Redirect(actionURL(old.ID, f, "closed"), fiber.StatusSeeOther)
		} else {
			probe := *old
			probe.Status, probe.Done, probe.Notes = survey.ActionDone, strings.TrimSpace(done), strings.TrimSpace(old.Notes+"\n"+note)
			if !old.Open() {
				probe = *old // already done: the store's conflict is the message
			}
			errs, summary, status, err := formProblems(f, &probe, err)
			if err != nil {
				return err
			}
			cf := &closeForm{F: f, Action: "/actions/" + url.PathEscape(old.ID) + "/close" + f.langQuery(), Done: done, Notes: note,
				Errors: errs, Summary: summary, Prefix: "c-"}
			return renderAction(c, d, old, f, ActionWindow(d.Settings), status, nil, cf)
		}
	}
}

// writableAction reads an action the caller may change (404, 403).
func writableAction(db *survey.Services, p *web.Principal, id string) (*survey.Action, error) {
	a, err := db.Actions.Action(strings.Clone(id))
	if err != nil {
		return nil, err
	}
	if !p.Covers(db.Org, a.Unit) {
		return nil, web.Forbid(a.Unit)
	}
	return a, nil
}

// actionURL is an action's page with a confirmation.
func actionURL(id string, f fmtr, ok string) string {
	q := url.Values{"ok": {ok}}
	if f.English() {
		q.Set("lang", "en")
	}
	return "/actions/" + url.PathEscape(id) + "?" + q.Encode()
}

// msg picks the page's language from a bilingual message "Tiếng Việt. / English."
func (f fmtr) msg(m string) string { return f.Text(survey.MessageText(m)) }

// actionReq is the body of a create or change; absent fields are nil.
type actionReq struct {
	ID          *string   `json:"id"`
	Unit        *string   `json:"unit"`
	Title       *string   `json:"title"`
	Description *string   `json:"description"`
	Criteria    *[]string `json:"criteria"`
	Office      *string   `json:"office"`
	Due         *string   `json:"due_date"`
	Status      *string   `json:"status"`
	Done        *string   `json:"done_date"`
	Notes       *string   `json:"notes"`
}

// apply copies the fields sent onto a. Changing the status away from done
// without a done_date clears the done date.
func (r *actionReq) apply(a *survey.Action) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&a.Unit, r.Unit)
	set(&a.Title, r.Title)
	set(&a.Description, r.Description)
	set(&a.Office, r.Office)
	set(&a.Due, r.Due)
	set(&a.Notes, r.Notes)
	if r.Criteria != nil {
		a.Criteria = append([]string{}, *r.Criteria...)
	}
	if r.Status != nil {
		a.Status = survey.ActionStatus(*r.Status)
		if a.Status != survey.ActionDone && r.Done == nil {
			a.Done = ""
		}
	}
	set(&a.Done, r.Done)
}

// apiCreateAction handles POST /api/v1/actions.
func apiCreateAction(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req actionReq
		if err := web.DecodeJSON(c, &req); err != nil {
			return err
		}
		p := web.Who(c)
		a := survey.Action{Status: survey.ActionPlanned}
		if req.ID != nil {
			a.ID = *req.ID
		}
		req.apply(&a)
		if err := mayWrite(d.Org, p, a.Unit); err != nil {
			return err
		}
		saved, err := d.Actions.CreateAction(a, p.Actor())
		if err != nil {
			return err
		}
		today := survey.DayString(survey.DayOf(d.Clock.Now(), d.Clock.Loc()))
		return c.Status(fiber.StatusCreated).JSON(actionOut(&saved, today))
	}
}

// apiUpdateAction handles PATCH and POST /api/v1/actions/{id}.
func apiUpdateAction(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req actionReq
		if err := web.DecodeJSON(c, &req); err != nil {
			return err
		}
		p := web.Who(c)
		old, err := writableAction(d.Services, p, c.Params("id"))
		if err != nil {
			return err
		}
		if req.ID != nil && *req.ID != old.ID {
			return survey.FieldError("id", "Không đổi được mã của hành động. / An action's id cannot change.")
		}
		a := *old
		req.apply(&a)
		if err := mayWrite(d.Org, p, a.Unit); err != nil {
			return err
		}
		saved, err := d.Actions.UpdateAction(a, p.Actor())
		if err != nil {
			return err
		}
		today := survey.DayString(survey.DayOf(d.Clock.Now(), d.Clock.Loc()))
		return c.JSON(actionOut(&saved, today))
	}
}
