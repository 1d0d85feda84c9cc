package engine

import (
	"math"
	"strconv"

	"hailong/survey"
)

// The measured effect of an improvement action (docs/METHODOLOGY.md
// section 13): each criterion the action targets, the share of satisfied
// answers in a window before the day it was done against an equal window
// from that day on, with the change in points, a 95 % interval for the
// difference (Newcombe's hybrid score interval, built from the Wilson
// intervals used everywhere else) and a two-proportion z-test. Pure
// functions; action_query.go reads the counts.

// Effect windows: DefaultActionWindow days each unless the setting
// (survey.Settings.Analytics.ActionWindowDays) or the request says otherwise
// (MinActionWindow to MaxActionWindow).
const (
	DefaultActionWindow = survey.DefaultActionWindowDays
	MinActionWindow     = survey.MinActionWindowDays
	MaxActionWindow     = survey.MaxActionWindowDays
	// Alpha is the significance level of the test (two-sided).
	Alpha = 0.05
)

// Proportion is Pos satisfied answers among N valid ones.
type Proportion struct{ Pos, N uint64 }

// Share is the proportion in percent; ok is false when N is 0.
func (p Proportion) Share() (float64, bool) { return Share(p.Pos, p.N) }

// Difference compares two proportions, all in percent or points.
type Difference struct {
	Before, After float64 // shares
	Delta         float64 // After − Before, points, unrounded
	Lo, Hi        float64 // 95 % interval of Delta (Newcombe)
	Z, P          float64 // pooled two-proportion z statistic and two-sided p-value
}

// Significant reports whether the difference is significant at Alpha.
func (d Difference) Significant() bool { return d.P < Alpha }

// CompareProportions computes the difference after − before with its 95 %
// interval and test; ok is false when either has no answers.
//
//	interval: d − √((p₂−l₂)² + (u₁−p₁)²) … d + √((u₂−p₂)² + (p₁−l₁)²)
//	          with (lᵢ, uᵢ) the Wilson interval of pᵢ (Newcombe 1998, method 10)
//	test:     z = (p₂ − p₁) / √(P(1−P)(1/n₁ + 1/n₂)), P = (x₁+x₂)/(n₁+n₂);
//	          p = 2·(1 − Φ(|z|)); when P is 0 or 1 the windows cannot differ: z = 0, p = 1
func CompareProportions(before, after Proportion) (Difference, bool) {
	p1, ok1 := before.Share()
	p2, ok2 := after.Share()
	if !ok1 || !ok2 {
		return Difference{}, false
	}
	l1, u1, _ := Wilson(p1, before.N)
	l2, u2, _ := Wilson(p2, after.N)
	d := Difference{Before: p1, After: p2, Delta: p2 - p1}
	d.Lo = d.Delta - math.Hypot(p2-l2, u1-p1)
	d.Hi = d.Delta + math.Hypot(u2-p2, p1-l1)
	n1, n2 := float64(before.N), float64(after.N)
	pooled := float64(before.Pos+after.Pos) / (n1 + n2)
	se := math.Sqrt(pooled * (1 - pooled) * (1/n1 + 1/n2))
	d.P = 1
	if se > 0 {
		d.Z = (p2 - p1) / 100 / se
		d.P = math.Erfc(math.Abs(d.Z) / math.Sqrt2)
	}
	return d, true
}

// EffectWindows are the windows of an action done on day done: the w days
// before it, and w days from it (the done day counts as after: the counter
// is in use from that day).
func EffectWindows(done int32, w int) (before, after Period) {
	return Period{done - int32(w), done - 1}, Period{done, done + int32(w) - 1}
}

// Verdict is what can be said of one criterion's change.
type Verdict string

// Verdicts, in the order they are decided.
const (
	VerdictNotDone  Verdict = "not_done"  // no done date: nothing measured
	VerdictTooEarly Verdict = "too_early" // the after window is not over yet
	VerdictTooFew   Verdict = "too_few"   // either window under the minimum n
	VerdictUp       Verdict = "improved"  // significant rise
	VerdictDown     Verdict = "worsened"  // significant fall
	VerdictNone     Verdict = "no_change" // not significant
)

// EffectInput is what the assessment of one criterion needs.
type EffectInput struct {
	Key                   string
	Before, After         Proportion
	PriorBefore, PriorAft Proportion // the same windows a year before (seasonal reference)
	AfterWindow           Period
	Today                 int32
	MinN                  int
}

// CriterionEffect is one targeted criterion before and after.
type CriterionEffect struct {
	Key           string
	Before, After Proportion
	Diff          Difference // when Compared
	Compared      bool       // both windows have answers
	Verdict       Verdict
	Prior         *Difference // the same windows a year before, when both have the minimum n
}

// AssessEffect decides a criterion's verdict: too early while the after
// window is not over (today is inside it: today's answers are not all in),
// too few when either window has fewer than MinN answers, else improved or
// worsened when the test is significant, no change otherwise. The figures
// are computed whatever the verdict, for the tables.
func AssessEffect(in EffectInput) CriterionEffect {
	ce := CriterionEffect{Key: in.Key, Before: in.Before, After: in.After}
	ce.Diff, ce.Compared = CompareProportions(in.Before, in.After)
	switch {
	case in.AfterWindow.To >= in.Today:
		ce.Verdict = VerdictTooEarly
	case TooFew(in.Before.N, in.MinN) || TooFew(in.After.N, in.MinN):
		ce.Verdict = VerdictTooFew
	case !ce.Diff.Significant():
		ce.Verdict = VerdictNone
	case ce.Diff.Delta > 0:
		ce.Verdict = VerdictUp
	default:
		ce.Verdict = VerdictDown
	}
	if !TooFew(in.PriorBefore.N, in.MinN) && !TooFew(in.PriorAft.N, in.MinN) {
		if d, ok := CompareProportions(in.PriorBefore, in.PriorAft); ok {
			ce.Prior = &d
		}
	}
	return ce
}

// Tested reports whether the verdict rests on the test (enough answers in
// two complete windows).
func (ce CriterionEffect) Tested() bool {
	return ce.Verdict == VerdictUp || ce.Verdict == VerdictDown || ce.Verdict == VerdictNone
}

// Seasonal reports whether two windows cover different months of the year
// (then part of a change may be the season's: the caveat is shown).
func Seasonal(a, b Period) bool {
	ma, mb := monthsOfYear(a), monthsOfYear(b)
	return ma != mb
}

// monthsOfYear is the set of calendar months (1–12) a period touches, as bits.
func monthsOfYear(p Period) uint16 {
	var set uint16
	for _, m := range p.Months() {
		set |= 1 << uint(Civil(m.From).Month())
	}
	return set
}

// EffectWindowDays parses a window length: MinActionWindow–MaxActionWindow days.
func EffectWindowDays(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= MinActionWindow && n <= MaxActionWindow
}
