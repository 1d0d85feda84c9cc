package publish

import (
	"time"

	"hailong/analytics/engine"
	"hailong/survey"
)

// The open data (docs/OPEN_DATA.md): the published aggregates of one
// period with additive counts (n and the satisfied answers of every
// criterion, the histogram of levels, the dossier counts), so that a
// national roll-up can sum them. A figure under the minimum n is null with
// a reason. SchemaVersion changes only when a field changes meaning or goes
// away; TestDataJSONSchema pins the field names and types.

// SchemaVersion is the open data's schema version.
const SchemaVersion = 1

// Licence of the open data.
const (
	Licence    = "CC BY 4.0"
	LicenceURL = "https://creativecommons.org/licenses/by/4.0/"
)

// Reasons a figure is withheld.
const (
	ReasonTooFew      = "too_few_responses"
	ReasonNone        = "no_responses"
	ReasonTooFewFiles = "too_few_dossiers"
	ReasonNoFiles     = "no_dossiers"
	// ReasonProtects: enough n, but withheld because with it a withheld
	// figure could be computed (the year minus the other quarters…).
	ReasonProtects = "protects_small_figure"
)

type dataJSON struct {
	SchemaVersion  int         `json:"schema_version"`
	Licence        string      `json:"licence"`
	LicenceURL     string      `json:"licence_url"`
	Publisher      string      `json:"publisher"`
	GeneratedAt    string      `json:"generated_at"`
	Period         periodJSON  `json:"period"`
	PreviousPeriod *periodJSON `json:"previous_period"`
	Method         string      `json:"method"`
	MinN           int         `json:"min_n"`
	Excluded       []string    `json:"excluded_flags"`
	Groups         []groupJSON `json:"groups"`
}

type periodJSON struct {
	Key  string `json:"key,omitempty"`
	From string `json:"from"`
	To   string `json:"to"`
}

type groupJSON struct {
	ID     string     `json:"id"`
	Name   string     `json:"name"`
	Ranked int        `json:"ranked"`
	Units  []unitJSON `json:"units"`
}

type unitJSON struct {
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Reason    *string         `json:"reason"`
	Responses *uint64         `json:"responses"`
	Index     *float64        `json:"index"`
	CILow     *float64        `json:"ci_low"`
	CIHigh    *float64        `json:"ci_high"`
	Rank      *int            `json:"rank"`
	Previous  *previousJSON   `json:"previous"`
	DeltaPP   *float64        `json:"delta_pp"`
	Elements  []elementJSON   `json:"elements"`
	Criteria  []criterionJSON `json:"criteria"`
	Dossiers  dossiersJSON    `json:"dossiers"`
	Sat766    sat766Data      `json:"satisfaction_766"`
	Counters  []memberJSON    `json:"counters"`
	Staff     []memberJSON    `json:"staff"`
	Excluded  excludedJSON    `json:"excluded"`
}

// excludedJSON says how many responses with an answer the agency's figures
// leave out, and why (docs/OPEN_DATA.md "Exclusions"): published for every
// public agency, its index shown or not — they describe what was counted,
// not what anyone answered.
type excludedJSON struct {
	Misuse       uint64 `json:"misuse"`       // the kiosk rule: an answer right after the previous one
	Unverified   uint64 `json:"unverified"`   // open posters, not verified
	Reclassified uint64 `json:"reclassified"` // excluded by an administrator's flag change, with a reason in the log
	Total        uint64 `json:"total"`
	Reinstated   uint64 `json:"reinstated"` // counted, after an administrator cleared their flags
}

func excludedData(t *survey.Tally) excludedJSON {
	if t == nil {
		return excludedJSON{}
	}
	x := t.Excluded
	return excludedJSON{Misuse: x.Misuse, Unverified: x.Unverified, Reclassified: x.Reclassified, Total: x.Total(), Reinstated: x.Reinstated}
}

type previousJSON struct {
	Reason *string  `json:"reason"`
	Index  *float64 `json:"index"`
	Rank   *int     `json:"rank"`
	Ranked int      `json:"ranked"`
}

type elementJSON struct {
	Key     string   `json:"key"`
	LabelVi string   `json:"label_vi"`
	LabelEn string   `json:"label_en"`
	Reason  *string  `json:"reason"`
	N       *uint64  `json:"n"`
	Value   *float64 `json:"value"`
}

type criterionJSON struct {
	Key           string   `json:"key"`
	Element       string   `json:"element"`
	LabelVi       string   `json:"label_vi"`
	LabelEn       string   `json:"label_en"`
	Scale         int      `json:"scale"`
	Reason        *string  `json:"reason"`
	N             *uint64  `json:"n"`
	Satisfied     *uint64  `json:"satisfied"`
	Levels        []uint64 `json:"levels"`
	NotApplicable *uint64  `json:"not_applicable"`
	Value         *float64 `json:"value"`
	CILow         *float64 `json:"ci_low"`
	CIHigh        *float64 `json:"ci_high"`
}

type dossiersJSON struct {
	Reason            *string  `json:"reason"`
	Denominator       string   `json:"denominator"`
	Received          *int     `json:"received"`
	Finished          *int     `json:"finished"`
	Early             *int     `json:"early"`
	OnTime            *int     `json:"on_time"`
	Late              *int     `json:"late"`
	InProgress        *int     `json:"in_progress"`
	InProgressOverdue *int     `json:"in_progress_overdue"`
	EarlyPct          *float64 `json:"early_pct"`
	OnTimePct         *float64 `json:"on_time_pct"`
	LatePct           *float64 `json:"late_pct"`
	InProgressPct     *float64 `json:"in_progress_pct"`
	Rate766           *float64 `json:"rate_766"`
}

type memberJSON struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Responses uint64  `json:"responses"`
	Index     float64 `json:"index"`
}

func ptr[T any](v T) *T { return &v }

func round(x float64) *float64 { return ptr(engine.Round2(x)) }

// reasonOf is nil for a published figure, else why it is withheld; held:
// withheld to protect a small one (suppress.go).
func reasonOf(x engine.Figure, minN int, held bool) *string {
	switch {
	case !x.OK || x.N == 0:
		return ptr(ReasonNone)
	case engine.TooFew(x.N, minN):
		return ptr(ReasonTooFew)
	case held:
		return ptr(ReasonProtects)
	}
	return nil
}

// buildData lays the snapshot out as the open data.
func buildData(s *snapshot, publisher string) *dataJSON {
	minN := s.Cfg.MinN
	out := &dataJSON{SchemaVersion: SchemaVersion, Licence: Licence, LicenceURL: LicenceURL, Publisher: publisher,
		GeneratedAt: s.Taken.In(s.Loc).Format(time.RFC3339), Method: string(s.Cfg.Method), MinN: minN,
		Excluded: []string{"misuse", "unverified"}, Groups: []groupJSON{},
		Period: periodJSON{Key: s.Choice.Key, From: s.Period.FromDate(), To: s.Period.ToDate()}}
	if s.PrevOK {
		out.PreviousPeriod = &periodJSON{From: s.Prev.FromDate(), To: s.Prev.ToDate()}
	}
	for _, g := range s.Groups {
		gj := groupJSON{ID: g.ID, Name: g.Name, Ranked: g.Of, Units: []unitJSON{}}
		for _, u := range g.Units {
			gj.Units = append(gj.Units, unitData(s, g, u))
		}
		out.Groups = append(out.Groups, gj)
	}
	return out
}

func unitData(s *snapshot, g *groupStat, u *unitStat) unitJSON {
	minN := s.Cfg.MinN
	x := u.Cur.Index
	uj := unitJSON{ID: u.Unit.ID, Name: u.Unit.Name, Reason: reasonOf(x, minN, u.Held.Index), Elements: []elementJSON{},
		Criteria: []criterionJSON{}, Dossiers: dossiersData(u.Dossiers, minN, u.Held.Dossiers), Sat766: sat766Of(u, minN), Counters: []memberJSON{}, Staff: []memberJSON{},
		Excluded: excludedData(u.Tally)}
	if uj.Reason == nil {
		uj.Responses, uj.Index, uj.CILow, uj.CIHigh = ptr(x.N), round(x.Value), round(x.Lo), round(x.Hi)
		if u.Rank > 0 {
			uj.Rank = ptr(u.Rank)
		}
		if s.PrevOK && u.PrevShown(minN) {
			uj.DeltaPP = ptr(engine.DeltaPP(x.Value, u.Prev.Index.Value))
		}
	}
	if s.PrevOK {
		p := &previousJSON{Reason: reasonOf(u.Prev.Index, minN, u.PrevHeld), Ranked: g.PrevOf}
		if p.Reason == nil {
			p.Index = round(u.Prev.Index.Value)
			if u.PrevRank > 0 {
				p.Rank = ptr(u.PrevRank)
			}
		}
		uj.Previous = p
	}
	for _, e := range u.Cur.Elements {
		label := s.Cat.Element(e.Key)
		ej := elementJSON{Key: e.Key, LabelVi: label.Vi, LabelEn: label.En, Reason: reasonOf(e.Figure, minN, u.Held.Elements[e.Key])}
		if ej.Reason == nil {
			ej.N, ej.Value = ptr(e.N), round(e.Value)
		}
		uj.Elements = append(uj.Elements, ej)
	}
	for _, c := range u.Cur.Criteria {
		uj.Criteria = append(uj.Criteria, criterionData(s, u.Tally, c, u.Held.Criteria[c.Key]))
	}
	for _, r := range u.Counters {
		uj.Counters = append(uj.Counters, memberJSON{r.Key, r.Name, r.Index.N, engine.Round2(r.Index.Value)})
	}
	for _, r := range u.Staff {
		uj.Staff = append(uj.Staff, memberJSON{r.Key, r.Name, r.Index.N, engine.Round2(r.Index.Value)})
	}
	return uj
}

// criterionData gives a criterion's raw counts (numerator, denominator and
// histogram) beside its value, or nulls when its n is under the minimum.
func criterionData(s *snapshot, t *survey.Tally, c engine.CriterionFigure, held bool) criterionJSON {
	label := s.Cat.Criterion(c.Key).Label
	cj := criterionJSON{Key: c.Key, Element: c.Element, LabelVi: label.Vi, LabelEn: label.En, Scale: c.Scale,
		Reason: reasonOf(c.Figure, s.Cfg.MinN, held)}
	h := t.Criteria[c.Key]
	if cj.Reason != nil || h == nil {
		return cj
	}
	cj.N, cj.Satisfied, cj.NotApplicable = ptr(engine.Valid(*h)), ptr(engine.Positives(*h)), ptr(h.N[0])
	cj.Levels = make([]uint64, 0, h.Scale)
	for lvl := 1; lvl <= h.Scale && lvl <= 5; lvl++ {
		cj.Levels = append(cj.Levels, h.N[lvl])
	}
	cj.Value, cj.CILow, cj.CIHigh = round(c.Value), round(c.Lo), round(c.Hi)
	return cj
}

// dossiersData gives the dossier counts, or nulls with a reason when fewer
// than the minimum were received or they are withheld (held).
func dossiersData(t engine.TimelinessReport, minN int, held bool) dossiersJSON {
	d := dossiersJSON{Denominator: t.Denominator}
	if d.Denominator == "" {
		d.Denominator = engine.DenominatorReceived
	}
	switch {
	case t.Received == 0:
		d.Reason = ptr(ReasonNoFiles)
		return d
	case engine.TooFew(uint64(t.Received), minN):
		d.Reason = ptr(ReasonTooFewFiles)
		return d
	case held:
		d.Reason = ptr(ReasonProtects)
		return d
	}
	d.Received, d.Finished, d.Early, d.OnTime = ptr(t.Received), ptr(t.Finished), ptr(t.Early), ptr(t.OnTime)
	d.Late, d.InProgress, d.InProgressOverdue = ptr(t.Late), ptr(t.InProgress), ptr(t.InProgressOverdue)
	d.EarlyPct, d.OnTimePct, d.LatePct = round(t.EarlyPct), round(t.OnTimePct), round(t.LatePct)
	d.InProgressPct, d.Rate766 = round(t.InProgressPct), round(t.Rate766)
	return d
}
