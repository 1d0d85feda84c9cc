package engine

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Anomaly review (docs/METHODOLOGY.md "Anomaly review"): five detectors
// that point an administrator at responses worth a second look — a kiosk
// rating more visitors than the desk received, answers while the desk is
// closed, runs of identical answers, a kiosk or staff member far from the
// rest of its unit, and a sudden jump of a unit's satisfaction. They flag
// nothing and exclude nothing: a finding is a figure, the range it was
// expected in and where to read the responses; an administrator decides.
//
// The detectors are pure functions over the aggregates of ReviewData
// (anomaly_detect.go); anomaly_query.go fills those from one bounded read
// of the raw responses and of the dossiers received (the counts do not know
// kiosks, minutes or answer patterns).

// Kind names a detector.
type Kind string

// The detectors, in the order the page lists them.
const (
	KindRatio   Kind = "ratio"   // responses per dossier received
	KindHours   Kind = "hours"   // answers outside opening hours
	KindRun     Kind = "run"     // runs of identical answer patterns
	KindOutlier Kind = "outlier" // a kiosk or staff member far from its unit
	KindJump    Kind = "jump"    // a sudden jump of the index
)

// Kinds lists the detectors in the page's order.
var Kinds = []Kind{KindRatio, KindHours, KindRun, KindOutlier, KindJump}

// Thresholds are the detectors' explicit limits (DefaultThresholds; each
// documented in docs/METHODOLOGY.md).
type Thresholds struct {
	// Z is how many standard errors from the expected value a figure must
	// lie: 4 (two-sided p ≈ 6·10⁻⁵), so that the few hundred tests of a
	// review raise well under one false alarm between them when nothing
	// is wrong.
	Z float64
	// RatioFloor is the fewest kiosk responses on a unit-day for the ratio
	// detector; RatioMinDossiers the fewest dossiers a unit must have
	// received over the period for its usual ratio to mean anything.
	RatioFloor, RatioMinDossiers int
	// HoursMin is the fewest answers outside opening hours on one kiosk and
	// day that make a finding (one or two are a clock, a cleaner, a test).
	HoursMin int
	// RunMin is the shortest run reported; RunChance the largest chance
	// (expected number of such runs by coincidence) a reported run may have.
	RunMin    int
	RunChance float64
	// MinDelta is the smallest difference in points an outlier or a jump
	// must have besides being Z standard errors away: a difference that
	// only a large n makes significant is not worth an administrator's time.
	MinDelta float64
	// BaselineWeeks is how many weeks before a week its jump is measured
	// against.
	BaselineWeeks int
}

// DefaultThresholds are the installation's limits.
var DefaultThresholds = Thresholds{Z: 4, RatioFloor: 20, RatioMinDossiers: 30, HoursMin: 3,
	RunMin: 10, RunChance: 1e-4, MinDelta: 10, BaselineWeeks: 4}

// MaxReviewDays bounds a review's period: it reads every response of the
// period (about 1 µs each), so a quarter at most.
const MaxReviewDays = 92

// ReviewDays is the default period of a review: the last 90 days.
const ReviewDays = 90

// OpeningHours are when a one-stop desk receives citizens: per weekday
// (0 = Sunday) the minutes after midnight it opens and closes; Close = 0 is
// closed all day. Public holidays are not known to it.
type OpeningHours [7]struct{ Open, Close int }

// DefaultOpeningHours: Monday to Friday 07:00–17:30, Saturday 07:00–12:00,
// closed on Sunday. Provinces set their own hours (most 07:00/07:30–11:30 and
// 13:00/13:30–17:00, by season); this window holds all of them with some
// margin, keeps the lunch break (many desks receive then, and a citizen who
// waited rates at 12:10), and the Saturday morning many public service
// centres open.
var DefaultOpeningHours = func() OpeningHours {
	var h OpeningHours
	for d := time.Monday; d <= time.Friday; d++ {
		h[d].Open, h[d].Close = 7*60, 17*60+30
	}
	h[time.Saturday].Open, h[time.Saturday].Close = 7*60, 12*60
	return h
}()

// IsOpen reports whether t (in the installation's zone) falls within the
// opening hours.
func (h OpeningHours) IsOpen(t time.Time) bool {
	d := h[t.Weekday()]
	m := t.Hour()*60 + t.Minute()
	return d.Close > 0 && m >= d.Open && m < d.Close
}

// Finding is one anomaly: where, when, the figure and the range it was
// expected in. Figure, Lo and Hi are in the detector's unit: a ratio
// (ratio), a number of answers (hours), a run length (run), a share in
// percent (outlier and jump).
type Finding struct {
	Kind           Kind
	Unit           string
	Kiosk, Staff   string // the kiosk or staff member concerned, if any
	Channel        string // run: the channel of a source that is not a kiosk
	From, To       int32  // days (both inclusive)
	Figure         float64
	Lo, Hi         float64 // the expected range of Figure
	Expected       float64 // the expected value (ratio, share) or chance (run)
	N              uint64  // responses the figure rests on
	Base           uint64  // the comparison's n: dossiers (ratio), rest of the unit (outlier), baseline weeks (jump)
	Strength       float64 // how far outside the range: standard errors, or −log10 of a chance; orders findings
	High           bool    // well beyond the threshold (Strength ≥ 1.5 × the threshold)
	FirstAt        time.Time
	LastAt         time.Time
	Pattern        string // run: the answers repeated ("overall=5 access=5 …")
	FirstKey, Keys uint64 // run: the first response key; how many keys (informational)
}

// Review is the findings of a period.
type Review struct {
	Period   Period
	Hours    OpeningHours
	Th       Thresholds
	Findings []Finding
	Read     int // responses read
	Counted  int // of which counted (no flag), the ones examined
	Dossiers int // dossiers received in the period
}

// ByKind returns the findings of kind k, strongest first (their order in
// Findings).
func (r *Review) ByKind(k Kind) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Kind == k {
			out = append(out, f)
		}
	}
	return out
}

// sortFindings orders findings by kind (Kinds' order), then strongest
// first, then by unit and day, so that the list is stable.
func sortFindings(fs []Finding) {
	rank := map[Kind]int{}
	for i, k := range Kinds {
		rank[k] = i
	}
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(rank[a.Kind], rank[b.Kind]), cmp.Compare(b.Strength, a.Strength),
			cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.From, b.From), cmp.Compare(a.Kiosk+a.Staff, b.Kiosk+b.Staff))
	})
}

// zRange is the expected range p ± z·se of a share p (0–1) with standard
// error se, clipped to 0–1.
func zRange(p, se, z float64) (lo, hi float64) {
	return math.Max(0, p-z*se), math.Min(1, p+z*se)
}

// weekStart is the Monday on or before day (days since 1970-01-01, a
// Thursday).
func weekStart(day int32) int32 {
	wd := ((day+4)%7 + 7) % 7 // 0 = Sunday
	return day - (wd+6)%7
}
