package engine

import (
	"math"
	"testing"
	"time"

	"hailong/survey"
)

// TestMethodologyActionEffect reproduces the worked example of
// docs/METHODOLOGY.md section 13 exactly.
func TestMethodologyActionEffect(t *testing.T) {
	before, after := Proportion{Pos: 250, N: 480}, Proportion{Pos: 330, N: 468}
	d, ok := CompareProportions(before, after)
	if !ok {
		t.Fatal("no comparison")
	}
	check(t, "before", d.Before, 52.08)
	check(t, "after", d.After, 70.51)
	check(t, "delta", d.Delta, 18.43)
	check(t, "ci_low", d.Lo, 12.26)
	check(t, "ci_high", d.Hi, 24.39)
	check(t, "z", d.Z, 5.82)
	if d.P >= 0.001 || math.Abs(d.P-5.84e-9) > 0.01e-9 || !d.Significant() {
		t.Errorf("p = %g, want 5.84e-9, significant", d.P)
	}
	w1, w2 := EffectWindows(day(2025, 10, 13), 90)
	if w1.FromDate() != "2025-07-15" || w1.ToDate() != "2025-10-12" || w2.FromDate() != "2025-10-13" || w2.ToDate() != "2026-01-10" {
		t.Errorf("windows %s–%s, %s–%s", w1.FromDate(), w1.ToDate(), w2.FromDate(), w2.ToDate())
	}
	ce := AssessEffect(EffectInput{Key: "facilities", Before: before, After: after, AfterWindow: w2, Today: day(2026, 3, 18), MinN: 30})
	if ce.Verdict != VerdictUp {
		t.Fatalf("verdict %s", ce.Verdict)
	}
}

func TestAssessEffect(t *testing.T) {
	today := day(2026, 3, 18)
	_, over := EffectWindows(day(2025, 11, 1), 90) // ends 29 January: complete
	in := func(b, a Proportion) EffectInput {
		return EffectInput{Key: "k", Before: b, After: a, AfterWindow: over, Today: today, MinN: 30}
	}
	t.Run("Jump", func(t *testing.T) {
		ce := AssessEffect(in(Proportion{150, 300}, Proportion{240, 300}))
		if ce.Verdict != VerdictUp || !ce.Diff.Significant() || ce.Diff.Lo <= 0 || !ce.Tested() {
			t.Fatalf("%+v", ce)
		}
	})
	t.Run("Fall", func(t *testing.T) {
		ce := AssessEffect(in(Proportion{240, 300}, Proportion{150, 300}))
		if ce.Verdict != VerdictDown || ce.Diff.Hi >= 0 {
			t.Fatalf("%+v", ce)
		}
	})
	t.Run("NoJump", func(t *testing.T) {
		ce := AssessEffect(in(Proportion{200, 400}, Proportion{206, 400}))
		check(t, "p", ce.Diff.P, 0.67)
		check(t, "lo", ce.Diff.Lo, -5.41)
		check(t, "hi", ce.Diff.Hi, 8.38)
		if ce.Verdict != VerdictNone || ce.Diff.Significant() {
			t.Fatalf("%+v", ce)
		}
	})
	t.Run("TooFew", func(t *testing.T) {
		ce := AssessEffect(in(Proportion{5, 29}, Proportion{40, 40}))
		if ce.Verdict != VerdictTooFew || ce.Tested() {
			t.Fatalf("%+v", ce)
		}
	})
	t.Run("Empty", func(t *testing.T) {
		ce := AssessEffect(in(Proportion{}, Proportion{40, 40}))
		if ce.Verdict != VerdictTooFew || ce.Compared {
			t.Fatalf("%+v", ce)
		}
	})
	t.Run("TooEarly", func(t *testing.T) {
		_, open := EffectWindows(today-20, 90)
		ce := AssessEffect(EffectInput{Before: Proportion{150, 300}, After: Proportion{240, 300}, AfterWindow: open, Today: today, MinN: 30})
		if ce.Verdict != VerdictTooEarly {
			t.Fatalf("%+v", ce)
		}
		// the last day of the window is today: not over yet
		_, edge := EffectWindows(today-89, 90)
		if AssessEffect(EffectInput{Before: Proportion{150, 300}, After: Proportion{240, 300}, AfterWindow: edge, Today: today, MinN: 30}).Verdict != VerdictTooEarly {
			t.Error("a window ending today counted as over")
		}
	})
	t.Run("AllSatisfied", func(t *testing.T) {
		d, _ := CompareProportions(Proportion{50, 50}, Proportion{60, 60})
		if d.Z != 0 || d.P != 1 || d.Significant() {
			t.Fatalf("%+v", d)
		}
	})
	t.Run("Seasonal", func(t *testing.T) {
		b, a := EffectWindows(day(2025, 11, 1), 90)
		if !Seasonal(b, a) {
			t.Error("90-day windows cover different months")
		}
		b, a = EffectWindows(day(2025, 11, 15), 7)
		if Seasonal(b, a) {
			t.Error("two weeks of November flagged seasonal")
		}
	})
}

// TestActionEffectOnCounts measures actions on stored responses: a known
// jump in facilities, no jump in website, too few answers to
// staff_attitude, and an action not done.
func TestActionEffectOnCounts(t *testing.T) {
	db := mustOpen(t)
	mustOrg(t, db)
	nov, dec := time.Date(2025, 11, 3, 9, 0, 0, 0, hcm), time.Date(2025, 12, 2, 9, 0, 0, 0, hcm)
	var rs []resp
	rs = append(rs, repeat(30, resp{Unit: "so-a", At: nov, Answers: map[string]int{"facilities": 2, "website": 4}})...)
	rs = append(rs, repeat(30, resp{Unit: "so-a-vp", At: nov.Add(48 * time.Hour), Answers: map[string]int{"facilities": 4, "website": 2, "staff_attitude": 5}})...)
	rs = append(rs, repeat(54, resp{Unit: "so-a", At: dec, Answers: map[string]int{"facilities": 5, "website": 4}})...)
	rs = append(rs, repeat(6, resp{Unit: "so-a", At: dec.Add(72 * time.Hour), Answers: map[string]int{"facilities": 1, "website": 1, "staff_attitude": 4}})...)
	rs = append(rs, repeat(40, resp{Unit: "so-b", At: dec, Answers: map[string]int{"facilities": 1}})...) // another agency: not counted
	// so-c: the same share before and after (60 %, then 62.5 %)
	rs = append(rs, repeat(24, resp{Unit: "so-c", At: nov, Answers: map[string]int{"website": 4}})...)
	rs = append(rs, repeat(16, resp{Unit: "so-c", At: nov.Add(time.Hour), Answers: map[string]int{"website": 2}})...)
	rs = append(rs, repeat(25, resp{Unit: "so-c", At: dec, Answers: map[string]int{"website": 5}})...)
	rs = append(rs, repeat(15, resp{Unit: "so-c", At: dec.Add(time.Hour), Answers: map[string]int{"website": 1}})...)
	mustInsert(t, db, rs)
	e := newEngine(survey.ServicesOf(db), "")
	a := &survey.Action{ID: "1", Unit: "so-a", Criteria: []string{"facilities", "website", "staff_attitude"}, Status: survey.ActionDone, Done: "2025-12-01"}
	ae, err := e.ActionEffect(a, 30, day(2026, 3, 18))
	if err != nil {
		t.Fatal(err)
	}
	if ae.Verdict != "" || ae.Before.FromDate() != "2025-11-01" || ae.After.ToDate() != "2025-12-30" || ae.DaysPassed != 30 || !ae.Seasonal {
		t.Fatalf("effect %+v", ae)
	}
	fac, web, att := ae.Criteria[0], ae.Criteria[1], ae.Criteria[2]
	if fac.Before != (Proportion{30, 60}) || fac.After != (Proportion{54, 60}) || fac.Verdict != VerdictUp {
		t.Errorf("facilities: %+v", fac)
	}
	if web.Before != (Proportion{30, 60}) || web.After != (Proportion{54, 60}) {
		t.Errorf("website counts: %+v", web)
	}
	if att.Verdict != VerdictTooFew || att.Before.N != 30 || att.After.N != 6 {
		t.Errorf("staff_attitude: %+v", att)
	}

	flat := &survey.Action{ID: "2", Unit: "so-a", Criteria: []string{"website"}, Status: survey.ActionDone, Done: "2025-11-05"}
	ae, _ = e.ActionEffect(flat, 2, day(2026, 3, 18)) // 3–4 Nov against 5–6 Nov: 30 at 4, then 30 at 2
	if ae.Criteria[0].Verdict != VerdictDown {
		t.Errorf("website fell from 100 %% to 0 %%: %+v", ae.Criteria[0])
	}
	same := &survey.Action{ID: "3", Unit: "so-c", Criteria: []string{"website"}, Status: survey.ActionDone, Done: "2025-12-01"}
	ae, _ = e.ActionEffect(same, 30, day(2026, 3, 18))
	if got := ae.Criteria[0]; got.Verdict != VerdictNone || got.Before != (Proportion{24, 40}) || got.After != (Proportion{25, 40}) {
		t.Errorf("no jump: %+v", got)
	}

	open := &survey.Action{ID: "4", Unit: "so-a", Criteria: []string{"facilities"}, Status: survey.ActionInProgress}
	ae, _ = e.ActionEffect(open, 90, day(2026, 3, 18))
	if ae.Verdict != VerdictNotDone || len(ae.Criteria) != 0 {
		t.Fatalf("open action measured: %+v", ae)
	}
}
