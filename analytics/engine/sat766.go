package engine

import (
	"time"

	"hailong/survey"
)

// The group "Mức độ hài lòng" of the Quyết định 766/QĐ-TTg index set, as far
// as Hài Lòng has the data (docs/METHODOLOGY.md section 16): PAKN handled on
// time (5.2), satisfaction with PAKN handling (5.3), the per-dossier
// satisfaction rate (5.4), and the response rate every one of them depends
// on. Each is a Ratio: its numerator and denominator are published with it.

// Ratio is Num ÷ Den in percent (unrounded); OK is false when Den is 0 and
// the figure is undefined (never 0).
type Ratio struct {
	Num, Den int
	Pct      float64
	OK       bool
}

// NewRatio computes num ÷ den.
func NewRatio(num, den int) Ratio {
	p, ok := Share(uint64(max(num, 0)), uint64(max(den, 0)))
	return Ratio{Num: num, Den: den, Pct: p, OK: ok}
}

// Sat766 is the satisfaction group of one scope over one period.
type Sat766 struct {
	// Response: receipts answered ÷ receipts issued, over the dossiers
	// received in the period.
	Response Ratio
	// Dossier: dossiers received in the period not counted against the
	// agency ÷ dossiers received. A dossier counts against when it was
	// returned late or is overdue (Late), its receipt's answer is negative
	// (Negative: Dossier.Negative), or a case is about it (WithCase); the
	// three may overlap, Against counts each dossier once.
	Dossier                           Ratio
	Late, Negative, WithCase, Against int
	// PortalPct is 5.4 as the national portal writes it, 100 − (late % +
	// % with a case or a negative answer): an overlapping dossier is
	// subtracted twice (it may fall below 0); OK as Dossier.
	PortalPct float64
	// Cases (PAKN) opened in the period: CasesOnTime = replied (or closed)
	// by the deadline, or still open and not yet overdue, ÷ cases;
	// CasesSatisfied = cases neither rated dissatisfied nor handled late ÷
	// cases; Rated = rated satisfied ÷ rated (the citizens' own answers).
	CasesOnTime, CasesSatisfied, Rated Ratio
	// CasesLate and CasesBad are the cases handled late (or overdue) and
	// rated dissatisfied (may overlap).
	CasesLate, CasesBad int
}

// sat766Acc accumulates the counts of a Sat766.
type sat766Acc struct {
	now                                          time.Time
	loc                                          *time.Location
	issued, answered, dossiers                   int
	late, negative, withCase, against, caseOrNeg int
	cases, onTime, satisfied, rated, ratedGood   int
	casesLate, casesBad                          int
}

// addDossier counts dossier d; caseAbout reports whether a case is about it.
func (a *sat766Acc) addDossier(d *survey.Dossier, caseAbout bool) {
	a.dossiers++
	if d.Answered || d.TokenHash != nil { // an answered receipt was issued, even if its token was not kept
		a.issued++
	}
	if d.Answered {
		a.answered++
	}
	late := d.Outcome(a.loc) == survey.Late || d.Overdue(a.now, a.loc)
	neg := d.Answered && d.Negative
	a.late += b2i(late)
	a.negative += b2i(neg)
	a.withCase += b2i(caseAbout)
	a.caseOrNeg += b2i(neg || caseAbout) // "có PAKN hoặc đánh giá dislike", the portal's second term
	a.against += b2i(late || neg || caseAbout)
}

// addCase counts case c (opened in the period).
func (a *sat766Acc) addCase(c *survey.Case) {
	a.cases++
	late := !CaseOnTime(c, a.now)
	bad := c.Rating == survey.RatingBad
	a.onTime += b2i(!late)
	a.satisfied += b2i(!late && !bad)
	a.casesLate += b2i(late)
	a.casesBad += b2i(bad)
	if c.Rating != "" {
		a.rated++
		a.ratedGood += b2i(c.Rating == survey.RatingGood)
	}
}

// CaseOnTime reports whether case c counts as handled on time at now: its
// first reply by the deadline (a later reply corrects it, it does not make
// the case late; a case closed without a reply: closed by it), or still
// unanswered and not yet past it.
func CaseOnTime(c *survey.Case, now time.Time) bool {
	if at, ok := CaseHandledAt(c); ok {
		return !at.After(c.DueAt)
	}
	return !now.After(c.DueAt)
}

// CaseHandledAt is when case c was first replied to, or closed without a
// reply; ok is false while it is neither.
func CaseHandledAt(c *survey.Case) (time.Time, bool) {
	if at, ok := c.RepliedAt(); ok {
		return at, true
	}
	if c.Status == survey.CaseClosed {
		return c.ClosedAt, true
	}
	return time.Time{}, false
}

func (a *sat766Acc) result() Sat766 {
	s := Sat766{Response: NewRatio(a.answered, a.issued), Dossier: NewRatio(a.dossiers-a.against, a.dossiers),
		Late: a.late, Negative: a.negative, WithCase: a.withCase, Against: a.against,
		CasesOnTime: NewRatio(a.onTime, a.cases), CasesSatisfied: NewRatio(a.satisfied, a.cases),
		Rated: NewRatio(a.ratedGood, a.rated), CasesLate: a.casesLate, CasesBad: a.casesBad}
	if s.Dossier.OK {
		lp, _ := Share(uint64(a.late), uint64(a.dossiers))
		cp, _ := Share(uint64(a.caseOrNeg), uint64(a.dossiers))
		s.PortalPct = 100 - (lp + cp)
	}
	return s
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Satisfaction766 computes the group for f's units over p, as of now:
// the dossiers received in p (one range scan, Dossier.Negative kept by the
// store) and the cases opened in p; a dossier counts a case about it
// whenever the case was opened.
func (e *Engine) Satisfaction766(f Filter, p Period) (Sat766, error) {
	e.Expand(&f)
	loc := e.src.Clock.Loc()
	a := &sat766Acc{now: e.src.Clock.Now(), loc: loc}
	about, err := e.casesOf(f.Units, p, a)
	if err != nil {
		return Sat766{}, err
	}
	err = e.src.Dossiers.EachDossier(f.Units, p.Start(loc), survey.DayStart(p.To, loc), func(d *survey.Dossier) error {
		a.addDossier(d, about[d.Code])
		return nil
	})
	return a.result(), err
}

// casesOf counts the cases of units opened in p into a and returns the
// dossier codes any case of units is about (opened at any time).
func (e *Engine) casesOf(units []string, p Period, a *sat766Acc) (map[string]bool, error) {
	about := map[string]bool{}
	cs, err := e.src.Cases.Cases(survey.CaseQuery{Units: units})
	if err != nil {
		return nil, err
	}
	from, to := p.Start(a.loc), p.End(a.loc)
	for i := range cs {
		c := &cs[i]
		if c.Dossier != "" {
			about[c.Dossier] = true
		}
		if !c.OpenedAt.Before(from) && c.OpenedAt.Before(to) {
			a.addCase(c)
		}
	}
	return about, nil
}
