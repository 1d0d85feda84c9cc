package demo

import (
	"fmt"
	"math"
	"time"

	"hailong/survey"
)

// qrLink is a dossier answered through its receipt's QR code: the response
// is written a few minutes after the result was returned.
type qrLink struct {
	at    int64 // submission time, ns
	unit  int
	staff int
	proc  int
	late  bool
	code  string
}

const (
	hour   = int64(time.Hour)
	minute = int64(time.Minute)
	second = int64(time.Second)
	msec   = int64(time.Millisecond)
)

// daysPerYear is the sum of dayFactor over a year: a rate per ordinary
// weekday times daysPerYear is a yearly count.
const daysPerYear = 268

// qrRate is the share of returned dossiers whose receipt QR form is answered.
const qrRate = 0.6

// dossiers creates the dossiers of every agency, in the store's key order
// (unit, then day), and plans the QR responses linked to them.
func (g *gen) dossiers() {
	batch := make([]survey.Dossier, 0, chunk)
	flush := func() {
		if len(batch) == 0 {
			return
		}
		b := batch
		g.w.do(func() error {
			if err := g.db.PutDossiers(b); err != nil {
				return err
			}
			g.stats.Dossiers += len(b)
			return nil
		}, nil)
		batch = make([]survey.Dossier, 0, chunk)
	}
	startNs, nowNs := g.now.AddDate(-2, 0, 0).UnixNano(), g.now.UnixNano()
	for _, u := range g.units {
		rate := float64(u.a.dossiers) / daysPerYear * g.scale
		for day := g.first; day <= g.last; day++ {
			n := g.poisson(rate * g.dayFactor(day))
			g.noteDossiers(u, day, n)
			for seq := 1; seq <= n; seq++ {
				d := g.dossier(u, day, seq)
				if at := d.ReceivedAt.UnixNano(); at < startNs || at > nowNs {
					continue
				}
				batch = append(batch, d)
				if len(batch) == chunk {
					flush()
				}
			}
		}
	}
	flush()
}

// dossier draws one dossier received on day.
func (g *gen) dossier(u *unitState, recv int32, seq int) survey.Dossier {
	pi := g.pickCum(u.dossCum)
	p := u.procs[pi]
	si := g.rng.Intn(len(u.staff))
	dayNs := survey.DayStart(recv, g.loc).UnixNano()
	recvAt := dayNs + g.officeTime(recv)
	due := g.addWorkdays(recv, p.days)
	d := survey.Dossier{
		Code:       fmt.Sprintf("000.00.%02d.H99-%s-%04d", 10+u.idx, survey.DayStart(recv, g.loc).Format("060102"), seq),
		Unit:       u.a.id,
		Procedure:  p.code,
		Staff:      u.staff[si].id,
		ReceivedAt: time.Unix(0, recvAt).In(g.loc),
		DueAt:      survey.DayStart(due, g.loc).Add(17 * time.Hour),
	}
	// Every dossier gets a receipt slip (the response rate's denominator);
	// the demo keeps no working link: no token maps to this hash.
	d.TokenHash, d.TokenExpires = survey.HashSecret("demo:"+d.Code), g.db.ReceiptExpiry(d.ReceivedAt)
	if g.rng.Float64() < 0.04 {
		d.SupplementDays = 2 + g.rng.Intn(9)
		for !g.workday(due + int32(d.SupplementDays)) {
			d.SupplementDays++
		}
	}
	effDue := due + int32(d.SupplementDays)
	fd, late := g.finishDay(u, recv, effDue)
	var fin int64
	if fd == recv {
		left := dayNs + 17*hour - recvAt
		fin = recvAt + 15*minute + g.rng.Int63n(max(left-15*minute, minute))
	} else {
		fin = survey.DayStart(fd, g.loc).UnixNano() + g.officeTime(fd)
	}
	if fin > g.now.UnixNano() {
		return d // still in progress
	}
	d.FinishedAt = time.Unix(0, fin).In(g.loc)
	if g.rng.Float64() < qrRate {
		at := fin + 2*minute + g.rng.Int63n(28*minute)
		if at <= g.now.UnixNano() && fd >= g.first && fd <= g.last {
			d.Answered = true
			g.dossierQR[fd-g.first] = append(g.dossierQR[fd-g.first],
				qrLink{at: at / msec * msec, unit: u.idx, staff: si, proc: pi, late: late, code: d.Code})
		}
	}
	return d
}

// finishDay draws the day the result is returned, against the due day
// (supplement days included): early, on the day, or late.
func (g *gen) finishDay(u *unitState, recv, due int32) (int32, bool) {
	early, onTime := 1-0.06-2*u.a.late, 0.06+u.a.late
	if u.a.id == storyUnit { // SPEC: 98.6 % early, 1.28 % on time, 0.12 % late
		early, onTime = 0.986, 0.0128
	}
	switch x := g.rng.Float64(); {
	case x < early && due > recv:
		fd := recv + int32(float64(due-recv)*math.Sqrt(g.rng.Float64()))
		if fd >= due {
			fd = due - 1
		}
		for fd > recv && !g.workday(fd) {
			fd--
		}
		return fd, false
	case x < early+onTime || due <= recv && x < early:
		return due, false
	}
	return g.addWorkdays(due, 1+g.rng.Intn(6)), true
}

// dayFactor is how busy day is against an ordinary weekday: Monday busiest,
// Saturday morning quiet, Sunday and public holidays closed, a rush before
// Tết and at the year's end.
func (g *gen) dayFactor(day int32) float64 {
	wd := weekday(day)
	if wd == time.Sunday || g.holidays[day] {
		return 0
	}
	f := [...]float64{0, 1.35, 1.1, 1, 1, 0.85, 0.15}[wd]
	month := survey.DayStart(day, time.UTC).Month()
	return f * [...]float64{1.05, 0.9, 1.05, 1, 1, 0.95, 0.95, 0.95, 1, 1, 1.05, 1.15}[month-1]
}

// officeTime draws a time of day (ns after midnight) within office hours,
// 07:30–11:30 and 13:30–17:00, mornings busier; Saturday mornings only.
func (g *gen) officeTime(day int32) int64 {
	u := (g.rng.Float64() + g.rng.Float64()) / 2
	if weekday(day) == time.Saturday || g.rng.Float64() < 0.6 {
		return (7*hour + 30*minute + int64(u*float64(4*hour))) / msec * msec
	}
	return (13*hour + 30*minute + int64(u*float64(3*hour+30*minute))) / msec * msec
}

// poisson draws a Poisson-distributed count with mean lambda.
func (g *gen) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 60 {
		return max(0, int(lambda+g.rng.NormFloat64()*math.Sqrt(lambda)+0.5))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= g.rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
