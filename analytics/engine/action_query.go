package engine

import "hailong/survey"

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
