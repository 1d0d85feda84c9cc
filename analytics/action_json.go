package analytics

import (
	"math"

	"hailong/analytics/engine"
	"hailong/survey"
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
// This file has the JSON shapes; the handlers are action_list.go,
// action_show.go and action_save.go, beside the pages that do the same.

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
