package demo

import (
	"cmp"
	"slices"
	"time"

	"hailong/survey"
)

// Responses are drawn day by day, sorted by time within the day, and
// inserted in chunks: the store's keys are then appended in order, and the
// store flags kiosk answers less than 5 s after the previous one of the same
// kiosk — which only the planned misuse bursts are.

type kind uint8

const (
	kioskAnswer kind = iota
	burstAnswer
	qrAnswer
	webAnswer
	paperAnswer
)

type event struct {
	at      int64 // ns since 1970
	kind    kind
	unit    int
	counter int
	staff   int   // index into the unit's staff, -1 for none
	link    int   // index into the day's QR links
	plant   uint8 // a planted anomaly's answer (anomalies.go)
}

// burst is a child (or a bored visitor) tapping a kiosk again and again.
type burst struct{ unit, counter, n int }

// Volumes besides the kiosks, per ordinary weekday for the whole province.
const (
	webPerDay   = 20.0
	minKioskGap = 20 * second // a citizen needs at least this long to answer
)

func (g *gen) responses() error {
	free := make(chan *responseBuf, 2)
	free <- newResponseBuf()
	free <- newResponseBuf()
	buf := <-free
	send := func() {
		b := buf
		g.w.do(func() error {
			if err := g.db.InsertMany(b.batch); err != nil {
				return err
			}
			g.stats.Responses += len(b.batch)
			return nil
		}, func() { b.batch = b.batch[:0]; free <- b })
		buf = <-free
	}
	bursts, paper := g.plannedBursts(), g.paperCampaigns()
	webCum := make([]float64, len(g.units))
	for i, u := range g.units {
		webCum[i] = u.a.visits
		if i > 0 {
			webCum[i] += webCum[i-1]
		}
	}
	startNs, nowNs := g.now.AddDate(-2, 0, 0).UnixNano(), g.now.UnixNano()
	var ev []event
	for day := g.first; day <= g.last && !g.w.failed.Load(); day++ {
		ev = g.dayEvents(day, ev[:0], bursts[day], paper[day], webCum)
		for i := range ev {
			if ev[i].at < startNs || ev[i].at > nowNs {
				continue
			}
			r := buf.next(ev[i].kind == qrAnswer)
			if ev[i].plant != plantNone {
				g.fillPlanted(r, &ev[i], day)
			} else {
				g.fill(r, &ev[i], day)
				g.replant(r, &ev[i], day)
			}
			if err := g.db.Prepare(r); err != nil {
				return err
			}
			if buf.batch = append(buf.batch, r); len(buf.batch) == chunk {
				send()
			}
		}
	}
	if len(buf.batch) > 0 {
		send()
	}
	return nil
}

// dayEvents lists the day's responses in time order.
func (g *gen) dayEvents(day int32, ev []event, bursts []burst, paper []int, webCum []float64) []event {
	f := g.dayFactor(day)
	dayNs := survey.DayStart(day, g.loc).UnixNano()
	if f > 0 {
		for ui, u := range g.units {
			total := 0.0
			for _, c := range u.counters {
				total += c.weight
			}
			for ci := range u.counters {
				lambda := u.a.visits * g.scale * f * u.counters[ci].weight / total
				ev = g.counterDay(ev, day, dayNs, ui, ci, g.poisson(lambda), bursts)
			}
		}
		for i, n := 0, g.poisson(webPerDay*g.scale*f); i < n; i++ {
			ev = append(ev, event{at: dayNs + g.officeTime(day), kind: webAnswer, unit: g.pickCum(webCum), staff: -1})
		}
		for _, ui := range paper {
			for i, n := 0, int((20+float64(g.rng.Intn(25)))*g.scale+0.5); i < n; i++ {
				ev = append(ev, event{at: dayNs + g.officeTime(day), kind: paperAnswer, unit: ui, staff: -1})
			}
		}
	}
	for i, l := range g.dossierQR[day-g.first] {
		u := g.units[l.unit]
		ev = append(ev, event{at: l.at, kind: qrAnswer, unit: l.unit, counter: u.staff[l.staff].counter, staff: l.staff, link: i})
	}
	ev = g.plantEvents(ev, day)
	slices.SortFunc(ev, func(a, b event) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.kind, b.kind), cmp.Compare(a.unit, b.unit), cmp.Compare(a.link, b.link))
	})
	return ev
}

// counterDay adds n kiosk answers at one counter, at least minKioskGap
// apart, and any misuse burst planned there that day.
func (g *gen) counterDay(ev []event, day int32, dayNs int64, ui, ci, n int, bursts []burst) []event {
	u := g.units[ui]
	c := &u.counters[ci]
	staff := c.staff[0] // who is signed on today
	if len(c.staff) > 1 && g.rng.Float64() < 0.25 {
		staff = c.staff[1+g.rng.Intn(len(c.staff)-1)]
	}
	type item struct {
		at int64
		n  int // > 0: a burst of n answers
	}
	items := make([]item, 0, n+1)
	for i := 0; i < n; i++ {
		items = append(items, item{at: dayNs + g.officeTime(day)})
	}
	for _, b := range bursts {
		if b.unit == ui && b.counter == ci {
			items = append(items, item{at: dayNs + g.officeTime(day), n: b.n})
		}
	}
	slices.SortFunc(items, func(a, b item) int { return cmp.Compare(a.at, b.at) })
	next := int64(0)
	for _, it := range items {
		at := max(it.at, next+g.rng.Int63n(40*second))
		if it.n == 0 {
			ev = append(ev, event{at: at, kind: kioskAnswer, unit: ui, counter: ci, staff: staff})
			next = at + minKioskGap
			continue
		}
		for j := 0; j < it.n; j++ {
			ev = append(ev, event{at: at, kind: burstAnswer, unit: ui, counter: ci, staff: staff})
			at += second + g.rng.Int63n(1000)*msec
		}
		next = at + minKioskGap
	}
	return ev
}

// plannedBursts places about fifteen misuse bursts over the two years.
func (g *gen) plannedBursts() map[int32][]burst {
	out := map[int32][]burst{}
	for i := 0; i < 15; i++ {
		day := g.addWorkdays(g.first+int32(g.rng.Intn(int(g.last-g.first))), 0)
		ui := g.rng.Intn(len(g.units))
		out[day] = append(out[day], burst{unit: ui, counter: g.rng.Intn(len(g.units[ui].counters)), n: 6 + g.rng.Intn(9)})
	}
	return out
}

// paperCampaigns places one paper survey a quarter in every agency: forms
// filled in on one day and imported later.
func (g *gen) paperCampaigns() map[int32][]int {
	out := map[int32][]int{}
	t := survey.DayStart(g.first, time.UTC)
	q := time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
	for ; !q.After(g.now); q = q.AddDate(0, 3, 0) {
		base := int32(q.Unix() / 86400)
		for ui := range g.units {
			day := g.addWorkdays(base+40+int32(g.rng.Intn(35)), 0)
			if day >= g.first && day <= g.last {
				out[day] = append(out[day], ui)
			}
		}
	}
	return out
}
