package publish

import (
	"strconv"

	"hailong/analytics/engine"
	"hailong/survey"
)

// A family is a calendar year and its quarters, computed together: the
// year's counts are the sums of its quarters', so what is withheld in one
// depends on what is shown in the others (Suppress). Every period's page,
// widget, badge and data are rendered from its family's figures, so they
// withhold the same cells.
type family struct {
	Cat     *engine.Catalogue
	Periods map[string]*famPeriod // by period key: the year, each quarter begun
}

// famPeriod is one period of a family: every public agency's figures.
type famPeriod struct {
	Period engine.Period
	Units  map[string]*unitFigs
}

// unitFigs is an agency's figures over one period, and what of them is
// withheld.
type unitFigs struct {
	Cur             engine.Result
	Tally           *survey.Tally
	Dossiers        engine.TimelinessReport
	Sat             engine.Sat766 // the 766 satisfaction figures (views_766.go)
	Counters, Staff []engine.Row  // every row, before the minimum n (staff-level publication only)
	Held            held
}

// held marks the figures withheld: under the minimum n, or to protect one
// that is (complementary suppression).
type held struct {
	Index, Dossiers, Receipts, Cases    bool
	Criteria, Elements, Counters, Staff map[string]bool
}

// familyKeys are the period keys of year y: the year, then its quarters.
func familyKeys(y int) []string {
	ys := strconv.Itoa(y)
	return []string{ys, ys + "-q1", ys + "-q2", ys + "-q3", ys + "-q4"}
}

// buildFamily computes year y and its quarters as published on day today
// (cut to the "published from" day; begun), for every public agency, then
// withholds (suppressFamily). A year older than the picker's is computed
// too: it is the previous period of the oldest one.
func buildFamily(db *survey.Services, st Settings, y int, today int32) (*family, error) {
	e := engine.New(engine.SourceOf(db), st.Config, "")
	fam := &family{Cat: e.Cat, Periods: map[string]*famPeriod{}}
	for _, key := range familyKeys(y) {
		c, _ := parseChoice(key)
		p := c.Named
		if st.From != 0 && p.From < st.From {
			p.From = st.From
		}
		if p.From > p.To || p.From > today {
			continue
		}
		fp := &famPeriod{Period: p, Units: map[string]*unitFigs{}}
		for _, u := range db.Org.Units() {
			if !st.GroupPublic(u.Group) || !st.UnitPublic(&u) {
				continue
			}
			uf, err := figures(e, st.Staff, u.ID, p)
			if err != nil {
				return nil, err
			}
			fp.Units[u.ID] = uf
		}
		fam.Periods[key] = fp
	}
	suppressFamily(fam, y, st.Config)
	return fam, nil
}

// figures computes one agency's index, dossiers, 766 figures and (when published) its
// counter and staff rows over p.
func figures(e *engine.Engine, staff bool, unit string, p engine.Period) (*unitFigs, error) {
	uf := &unitFigs{}
	f := engine.Filter{Unit: unit} // flagged responses (misuse, unverified) excluded: the default
	e.Expand(&f)
	var err error
	if uf.Cur, uf.Tally, err = e.Index(&f, p); err != nil {
		return nil, err
	}
	if uf.Dossiers, err = e.Timeliness(engine.Filter{Unit: unit}, p); err != nil {
		return nil, err
	}
	if uf.Sat, err = e.Satisfaction766(engine.Filter{Unit: unit}, p); err != nil {
		return nil, err
	}
	if !staff {
		return uf, nil
	}
	if uf.Counters, err = e.Breakdown(engine.Filter{Unit: unit}, p, "counter"); err != nil {
		return nil, err
	}
	uf.Staff, err = e.Breakdown(engine.Filter{Unit: unit}, p, "staff")
	return uf, err
}

// previousChoice is the period before c: the year before, the quarter
// before (Q4 of the year before for a Q1).
func previousChoice(c choice) choice {
	key := strconv.Itoa(c.Year - 1)
	switch {
	case c.Quarter > 1:
		key = strconv.Itoa(c.Year) + "-q" + strconv.Itoa(c.Quarter-1)
	case c.Quarter == 1:
		key += "-q4"
	}
	p, _ := parseChoice(key)
	return p
}
