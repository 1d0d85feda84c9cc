package analytics

import (
	"math"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hailong/analytics/engine"
	"hailong/survey"
	"hailong/web"
)

// The improvement-action API (docs/DASHBOARD.md "Improvement actions"):
//
//	GET  /api/v1/actions?unit=&status=         viewer, manager, admin → {"actions": [action]}
//	POST /api/v1/actions                       manager, admin         → 201 action
//	GET  /api/v1/actions/{id}?window=          viewer, manager, admin → action with "effect"
//	PATCH (or POST) /api/v1/actions/{id}       manager, admin         → 200 action (only the fields sent change)
//
// Bodies are decoded strictly (web.DecodeJSON: 415, 400 for unknown keys);
// validation is a 422 with the field; outside the caller's subtree a 403.

type actionJSON struct {
	survey.Action
	Overdue bool        `json:"overdue"`
	Effect  *effectJSON `json:"effect,omitempty"`
}

type effectJSON struct {
	WindowDays   int                   `json:"window_days"`
	Verdict      engine.Verdict        `json:"verdict,omitempty"` // not_done or too_early for the whole action
	Message      *survey.Text          `json:"message,omitempty"`
	Before       *periodJSON           `json:"before"`
	After        *periodJSON           `json:"after"`
	DaysPassed   int                   `json:"days_passed"`
	Seasonal     bool                  `json:"seasonal"`
	SeasonalNote *survey.Text          `json:"seasonal_note,omitempty"`
	Criteria     []criterionEffectJSON `json:"criteria"`
}

type proportionJSON struct {
	N         uint64   `json:"n"`
	Satisfied uint64   `json:"satisfied"`
	Value     *float64 `json:"value"`
}

type criterionEffectJSON struct {
	Key         string         `json:"key"`
	Label       survey.Text    `json:"label"`
	Before      proportionJSON `json:"before"`
	After       proportionJSON `json:"after"`
	DeltaPP     *float64       `json:"delta_pp"`
	CILow       *float64       `json:"ci_low"`
	CIHigh      *float64       `json:"ci_high"`
	Z           *float64       `json:"z"`
	PValue      *float64       `json:"p_value"`
	Significant bool           `json:"significant"`
	Verdict     engine.Verdict `json:"verdict"`
	Text        survey.Text    `json:"text"`
	PriorDelta  *float64       `json:"year_before_delta_pp"`
}

func proportionOut(p engine.Proportion) proportionJSON {
	s, ok := p.Share()
	return proportionJSON{N: p.N, Satisfied: p.Pos, Value: numIf(s, ok)}
}

func effectOut(ae *engine.ActionEffect, e *engine.Engine) *effectJSON {
	vi, en := newFmtr("vi"), newFmtr("en")
	out := &effectJSON{WindowDays: ae.Window, Verdict: ae.Verdict, Criteria: []criterionEffectJSON{}}
	if ae.Verdict == engine.VerdictNotDone {
		out.Message = &survey.Text{Vi: vi.notDoneText(), En: en.notDoneText()}
		return out
	}
	out.Before = &periodJSON{ae.Before.FromDate(), ae.Before.ToDate()}
	out.After = &periodJSON{ae.After.FromDate(), ae.After.ToDate()}
	out.DaysPassed, out.Seasonal = ae.DaysPassed, ae.Seasonal
	if ae.Seasonal {
		lv := func(k string) string { return vi.critLabel(e.Cat, k) }
		le := func(k string) string { return en.critLabel(e.Cat, k) }
		out.SeasonalNote = &survey.Text{Vi: vi.seasonalText(ae, ae.Criteria, lv), En: en.seasonalText(ae, ae.Criteria, le)}
	}
	for _, ce := range ae.Criteria {
		label := e.Cat.Criterion(ce.Key).Label
		c := criterionEffectJSON{Key: ce.Key, Label: label, Before: proportionOut(ce.Before), After: proportionOut(ce.After),
			Verdict: ce.Verdict, Significant: ce.Tested() && ce.Diff.Significant(),
			Text: survey.Text{Vi: vi.effectSentence(vi.critLabel(e.Cat, ce.Key), ce, ae, e.Cfg.MinN),
				En: en.effectSentence(en.critLabel(e.Cat, ce.Key), ce, ae, e.Cfg.MinN)}}
		if ce.Compared {
			c.DeltaPP = num(ce.Diff.Delta)
		}
		if ce.Tested() {
			c.CILow, c.CIHigh, c.Z = num(ce.Diff.Lo), num(ce.Diff.Hi), num(ce.Diff.Z)
			p := sig4(ce.Diff.P)
			c.PValue = &p
		}
		if ce.Prior != nil {
			c.PriorDelta = num(ce.Prior.Delta)
		}
		out.Criteria = append(out.Criteria, c)
	}
	return out
}

// sig4 keeps 4 significant digits (a p-value of 5.8e-9 must not round to 0).
func sig4(x float64) float64 {
	if x == 0 {
		return 0
	}
	scale := math.Pow(10, 3-math.Floor(math.Log10(math.Abs(x))))
	return math.Round(x*scale) / scale
}

func actionOut(a *survey.Action, today string) actionJSON {
	return actionJSON{Action: *a, Overdue: a.Overdue(today)}
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
