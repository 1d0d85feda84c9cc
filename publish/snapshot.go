package publish

import (
	"sort"
	"time"

	"hailong/analytics/engine"
	"hailong/survey"
)

// A snapshot is everything published for one period under one set of
// settings, computed from the store's counts by the analytics engine (no
// index math here) and cached: the page, the widget, the badge and the open
// data of that period are all rendered from it.
type snapshot struct {
	Choice       choice
	Period, Prev engine.Period
	PrevOK       bool // the previous period is published too: change and earlier rank are shown
	Cfg          engine.Config
	Cat          *engine.Catalogue
	Labels       map[string]survey.Text // criterion key → the full question
	Groups       []*groupStat
	Staff        bool // counter- and staff-level figures are published
	Taken        time.Time
	Loc          *time.Location
	units        map[string]*unitStat
}

// families gives the (cached) family of a year.
type families func(year int) (*family, error)

// groupStat is a public group and its public agencies, ranked first.
type groupStat struct {
	ID, Name   string
	Units      []*unitStat
	Of, PrevOf int // agencies ranked now and in the previous period
}

// unitStat is one public agency over the period.
type unitStat struct {
	Unit           survey.Unit
	Cur, Prev      engine.Result
	Tally          *survey.Tally
	Rank, PrevRank int // 0: unranked (too few responses or none)
	Dossiers       engine.TimelinessReport
	Sat            engine.Sat766
	// Counters and Staff hold only the rows with at least the minimum n
	// and not withheld, and only when staff-level publication is on.
	Counters, Staff []engine.Row
	Held            held // what is withheld (family.go)
	PrevHeld        bool // the previous index is withheld in its own period
}

// Shown reports whether the agency's index is published (n at least the
// minimum, not withheld to protect a small figure).
func (u *unitStat) Shown(minN int) bool {
	return u.Cur.Index.OK && !engine.TooFew(u.Cur.Index.N, minN) && !u.Held.Index
}

// PrevShown reports whether the previous index may be used (for the change):
// it is published on the previous period's own page.
func (u *unitStat) PrevShown(minN int) bool {
	return u.Prev.Index.OK && !engine.TooFew(u.Prev.Index.N, minN) && !u.PrevHeld
}

// unit returns the public agency id, or nil.
func (s *snapshot) unit(id string) *unitStat { return s.units[id] }

// build lays out the snapshot of c for settings st from the families of
// c's year and of the previous period's. Ranks are among the published
// agencies of each group (a withheld agency takes no place).
func build(db *survey.Services, st Settings, c choice, p engine.Period, fams families) (*snapshot, error) {
	s := &snapshot{Choice: c, Period: p, Cfg: st.Config, Labels: questions(db.Surveys), Staff: st.Staff,
		Taken: db.Clock.Now(), Loc: db.Clock.Loc(), units: map[string]*unitStat{}}
	s.Prev, s.PrevOK = st.previous(p)
	cur, err := fams(c.Year)
	if err != nil {
		return nil, err
	}
	s.Cat = cur.Cat
	now, prev := cur.Periods[c.Key], &famPeriod{}
	if now == nil {
		return nil, errNoData
	}
	if s.PrevOK {
		pc := previousChoice(c)
		pf, err := fams(pc.Year)
		if err != nil {
			return nil, err
		}
		if pf.Periods[pc.Key] != nil {
			prev = pf.Periods[pc.Key]
		}
	}
	for _, g := range db.Org.Groups() {
		if !st.GroupPublic(g.ID) {
			continue
		}
		gs := &groupStat{ID: g.ID, Name: g.Name}
		for _, u := range db.Org.Units() {
			if u.Group != g.ID || !st.UnitPublic(&u) {
				continue
			}
			uf := now.Units[u.ID]
			if uf == nil {
				continue // made public after the family was computed: visible within a minute
			}
			us := s.agency(u, uf, prev.Units[u.ID])
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

// agency is one agency's figures over the period (uf) and the previous
// one (prev: nil when it has none), with its counters and staff as shown.
func (s *snapshot) agency(u survey.Unit, uf, prev *unitFigs) *unitStat {
	us := &unitStat{Unit: u, Cur: uf.Cur, Tally: uf.Tally, Dossiers: uf.Dossiers, Sat: uf.Sat, Held: uf.Held}
	if prev != nil {
		us.Prev, us.PrevHeld = prev.Cur, prev.Held.Index
	}
	us.Counters = s.rows(uf.Counters, uf.Held.Counters)
	us.Staff = s.rows(uf.Staff, uf.Held.Staff)
	return us
}

// rows keeps the counter or staff rows with enough responses and not
// withheld.
func (s *snapshot) rows(all []engine.Row, held map[string]bool) []engine.Row {
	var out []engine.Row
	for _, r := range all {
		if r.Key != "" && r.Index.OK && !engine.TooFew(r.Index.N, s.Cfg.MinN) && !held[r.Key] {
			out = append(out, r)
		}
	}
	return out
}

// rank ranks a group's agencies now and before (engine.Rank: too few
// responses are unranked) and orders them: ranked first by rank, then the
// others by name.
func (s *snapshot) rank(g *groupStat) {
	var cur, prev []engine.Rankable
	for _, u := range g.Units {
		cur = append(cur, engine.Rankable{ID: u.Unit.ID, Value: u.Cur.Index.Value, OK: u.Cur.Index.OK && !u.Held.Index, N: u.Cur.Index.N})
		prev = append(prev, engine.Rankable{ID: u.Unit.ID, Value: u.Prev.Index.Value, OK: u.Prev.Index.OK && !u.PrevHeld, N: u.Prev.Index.N})
	}
	pos, of := engine.Rank(cur, s.Cfg.MinN)
	g.Of = of
	var ppos map[string]int
	if s.PrevOK {
		ppos, g.PrevOf = engine.Rank(prev, s.Cfg.MinN)
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
func questions(db survey.SurveyService) map[string]survey.Text {
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
