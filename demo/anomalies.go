package demo

import (
	"math/rand"
	"time"

	"hailong/survey"
)

// PLANTED ANOMALIES. The anomaly review (/review, docs/METHODOLOGY.md
// "Anomaly review") should find exactly these, one of each kind, in the
// last 90 days of the demo:
//
//   - ratio:   a kiosk at Sở Tư pháp rates six times the dossiers the desk
//     received that day (answers over the lunch break, at least 60);
//   - hours:   a kiosk at UBND phường Tây Sơn records 12 answers from 22:00;
//   - run:     a kiosk at Bệnh viện Đa khoa tỉnh records 40 identical
//     all-5 answers in a row over the lunch break, each half a minute apart
//     (slow enough not to be flagged as misuse);
//   - outlier: the kiosk of counter 3 at UBND phường Nam Hải rates far below
//     the rest of its unit for the last 100 days (its usual staff member then
//     shows too: the same answers);
//   - jump:    Bệnh viện Nhi's satisfaction drops for one week.
//
// They keep the demo's story: they draw from a random source of their own
// (the rest of the demo is the same draw for draw), they sit outside khối Sở
// except the ratio case, whose extra answers are ordinary ones of Sở Tư
// pháp (first of khối Sở either way), and the outlier and jump cases replace
// answers rather than add any.

// Planted describes one planted anomaly, for tests.
type Planted struct {
	Kind     string // ratio, hours, run, outlier, jump (engine.Kind)
	Unit     string
	Kiosk    string
	From, To string // YYYY-MM-DD
}

const (
	plantRatioUnit, plantRatioCounter = "so-tu-phap", 0
	plantHoursUnit, plantHoursCounter = "phuong-tay-son", 0
	plantRunUnit, plantRunCounter     = "bv-da-khoa-tinh", 0
	plantOutlierUnit, plantOutlierCtr = "phuong-nam-hai", 2
	plantJumpUnit                     = "bv-nhi"
	plantOutlierDays                  = 100
	plantOutlierDelta                 = -0.42 // the kiosk's level, against its unit's
	plantJumpDelta                    = -0.35 // the unit's level that week
)

// plant kinds on events
const (
	plantNone uint8 = iota
	plantOrdinary
	plantAllFive
)

// plants holds the planted cases' days and counts.
type plants struct {
	rng                        *rand.Rand
	ratioDay, hoursDay, runDay int32
	jumpFrom, jumpTo           int32
	ratioDossiers              int // dossiers Sở Tư pháp received on ratioDay
}

func (g *gen) planDays() {
	p := &g.plants
	p.rng = rand.New(rand.NewSource(g.seed ^ 0x5eed))
	p.ratioDay = g.addWorkdays(g.last-20, 0)
	p.hoursDay = g.addWorkdays(g.last-34, 0)
	p.runDay = g.addWorkdays(g.last-48, 0)
	wk := g.last - 62
	for weekday(wk) != time.Monday {
		wk--
	}
	p.jumpFrom, p.jumpTo = wk, wk+6
}

// noteDossiers is told how many dossiers each unit received each day.
func (g *gen) noteDossiers(u *unitState, day int32, n int) {
	if u.a.id == plantRatioUnit && day == g.plants.ratioDay {
		g.plants.ratioDossiers = n
	}
}

// planted lists the cases for Story.
func (g *gen) planted() []Planted {
	p, date := &g.plants, func(d int32) string { return survey.DayStart(d, g.loc).Format(time.DateOnly) }
	kiosk := func(unit string, c int) string { return g.unit(unit).counters[c].kiosk }
	return []Planted{
		{"ratio", plantRatioUnit, kiosk(plantRatioUnit, plantRatioCounter), date(p.ratioDay), date(p.ratioDay)},
		{"hours", plantHoursUnit, kiosk(plantHoursUnit, plantHoursCounter), date(p.hoursDay), date(p.hoursDay)},
		{"run", plantRunUnit, kiosk(plantRunUnit, plantRunCounter), date(p.runDay), date(p.runDay)},
		{"outlier", plantOutlierUnit, kiosk(plantOutlierUnit, plantOutlierCtr), date(g.last - plantOutlierDays), date(g.last)},
		{"jump", plantJumpUnit, "", date(p.jumpFrom), date(p.jumpTo)},
	}
}

func (g *gen) unit(id string) *unitState {
	for _, u := range g.units {
		if u.a.id == id {
			return u
		}
	}
	panic("demo: no unit " + id)
}

// plantEvents adds the day's planted answers to ev (not yet sorted).
func (g *gen) plantEvents(ev []event, day int32) []event {
	p := &g.plants
	dayNs := survey.DayStart(day, g.loc).UnixNano()
	switch day {
	case p.ratioDay:
		n := max(60, 6*p.ratioDossiers)
		gap := min(90*second, (105*minute)/int64(n))
		ev = g.plantSeries(ev, plantRatioUnit, plantRatioCounter, dayNs+11*hour+40*minute, n, gap, plantOrdinary)
	case p.hoursDay:
		ev = g.plantSeries(ev, plantHoursUnit, plantHoursCounter, dayNs+22*hour, 12, 55*second, plantOrdinary)
	case p.runDay:
		ev = g.plantSeries(ev, plantRunUnit, plantRunCounter, dayNs+11*hour+50*minute, 40, 30*second, plantAllFive)
	}
	return ev
}

// plantSeries adds n kiosk answers at one counter from start, gap apart
// (plus up to 5 s), stepping over the counter's own answers of the day so
// that none is within 10 s of another (the store would flag it misuse).
func (g *gen) plantSeries(ev []event, unit string, counter int, start int64, n int, gap int64, kind uint8) []event {
	u := g.unit(unit)
	at := start
	for i := 0; i < n; i++ {
		for clash(ev, u.idx, counter, at) {
			at += 10 * second
		}
		ev = append(ev, event{at: at, kind: kioskAnswer, unit: u.idx, counter: counter,
			staff: u.counters[counter].staff[0], plant: kind})
		at += gap + g.plants.rng.Int63n(5*second)
	}
	return ev
}

func clash(ev []event, unit, counter int, at int64) bool {
	for i := range ev {
		e := &ev[i]
		if e.unit == unit && e.counter == counter && (e.kind == kioskAnswer || e.kind == burstAnswer) &&
			e.at > at-10*second && e.at < at+10*second {
			return true
		}
	}
	return false
}

// fillPlanted draws a planted answer with the plants' own random source.
func (g *gen) fillPlanted(r *survey.Response, e *event, day int32) {
	g.withPlantRng(func() { g.fill(r, e, day) })
	if e.plant == plantAllFive {
		clear(r.Answers)
		for _, c := range g.quay.Criteria {
			r.Answers[c.Key] = 5
		}
		r.Reasons, r.Comment = r.Reasons[:0], ""
	}
}

// replant redraws an ordinary answer that a planted case changes (the
// outlier kiosk, the jump week) with a lower level, from the plants' own
// random source; the ordinary draw was made first, so the rest of the demo
// does not change.
func (g *gen) replant(r *survey.Response, e *event, day int32) {
	delta := 0.0
	u := g.units[e.unit]
	switch {
	case u.a.id == plantJumpUnit && day >= g.plants.jumpFrom && day <= g.plants.jumpTo:
		delta = plantJumpDelta
	case u.a.id == plantOutlierUnit && e.kind == kioskAnswer && e.counter == plantOutlierCtr && day >= g.last-plantOutlierDays:
		delta = plantOutlierDelta
	default:
		return
	}
	g.withPlantRng(func() {
		g.levelDelta = delta
		g.fill(r, e, day)
		g.levelDelta = 0
	})
}

func (g *gen) withPlantRng(fn func()) {
	main := g.rng
	g.rng = g.plants.rng
	defer func() { g.rng = main }()
	fn()
}
