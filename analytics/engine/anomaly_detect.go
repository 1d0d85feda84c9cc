package engine

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// The detectors: pure functions over ReviewData, each documented with its
// rule in docs/METHODOLOGY.md "Anomaly review".

// UnitDay is one unit on one day.
type UnitDay struct {
	Unit string
	Day  int32
}

// DayCount is what one unit-day holds: counted kiosk responses, dossiers
// received, the overall question (satisfied of valid answers, every
// channel) and the kiosk that rated most.
type DayCount struct {
	Kiosk, Dossiers int
	Overall         Proportion
	TopKiosk        string
	TopKioskN       int
}

// KioskDay is one kiosk of a unit on one day.
type KioskDay struct {
	Unit, Kiosk string
	Day         int32
}

// Outside counts a kiosk-day's answers outside opening hours.
type Outside struct {
	N             int
	First, Last   time.Time
	FirstKey, Key uint64
}

// Run is a run of identical answer patterns from one source (a kiosk, or
// a unit's channel when there is no kiosk), in time order.
type Run struct {
	Source, Unit, Kiosk, Channel string
	Len                          int
	Pattern                      string // the pattern's key (compared)
	Readable                     string // "overall=5 access=5 …"
	First, Last                  time.Time
	FirstKey                     uint64
}

// Patterns counts a source's answer patterns over the period.
type Patterns struct {
	Total int
	Count map[string]int
}

// Member is a kiosk or a staff member within the unit its responses name.
type Member struct {
	Unit, Kind, ID string // Kind: "kiosk" or "staff"
}

// ReviewData is what the detectors read: aggregates of one pass over the
// counted responses of the period (and, for the jump detector's baseline,
// of the weeks before it) and of the dossiers received.
type ReviewData struct {
	Period   Period
	Days     map[UnitDay]*DayCount
	Outside  map[KioskDay]*Outside
	Runs     []Run
	Patterns map[string]*Patterns // by Run.Source
	Members  map[Member]*Proportion
	Units    map[string]*Proportion // the overall question per unit, over the period
}

// NewReviewData returns empty aggregates for p.
func NewReviewData(p Period) *ReviewData {
	return &ReviewData{Period: p, Days: map[UnitDay]*DayCount{}, Outside: map[KioskDay]*Outside{},
		Patterns: map[string]*Patterns{}, Members: map[Member]*Proportion{}, Units: map[string]*Proportion{}}
}

// Detect runs every detector and returns the findings sorted: by kind,
// strongest first.
func Detect(d *ReviewData, hours OpeningHours, th Thresholds, minN int) []Finding {
	var out []Finding
	out = append(out, DetectRatio(d, th)...)
	out = append(out, DetectHours(d, th)...)
	out = append(out, DetectRuns(d, th)...)
	out = append(out, DetectOutliers(d, th, minN)...)
	out = append(out, DetectJumps(d, th, minN)...)
	sortFindings(out)
	return out
}

func (f *Finding) grade(threshold float64) {
	f.High = f.Strength >= 1.5*threshold
}

// DetectRatio finds unit-days whose kiosks rated more visitors than the
// desk received dossiers, beyond what the unit's usual ratio explains.
// Given the day's kiosk responses R and dossiers D, R ~ Binomial(R + D, p₀)
// with p₀ = R'/(R' + D') over the unit's other days of the period
// (+½ / +1, so that p₀ is never 0 or 1): a finding when R ≥ RatioFloor,
// R > D, and R lies Z standard errors above (R + D)·p₀. The expected range
// is the ratio p/(1 − p) at p₀ ± Z·se. Units that received fewer than
// RatioMinDossiers dossiers in the period are skipped (no usual ratio).
func DetectRatio(d *ReviewData, th Thresholds) []Finding {
	type tot struct{ r, d int }
	totals := map[string]*tot{}
	for ud, c := range d.Days {
		if ud.Day < d.Period.From || ud.Day > d.Period.To {
			continue
		}
		t := totals[ud.Unit]
		if t == nil {
			t = &tot{}
			totals[ud.Unit] = t
		}
		t.r, t.d = t.r+c.Kiosk, t.d+c.Dossiers
	}
	var out []Finding
	for ud, c := range d.Days {
		t := totals[ud.Unit]
		if t == nil || t.d < th.RatioMinDossiers || c.Kiosk < th.RatioFloor || c.Kiosk <= c.Dossiers ||
			ud.Day < d.Period.From || ud.Day > d.Period.To {
			continue
		}
		r0, d0 := float64(t.r-c.Kiosk), float64(t.d-c.Dossiers)
		p0 := (r0 + 0.5) / (r0 + d0 + 1)
		m := float64(c.Kiosk + c.Dossiers)
		se := math.Sqrt(p0 * (1 - p0) / m)
		z := (float64(c.Kiosk)/m - p0) / se
		if z < th.Z {
			continue
		}
		lo, hi := zRange(p0, se, th.Z)
		f := Finding{Kind: KindRatio, Unit: ud.Unit, Kiosk: c.TopKiosk, From: ud.Day, To: ud.Day,
			Figure: float64(c.Kiosk) / math.Max(1, float64(c.Dossiers)), Expected: p0 / (1 - p0),
			Lo: lo / (1 - lo), Hi: odds(hi), N: uint64(c.Kiosk), Base: uint64(c.Dossiers), Strength: z}
		f.grade(th.Z)
		out = append(out, f)
	}
	return out
}

// odds is p/(1 − p), capped for p = 1.
func odds(p float64) float64 {
	if p >= 1 {
		return math.MaxFloat32
	}
	return p / (1 - p)
}

// DetectHours finds kiosk-days with HoursMin or more counted answers outside
// the opening hours (expected: none; up to HoursMin − 1 are let pass).
func DetectHours(d *ReviewData, th Thresholds) []Finding {
	var out []Finding
	for kd, o := range d.Outside {
		if o.N < th.HoursMin || kd.Day < d.Period.From || kd.Day > d.Period.To {
			continue
		}
		f := Finding{Kind: KindHours, Unit: kd.Unit, Kiosk: kd.Kiosk, From: kd.Day, To: kd.Day,
			Figure: float64(o.N), Lo: 0, Hi: float64(th.HoursMin - 1), N: uint64(o.N),
			Strength: float64(o.N), FirstAt: o.First, LastAt: o.Last, FirstKey: o.FirstKey}
		f.grade(float64(th.HoursMin))
		out = append(out, f)
	}
	return out
}

// DetectRuns finds runs of RunMin or more identical answer patterns from
// one source whose chance is at most RunChance. With n the source's counted
// responses in the period and q the share of the pattern among its other
// responses ((c + 1)/(n − L + 1), so that a pattern seen nowhere else is
// not certain to be impossible), a run of L has about n·q^L chances of
// turning up by coincidence. The expected range is 1 to the longest run
// whose chance is at least 5 %.
func DetectRuns(d *ReviewData, th Thresholds) []Finding {
	var out []Finding
	for _, r := range d.Runs {
		ps := d.Patterns[r.Source]
		if r.Len < th.RunMin || ps == nil {
			continue
		}
		n := float64(ps.Total)
		q := float64(ps.Count[r.Pattern]-r.Len+1) / math.Max(1, n-float64(r.Len)+1)
		q = math.Min(q, 0.999)
		chance := n * math.Pow(q, float64(r.Len))
		if chance > th.RunChance {
			continue
		}
		longest := 1.0
		if q > 0 {
			longest = math.Max(1, math.Floor(math.Log(0.05/n)/math.Log(q)))
		}
		f := Finding{Kind: KindRun, Unit: r.Unit, Kiosk: r.Kiosk, Channel: r.Channel,
			From: r.dayOf(r.First), To: r.dayOf(r.Last), Figure: float64(r.Len), Lo: 1, Hi: longest,
			Expected: chance, N: uint64(r.Len), Base: uint64(ps.Total), Strength: -math.Log10(math.Max(chance, 1e-300)),
			FirstAt: r.First, LastAt: r.Last, Pattern: r.Readable, FirstKey: r.FirstKey, Keys: uint64(r.Len)}
		f.grade(-math.Log10(th.RunChance))
		out = append(out, f)
	}
	return out
}

// dayOf is the day of t in t's own zone (the scan gives times in the
// installation's zone).
func (r Run) dayOf(t time.Time) int32 {
	y, m, dd := t.Date()
	return int32(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// DetectOutliers finds kiosks and staff members whose share of satisfied
// answers to the overall question (4–5 of 5) is far from the rest of their
// unit's over the period: both with at least minN answers, the difference
// at least MinDelta points and Z standard errors
// (se = √(p₀(1 − p₀)(1/n + 1/n₀)), p₀ the rest's share), and their 95 %
// Wilson intervals apart. The expected range is p₀ ± Z·se. Kiosks and staff
// are tested apart, one unit at a time, strongest first: a member found is
// left out of the rest its colleagues are compared with, so that one kiosk
// far below does not make the others look far above.
func DetectOutliers(d *ReviewData, th Thresholds, minN int) []Finding {
	type group struct{ unit, kind string }
	groups := map[group][]Member{}
	for m := range d.Members {
		if d.Units[m.Unit] != nil {
			groups[group{m.Unit, m.Kind}] = append(groups[group{m.Unit, m.Kind}], m)
		}
	}
	var out []Finding
	for g, members := range groups {
		slices.SortFunc(members, func(a, b Member) int { return cmp.Compare(a.ID, b.ID) })
		ref := *d.Units[g.unit] // the unit less the members found so far
		found := map[string]bool{}
		for {
			var best Finding
			var bestM Member
			for _, m := range members {
				p := d.Members[m]
				if found[m.ID] {
					continue
				}
				rest := Proportion{Pos: ref.Pos - p.Pos, N: ref.N - p.N}
				if f, ok := compareShares(*p, rest, th, minN); ok && f.Strength > best.Strength {
					best, bestM = f, m
				}
			}
			if bestM.ID == "" {
				break
			}
			found[bestM.ID] = true
			p := d.Members[bestM]
			ref.Pos, ref.N = ref.Pos-p.Pos, ref.N-p.N
			best.Kind, best.Unit, best.From, best.To = KindOutlier, g.unit, d.Period.From, d.Period.To
			if g.kind == "kiosk" {
				best.Kiosk = bestM.ID
			} else {
				best.Staff = bestM.ID
			}
			out = append(out, best)
		}
	}
	return out
}

// compareShares tests a share against a reference: the outlier and jump
// rule. The finding's Figure, Expected, Lo and Hi are in percent.
func compareShares(x, ref Proportion, th Thresholds, minN int) (Finding, bool) {
	if x.N < uint64(minN) || ref.N < uint64(minN) {
		return Finding{}, false
	}
	p1 := float64(x.Pos) / float64(x.N)
	p0 := (float64(ref.Pos) + 0.5) / (float64(ref.N) + 1)
	se := math.Sqrt(p0 * (1 - p0) * (1/float64(x.N) + 1/float64(ref.N)))
	z := (p1 - p0) / se
	s1, _ := x.Share()
	s0, _ := ref.Share()
	l1, h1, _ := Wilson(s1, x.N)
	l0, h0, _ := Wilson(s0, ref.N)
	if math.Abs(z) < th.Z || math.Abs(s1-s0) < th.MinDelta || (l1 <= h0 && l0 <= h1) {
		return Finding{}, false
	}
	lo, hi := zRange(p0, se, th.Z)
	f := Finding{Figure: s1, Expected: s0, Lo: 100 * lo, Hi: 100 * hi, N: x.N, Base: ref.N, Strength: math.Abs(z)}
	f.grade(th.Z)
	return f, true
}

// DetectJumps finds weeks (Monday to Sunday) in which a unit's share of
// satisfied answers to the overall question jumped from the BaselineWeeks
// weeks before, by the outlier rule (compareShares) with the baseline as
// the reference. Only weeks that start in the period are tested; the
// baseline may reach before it.
func DetectJumps(d *ReviewData, th Thresholds, minN int) []Finding {
	weeks := map[UnitDay]*Proportion{}
	for ud, c := range d.Days {
		k := UnitDay{ud.Unit, weekStart(ud.Day)}
		w := weeks[k]
		if w == nil {
			w = &Proportion{}
			weeks[k] = w
		}
		w.Pos, w.N = w.Pos+c.Overall.Pos, w.N+c.Overall.N
	}
	var out []Finding
	for k, w := range weeks {
		if k.Day < d.Period.From || k.Day > d.Period.To {
			continue
		}
		var base Proportion
		for i := 1; i <= th.BaselineWeeks; i++ {
			if b := weeks[UnitDay{k.Unit, k.Day - 7*int32(i)}]; b != nil {
				base.Pos, base.N = base.Pos+b.Pos, base.N+b.N
			}
		}
		f, ok := compareShares(*w, base, th, minN)
		if !ok {
			continue
		}
		f.Kind, f.Unit, f.From, f.To = KindJump, k.Unit, k.Day, min(k.Day+6, d.Period.To)
		out = append(out, f)
	}
	return out
}
