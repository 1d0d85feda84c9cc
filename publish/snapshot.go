package publish

import (
	"sort"
	"time"

	"hailong/analytics"
	"hailong/survey"
)

// A snapshot is everything published for one period under one set of
// settings, computed from the store's counts by the analytics engine (no
// index math here) and cached: the page, the widget, the badge and the open
// data of that period are all rendered from it.
type snapshot struct {
	Choice       choice
	Period, Prev analytics.Period
	PrevOK       bool // the previous period is published too: change and earlier rank are shown
	Cfg          analytics.Config
	Cat          *analytics.Catalogue
	Labels       map[string]survey.Text // criterion key → the full question
	Groups       []*groupStat
	Staff        bool // counter- and staff-level figures are published
	Taken        time.Time
	Loc          *time.Location
	units        map[string]*unitStat
}

// groupStat is a public group and its public agencies, ranked first.
type groupStat struct {
	ID, Name   string
	Units      []*unitStat
	Of, PrevOf int // agencies ranked now and in the previous period
}

// unitStat is one public agency over the period.
type unitStat struct {
	Unit           survey.Unit
	Cur, Prev      analytics.Result
	Tally          *survey.Tally
	Rank, PrevRank int // 0: unranked (too few responses or none)
	Dossiers       analytics.TimelinessReport
	// Counters and Staff hold only the rows with at least the minimum n,
	// and only when staff-level publication is on.
	Counters, Staff []analytics.Row
}

// Shown reports whether the agency's index is published (n at least the
// minimum): otherwise it is "too few responses", never a number.
func (u *unitStat) Shown(minN int) bool {
	return u.Cur.Index.OK && !analytics.TooFew(u.Cur.Index.N, minN)
}

// PrevShown reports whether the previous index may be used (for the change).
func (u *unitStat) PrevShown(minN int) bool {
	return u.Prev.Index.OK && !analytics.TooFew(u.Prev.Index.N, minN)
}

// unit returns the public agency id, or nil.
func (s *snapshot) unit(id string) *unitStat { return s.units[id] }

// build computes the snapshot of c for settings st. Ranks are among the
// published agencies of each group (a withheld agency takes no place).
func build(db *survey.DB, st Settings, c choice, p analytics.Period) (*snapshot, error) {
	e := analytics.NewEngine(db, "")
	e.Cfg = st.Config
	s := &snapshot{Choice: c, Period: p, Cfg: st.Config, Cat: e.Cat, Labels: questions(db), Staff: st.Staff,
		Taken: db.Now(), Loc: db.Loc(), units: map[string]*unitStat{}}
	s.Prev, s.PrevOK = st.previous(p)
	for _, g := range db.Groups() {
		if !st.GroupPublic(g.ID) {
			continue
		}
		gs := &groupStat{ID: g.ID, Name: g.Name}
		for _, u := range db.Units() {
			if u.Group != g.ID || !st.UnitPublic(&u) {
				continue
			}
			us, err := s.agency(e, u)
			if err != nil {
				return nil, err
			}
			gs.Units = append(gs.Units, us)
			s.units[u.ID] = us
		}
		if len(gs.Units) == 0 {
			continue
		}
		s.rank(gs)
		s.Groups = append(s.Groups, gs)
	}
	// Larger groups first (khối Sở before khối bệnh viện), then by name.
	sort.SliceStable(s.Groups, func(i, j int) bool {
		a, b := s.Groups[i], s.Groups[j]
		if len(a.Units) != len(b.Units) {
			return len(a.Units) > len(b.Units)
		}
		return a.Name < b.Name
	})
	return s, nil
}

// agency computes one agency's index, previous index, dossiers and (when
// published) its counters and staff.
func (s *snapshot) agency(e *analytics.Engine, u survey.Unit) (*unitStat, error) {
	us := &unitStat{Unit: u}
	f := analytics.Filter{Unit: u.ID} // flagged responses (misuse, unverified) excluded: the default
	e.Expand(&f)
	var err error
	if us.Cur, us.Tally, err = e.Index(&f, s.Period); err != nil {
		return nil, err
	}
	if s.PrevOK {
		if us.Prev, _, err = e.Index(&f, s.Prev); err != nil {
			return nil, err
		}
	}
	if us.Dossiers, err = e.Timeliness(analytics.Filter{Unit: u.ID}, s.Period); err != nil {
		return nil, err
	}
	if !s.Staff {
		return us, nil
	}
	if us.Counters, err = s.rows(e, u.ID, "counter"); err != nil {
		return nil, err
	}
	us.Staff, err = s.rows(e, u.ID, "staff")
	return us, err
}

// rows is a breakdown by counter or staff, keeping the rows with enough
// responses only.
func (s *snapshot) rows(e *analytics.Engine, unit, by string) ([]analytics.Row, error) {
	all, err := e.Breakdown(analytics.Filter{Unit: unit}, s.Period, by)
	if err != nil {
		return nil, err
	}
	var out []analytics.Row
	for _, r := range all {
		if r.Index.OK && !analytics.TooFew(r.Index.N, s.Cfg.MinN) {
			out = append(out, r)
		}
	}
	return out, nil
}

// rank ranks a group's agencies now and before (analytics.Rank: too few
// responses are unranked) and orders them: ranked first by rank, then the
// others by name.
func (s *snapshot) rank(g *groupStat) {
	var cur, prev []analytics.Rankable
	for _, u := range g.Units {
		cur = append(cur, analytics.Rankable{ID: u.Unit.ID, Value: u.Cur.Index.Value, OK: u.Cur.Index.OK, N: u.Cur.Index.N})
		prev = append(prev, analytics.Rankable{ID: u.Unit.ID, Value: u.Prev.Index.Value, OK: u.Prev.Index.OK, N: u.Prev.Index.N})
	}
	pos, of := analytics.Rank(cur, s.Cfg.MinN)
	g.Of = of
	var ppos map[string]int
	if s.PrevOK {
		ppos, g.PrevOf = analytics.Rank(prev, s.Cfg.MinN)
	}
	for _, u := range g.Units {
		u.Rank, u.PrevRank = pos[u.Unit.ID], ppos[u.Unit.ID]
	}
	sort.SliceStable(g.Units, func(i, j int) bool {
		a, b := g.Units[i], g.Units[j]
		if (a.Rank > 0) != (b.Rank > 0) {
			return a.Rank > 0
		}
		if a.Rank != b.Rank {
			return a.Rank < b.Rank
		}
		return a.Unit.Name < b.Unit.Name
	})
}

// questions maps every criterion key to its full question, from the
// newest version of each survey, so that two criteria with the same short
// label can be told apart.
func questions(db *survey.DB) map[string]survey.Text {
	out := map[string]survey.Text{}
	for _, k := range db.SurveyKeys() {
		if sv := db.Survey(k, 0); sv != nil {
			for _, c := range sv.Criteria {
				if _, ok := out[c.Key]; !ok {
					out[c.Key] = c.Label
				}
			}
		}
	}
	return out
}
