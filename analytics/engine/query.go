package engine

import (
	"fmt"
	"sort"
	"strings"

	"hailong/survey"
)

// Queries read the store's pre-aggregated counts (CountService.Count and
// DossierService.CountDossiers), never a scan of raw responses; the only exception is
// TT 01 scoring (tt01_query.go), whose facts are not counted.

// Filter selects the responses of a query.
type Filter struct {
	Unit      string   // the unit whose subtree is covered ("" = see Group, else everything)
	Group     string   // the units of a group, each with its subtree
	Units     []string // the units summed, expanded from Unit or Group by the Engine
	Counter   string   // at most one of Counter, Staff, Procedure
	Staff     string   //
	Procedure string   //
	Channel   survey.Channel
	Survey    string // "" = every survey, criteria joined by key
	// Responses flagged misuse or unverified are excluded unless included.
	IncludeMisuse, IncludeUnverified bool
}

// dim returns the count dimension and member a filter reads.
func (f *Filter) dim() (survey.Dim, string) {
	switch {
	case f.Counter != "":
		return survey.DimCounter, f.Counter
	case f.Staff != "":
		return survey.DimStaff, f.Staff
	case f.Procedure != "":
		return survey.DimProcedure, f.Procedure
	}
	return survey.DimBase, ""
}

// Engine answers queries over one store with one configuration.
type Engine struct {
	Cfg Config
	Cat *Catalogue
	src Source
	org *Org
}

// New returns an engine computing by cfg (the caller reads the settings)
// with the survey catalogue of surveyKey ("" = every survey) and a snapshot
// of the unit tree.
func New(src Source, cfg Config, surveyKey string) *Engine {
	return &Engine{Cfg: cfg, Cat: NewCatalogue(src.Surveys, surveyKey), src: src, org: NewOrg(src.Org)}
}

// Org is the snapshot of the unit tree the engine expands filters with.
func (e *Engine) Org() *Org { return e.org }

// Expand fills f.Units from f.Unit or f.Group (everything when neither).
func (e *Engine) Expand(f *Filter) {
	switch {
	case f.Unit != "":
		f.Units = e.org.Subtree(f.Unit)
	case f.Group != "":
		f.Units = e.org.union(e.org.Members(f.Group))
	default:
		f.Units = e.org.All()
	}
}

// UnitSet is the set of f's units (nil for every unit).
func (e *Engine) UnitSet(f Filter) map[string]bool {
	if f.Unit == "" && f.Group == "" {
		return nil
	}
	e.Expand(&f)
	out := make(map[string]bool, len(f.Units))
	for _, u := range f.Units {
		out[u] = true
	}
	return out
}

func (e *Engine) query(f *Filter, dim survey.Dim, p Period) survey.CountQuery {
	loc := e.src.Clock.Loc()
	return survey.CountQuery{Dim: dim, Units: f.Units, From: p.Start(loc), To: survey.DayStart(p.To, loc),
		Survey: f.Survey, Channel: f.Channel, IncludeMisuse: f.IncludeMisuse, IncludeUnverified: f.IncludeUnverified}
}

// Tally returns the counts of f over p (an empty tally when none).
func (e *Engine) Tally(f *Filter, p Period) (*survey.Tally, error) {
	ts, err := e.tallies([]ask{{f, p}})
	if err != nil {
		return nil, err
	}
	return ts[0], nil
}

// ask is one figure to compute: a filter over a period.
type ask struct {
	f *Filter
	p Period
}

// tallies returns the counts of several asks, read together (one
// CountMany: one round trip on PostgreSQL, however many periods and peers).
func (e *Engine) tallies(asks []ask) ([]*survey.Tally, error) {
	qs := make([]survey.CountQuery, len(asks))
	for i, a := range asks {
		dim, _ := a.f.dim()
		qs[i] = e.query(a.f, dim, a.p)
	}
	counts, err := e.src.Counts.CountMany(qs)
	if err != nil {
		return nil, err
	}
	out := make([]*survey.Tally, len(asks))
	for i, a := range asks {
		_, member := a.f.dim()
		if out[i] = counts[i][member]; out[i] == nil {
			out[i] = &survey.Tally{Criteria: map[string]*survey.Hist{}}
		}
	}
	return out, nil
}

// Index computes the indices of f over p by the configured method.
func (e *Engine) Index(f *Filter, p Period) (Result, *survey.Tally, error) {
	rs, ts, err := e.indices([]ask{{f, p}})
	if err != nil {
		return Result{}, nil, err
	}
	return rs[0], ts[0], nil
}

// indices computes the indices of several asks from one read of counts.
func (e *Engine) indices(asks []ask) ([]Result, []*survey.Tally, error) {
	ts, err := e.tallies(asks)
	if err != nil {
		return nil, nil, err
	}
	rs := make([]Result, len(ts))
	for i, t := range ts {
		rs[i] = Compute(t, e.Cat, e.Cfg.Method)
	}
	return rs, ts, nil
}

// RankInfo is a unit's position in its group for a period and the one before.
type RankInfo struct {
	Unit             string // the ranked unit: the queried unit or its nearest ancestor with a group
	Group            string
	Position         int // 0: unranked (too few responses, or no data)
	Of               int // units ranked
	Members          int // units in the group
	PreviousPosition int
	PreviousOf       int
}

// Summary is the answer of the summary route.
type Summary struct {
	Period, PreviousPeriod Period
	Current, Previous      Result
	Tally                  *survey.Tally
	Rank                   *RankInfo
}

// Summary computes the indices of f over p and over the period before, and
// the rank of f.Unit within its group (nil for the whole installation, a
// group, or a counter, staff or procedure filter).
//
// Its figures are read together: f over both periods and, for the rank,
// every other member of the group over both (one CountMany).
func (e *Engine) Summary(f Filter, p Period) (*Summary, error) {
	e.Expand(&f)
	s := &Summary{Period: p, PreviousPeriod: p.Previous()}
	asks := []ask{{&f, p}, {&f, s.PreviousPeriod}}
	var agency, group string
	if dim, _ := f.dim(); f.Unit != "" && dim == survey.DimBase {
		agency, group = e.org.GroupOf(f.Unit)
	}
	var members []string
	var at []int // members[i]'s results: rs[at[i]] over p, rs[at[i]+1] before
	if group != "" {
		members = e.org.Members(group)
		for _, m := range members {
			if m == f.Unit { // the agency itself: asked already
				at = append(at, 0)
				continue
			}
			g := f
			g.Unit, g.Units = m, e.org.Subtree(m)
			at = append(at, len(asks))
			asks = append(asks, ask{&g, p}, ask{&g, s.PreviousPeriod})
		}
	}
	rs, ts, err := e.indices(asks)
	if err != nil {
		return nil, err
	}
	s.Current, s.Tally, s.Previous = rs[0], ts[0], rs[1]
	if group != "" {
		s.Rank = e.rank(agency, group, members, at, rs)
	}
	return s, nil
}

// rank ranks the members of group from their results over the period and
// the one before (members[i]: rs[at[i]], rs[at[i]+1]).
func (e *Engine) rank(agency, group string, members []string, at []int, rs []Result) *RankInfo {
	var cur, before []Rankable
	for i, m := range members {
		rc, rp := rs[at[i]], rs[at[i]+1]
		cur = append(cur, Rankable{ID: m, Value: rc.Index.Value, OK: rc.Index.OK, N: rc.Index.N})
		before = append(before, Rankable{ID: m, Value: rp.Index.Value, OK: rp.Index.OK, N: rp.Index.N})
	}
	pos, of := Rank(cur, e.Cfg.MinN)
	ppos, pof := Rank(before, e.Cfg.MinN)
	return &RankInfo{Unit: agency, Group: group, Position: pos[agency], Of: of, Members: len(members),
		PreviousPosition: ppos[agency], PreviousOf: pof}
}

// TrendPoint is one month of a trend: the index of the month (clipped to
// the period) and of the same days a year before.
type TrendPoint struct {
	Month          string // YYYY-MM
	Period, Before Period
	Current, Prior Figure
}

// Trend computes the monthly index over p against the same months a year
// before.
func (e *Engine) Trend(f Filter, p Period) ([]TrendPoint, error) {
	return e.trend(f, p, func(r *Result) Figure { return r.Index })
}

// trend computes figure of each month of p and of the same days a year
// before.
func (e *Engine) trend(f Filter, p Period, figure func(*Result) Figure) ([]TrendPoint, error) {
	e.Expand(&f)
	var out []TrendPoint
	var asks []ask
	for _, m := range p.Months() {
		tp := TrendPoint{Month: Civil(m.From).Format("2006-01"), Period: m, Before: m.YearBefore()}
		out = append(out, tp)
		asks = append(asks, ask{&f, m}, ask{&f, tp.Before})
	}
	rs, _, err := e.indices(asks)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Current, out[i].Prior = figure(&rs[2*i]), figure(&rs[2*i+1])
	}
	return out, nil
}

// Row is one line of a breakdown: a unit, counter, staff member, procedure
// or channel with its index, volume and weakest criterion.
type Row struct {
	Key, Name string
	Index     Figure
	Responses uint64 // with at least one valid answer (= Index.N)
	Empty     uint64
	Weakest   *CriterionFigure
}

// Breakdown dimensions.
var breakdownBy = map[string]survey.Dim{"unit": survey.DimBase, "channel": survey.DimBase,
	"counter": survey.DimCounter, "staff": survey.DimStaff, "procedure": survey.DimProcedure}

// ValidBreakdown reports whether by names a breakdown.
func ValidBreakdown(by string) bool { _, ok := breakdownBy[by]; return ok }

// Breakdown computes the index per child unit of f.Unit (by "unit"; the
// top-level units without one), per counter, staff member or procedure of
// f's units, or per channel, best first (rows without data last).
func (e *Engine) Breakdown(f Filter, p Period, by string) ([]Row, error) {
	e.Expand(&f)
	var rows []Row
	switch by {
	case "unit":
		children := e.org.Children(f.Unit)
		if f.Unit == "" && f.Group != "" {
			children = e.org.Members(f.Group)
		}
		asks := make([]ask, len(children))
		for i, child := range children {
			g := f
			g.Unit, g.Units = child, e.org.Subtree(child)
			asks[i] = ask{&g, p}
		}
		rs, ts, err := e.indices(asks)
		if err != nil {
			return nil, err
		}
		for i, child := range children {
			rows = append(rows, e.row(child, e.org.Name(child), rs[i], ts[i]))
		}
	case "channel":
		var asks []ask
		for ch := survey.ChannelKiosk; ch <= survey.ChannelPaper; ch++ {
			if f.Channel != 0 && f.Channel != ch {
				continue
			}
			g := f
			g.Channel = ch
			asks = append(asks, ask{&g, p})
		}
		rs, ts, err := e.indices(asks)
		if err != nil {
			return nil, err
		}
		for i, a := range asks {
			rows = append(rows, e.row(a.f.Channel.String(), a.f.Channel.String(), rs[i], ts[i]))
		}
	default:
		dim := breakdownBy[by]
		if d, _ := f.dim(); d != survey.DimBase {
			return nil, survey.FieldError("by", "Không thể chia theo %s khi đã lọc theo quầy, công chức hoặc thủ tục. / Cannot break down by %s with a counter, staff or procedure filter.", by, by)
		}
		counts, err := e.src.Counts.Count(e.query(&f, dim, p))
		if err != nil {
			return nil, err
		}
		for key, t := range counts {
			rows = append(rows, e.row(key, e.MemberName(dim, key), Compute(t, e.Cat, e.Cfg.Method), t))
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i].Index, rows[j].Index
		if a.OK != b.OK {
			return a.OK
		}
		if a.OK && a.Value != b.Value {
			return a.Value > b.Value
		}
		return rows[i].Key < rows[j].Key
	})
	return rows, nil
}

func (e *Engine) row(key, name string, r Result, t *survey.Tally) Row {
	row := Row{Key: key, Name: name, Index: r.Index, Responses: t.Responses, Empty: t.Empty}
	if w, ok := r.Weakest(e.Cfg.MinN); ok {
		row.Weakest = &w
	}
	return row
}

// MemberName is the name of a counter, staff member or procedure (its key
// when it has none).
func (e *Engine) MemberName(dim survey.Dim, key string) string {
	switch dim {
	case survey.DimCounter:
		if c := e.src.Counters.Counter(key); c != nil {
			return c.Name
		}
	case survey.DimStaff:
		if s := e.src.Staff.StaffMember(key); s != nil {
			return s.Name
		}
	case survey.DimProcedure:
		if n := e.src.Procedures.ProcedureName(key); n != "" {
			return n
		}
	}
	return key
}

// HeatCell is one hour of one weekday (0 = Sunday) in local time.
type HeatCell struct {
	Weekday, Hour int
	Index         Figure
	Volume        uint64 // every response, with or without a valid answer
}

// Heatmap computes the index and volume per weekday × hour from the
// hour-of-week counts, for the cells that have responses.
func (e *Engine) Heatmap(f Filter, p Period) ([]HeatCell, error) {
	e.Expand(&f)
	if d, _ := f.dim(); d != survey.DimBase {
		return nil, survey.FieldError("counter", "Bản đồ nhiệt không lọc theo quầy, công chức hoặc thủ tục. / The heat map takes no counter, staff or procedure filter.")
	}
	counts, err := e.src.Counts.Count(e.query(&f, survey.DimHour, p))
	if err != nil {
		return nil, err
	}
	var out []HeatCell
	for key, t := range counts {
		var c HeatCell
		if _, err := fmt.Sscanf(key, "%d-%d", &c.Weekday, &c.Hour); err != nil {
			return nil, fmt.Errorf("hour cell %q: %w", key, err)
		}
		c.Index = Compute(t, e.Cat, e.Cfg.Method).Index
		c.Volume = t.Responses + t.Empty
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Weekday != out[j].Weekday {
			return out[i].Weekday < out[j].Weekday
		}
		return out[i].Hour < out[j].Hour
	})
	return out, nil
}

// PainPoints lists the criteria of f over p, the most negative first, with
// their top reasons (reasons are counted only without a counter, staff or
// procedure filter).
func (e *Engine) PainPoints(f Filter, p Period, top int) ([]PainPoint, *survey.Tally, error) {
	e.Expand(&f)
	t, err := e.Tally(&f, p)
	if err != nil {
		return nil, nil, err
	}
	return PainPoints(t, e.Cat, top), t, nil
}

// Timeliness counts the dossiers of f's units received in p, as of now.
func (e *Engine) Timeliness(f Filter, p Period) (TimelinessReport, error) {
	e.Expand(&f)
	loc := e.src.Clock.Loc()
	t, err := e.src.Dossiers.CountDossiers(f.Units, p.Start(loc), survey.DayStart(p.To, loc))
	return Timeliness(t), err
}

// GroupName returns a group's display name.
func (e *Engine) GroupName(id string) string {
	for _, g := range e.src.Org.Groups() {
		if g.ID == id {
			return g.Name
		}
	}
	return strings.TrimSpace(id)
}
