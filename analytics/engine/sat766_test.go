package engine

import (
	"testing"

	"hailong/analytics/engine/enginetest"
	"hailong/survey"
)

// TestMethodology766 reproduces Example 18 of docs/METHODOLOGY.md (section
// 16), every number printed there, from a real store built step by step.
func TestMethodology766(t *testing.T) {
	db := enginetest.Example766(t)
	eng := newEngine(survey.ServicesOf(db), "")
	march := Period{day(2026, 3, 1), day(2026, 3, 31)}
	s, err := eng.Satisfaction766(Filter{Unit: "so-a"}, march)
	if err != nil {
		t.Fatal(err)
	}
	ratio := func(what string, r Ratio, num, den int, pct float64) {
		t.Helper()
		if r.Num != num || r.Den != den || !r.OK {
			t.Errorf("%s = %d/%d (ok %v), want %d/%d", what, r.Num, r.Den, r.OK, num, den)
		}
		check(t, what, r.Pct, pct)
	}
	ratio("response rate", s.Response, 5, 8, 62.50)
	ratio("per-dossier rate", s.Dossier, 4, 10, 40.00)
	if s.Late != 4 || s.Negative != 2 || s.WithCase != 1 || s.Against != 6 {
		t.Errorf("against: late %d, negative %d, case %d, any %d; want 4, 2, 1, 6", s.Late, s.Negative, s.WithCase, s.Against)
	}
	check(t, "portal 5.4", s.PortalPct, 30.00)
	ratio("PAKN on time", s.CasesOnTime, 4, 6, 66.67)
	ratio("PAKN satisfaction", s.CasesSatisfied, 3, 6, 50.00)
	ratio("rated satisfied", s.Rated, 2, 3, 66.67)
	if s.CasesLate != 2 || s.CasesBad != 1 {
		t.Errorf("cases late %d, dissatisfied %d; want 2, 1", s.CasesLate, s.CasesBad)
	}
	t.Run("Scope", func(t *testing.T) {
		b, err := eng.Satisfaction766(Filter{Unit: "so-b"}, march)
		if err != nil {
			t.Fatal(err)
		}
		if b.Dossier.Num != 1 || b.Dossier.Den != 1 || b.Response.OK || b.CasesOnTime.OK || b.Rated.OK {
			t.Errorf("so-b: %+v", b)
		}
	})
	t.Run("February", func(t *testing.T) {
		feb, err := eng.Satisfaction766(Filter{Unit: "so-a"}, Period{day(2026, 2, 1), day(2026, 2, 28)})
		if err != nil {
			t.Fatal(err)
		}
		// C7 alone, opened 26 February, due 12 March, never replied: overdue.
		if feb.CasesOnTime.Num != 0 || feb.CasesOnTime.Den != 1 || feb.Dossier.OK || feb.Response.OK {
			t.Errorf("February: %+v", feb)
		}
	})
}
