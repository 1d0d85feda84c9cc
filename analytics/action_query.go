package analytics

import (
	"sort"
	"strconv"

	"hailong/survey"
)

// ActionEffect is the measured effect of one action: its windows and each
// targeted criterion (action_effect.go has the method).
type ActionEffect struct {
	Action        *survey.Action
	Window        int    // days of each window
	Before, After Period // the full windows (After may end in the future)
	Verdict       Verdict
	DaysPassed    int  // whole days of the after window already over
	Seasonal      bool // the windows cover different months of the year
	Criteria      []CriterionEffect
}

// ActionWindow is the installation's window length (the setting
// Analytics.ActionWindowDays).
func ActionWindow(db survey.SettingsService) int { return db.Settings().Analytics.ActionWindowDays }

// ActionEffect measures a done action over windows of window days, as of
// today, on the counts of the action's unit subtree (every survey, criteria
// joined by key; misuse and unverified responses excluded as everywhere).
// An action that is not done gets VerdictNotDone and no figures.
func (e *Engine) ActionEffect(a *survey.Action, window int, today int32) (*ActionEffect, error) {
	ae := &ActionEffect{Action: a, Window: window}
	done, ok := survey.ParseDay(a.Done)
	if a.Status != survey.ActionDone || !ok {
		ae.Verdict = VerdictNotDone
		return ae, nil
	}
	ae.Before, ae.After = EffectWindows(done, window)
	ae.Seasonal = Seasonal(ae.Before, ae.After)
	ae.DaysPassed = int(min(today, ae.After.To+1) - done)
	if ae.After.To >= today {
		ae.Verdict = VerdictTooEarly
	}
	f := Filter{Unit: a.Unit}
	e.Expand(&f)
	soFar := Period{ae.After.From, max(ae.After.From, min(ae.After.To, today))}
	var tallies [4]*survey.Tally
	for i, p := range []Period{ae.Before, soFar, ae.Before.YearBefore(), ae.After.YearBefore()} {
		t, err := e.Tally(&f, p)
		if err != nil {
			return nil, err
		}
		tallies[i] = t
	}
	for _, key := range a.Criteria {
		ae.Criteria = append(ae.Criteria, AssessEffect(EffectInput{Key: key,
			Before: proportionOf(tallies[0], key), After: proportionOf(tallies[1], key),
			PriorBefore: proportionOf(tallies[2], key), PriorAft: proportionOf(tallies[3], key),
			AfterWindow: ae.After, Today: today, MinN: e.Cfg.MinN}))
	}
	return ae, nil
}

// proportionOf is a criterion's satisfied answers (share45's numerator and
// denominator) in a tally, the key's 5-level and 3-level answers together.
func proportionOf(t *survey.Tally, key string) Proportion {
	var p Proportion
	for _, k := range []string{key, key + "@3"} {
		if h := t.Criteria[k]; h != nil {
			p.Pos += Positives(*h)
			p.N += Valid(*h)
		}
	}
	return p
}

// sortActions orders actions for lists: overdue first (the longest overdue
// first), then the other open ones by due date, then the done ones, the
// latest done first.
func sortActions(as []survey.Action, today string) {
	rank := func(a *survey.Action) int {
		switch {
		case a.Overdue(today):
			return 0
		case a.Open():
			return 1
		}
		return 2
	}
	sort.SliceStable(as, func(i, j int) bool {
		a, b := &as[i], &as[j]
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		if a.Open() {
			if a.Due != b.Due {
				return a.Due < b.Due
			}
		} else if a.Done != b.Done {
			return a.Done > b.Done
		}
		return idOrder(a.ID, b.ID)
	})
}

// idOrder orders numeric ids numerically, before any other id.
func idOrder(a, b string) bool {
	x, errA := strconv.ParseUint(a, 10, 64)
	y, errB := strconv.ParseUint(b, 10, 64)
	if errA == nil && errB == nil {
		return x < y
	}
	if (errA == nil) != (errB == nil) {
		return errA == nil
	}
	return a < b
}

// relatedActions are the actions the caller p may read that concern unit:
// those of unit's subtree, and those of an ancestor of unit (an action for
// the whole agency concerns its departments too), optionally only those
// targeting criterion key and only the open ones.
func relatedActions(db *survey.Services, cover, unit, key string, openOnly bool) ([]survey.Action, error) {
	all, err := db.Actions.Actions(survey.ActionQuery{Unit: cover})
	if err != nil {
		return nil, err
	}
	var out []survey.Action
	for _, a := range all {
		if openOnly && !a.Open() {
			continue
		}
		if key != "" && !contains(a.Criteria, key) && !contains(a.Criteria, baseKey(key)) {
			continue
		}
		if unit == "" || db.Org.InSubtree(a.Unit, unit) || db.Org.InSubtree(unit, a.Unit) {
			out = append(out, a)
		}
	}
	return out, nil
}
