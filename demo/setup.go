package demo

import (
	"fmt"
	"strconv"

	"hailong/survey"
)

// unitState is an agency with what the generator needs to draw from.
type unitState struct {
	a        *agency
	idx      int
	counters []counterState
	staff    []staffState
	procs    []procedure
	kioskCum []float64 // cumulative procedure weights, kiosk answers
	dossCum  []float64 // cumulative procedure weights, dossiers
	quayOff  []float64 // per criterion of the quay survey: offset from the level
	sipasOff []float64 // per criterion of the sipas survey
	naWeb    float64   // share of "not applicable" for website criteria
}

type counterState struct {
	id, kiosk string
	staff     []int // indices into unitState.staff; the first is the usual one
	weight    float64
}

type staffState struct {
	id      string
	counter int
	distant bool    // the staff member with a distant attitude
	manner  float64 // small personal offset on attitude
}

// org creates groups, units, counters, staff and kiosks.
func (g *gen) org() error {
	units := []survey.Unit{{ID: province, Name: "UBND Tỉnh Mẫu"}}
	for i := range agencies {
		a := &agencies[i]
		units = append(units, survey.Unit{ID: a.id, Name: a.name, Parent: province, Group: a.group})
	}
	units = append(units, departments...)
	if err := g.db.PutUnits(units); err != nil {
		return err
	}
	g.stats.Units = len(units)
	for _, gr := range groups {
		if err := g.db.PutGroup(gr); err != nil {
			return err
		}
	}
	for i := range agencies {
		u, err := g.agencyDesk(&agencies[i], i)
		if err != nil {
			return err
		}
		g.units = append(g.units, u)
	}
	return nil
}

// agencyDesk creates the one-stop desk of an agency: counters, kiosks, staff.
func (g *gen) agencyDesk(a *agency, idx int) (*unitState, error) {
	u := &unitState{a: a, idx: idx, procs: sectorProcs(a.sector)}
	u.kioskCum, u.dossCum = cumulative(u.procs, false), cumulative(u.procs, true)
	for c := 0; c < a.counters; c++ {
		cs := counterState{id: a.abbr + "-q" + strconv.Itoa(c+1), weight: 1 / (1 + 0.3*float64(c))}
		cs.kiosk = "kiosk-" + cs.id
		name := fmt.Sprintf("Quầy %d – %s", c+1, a.short)
		if err := g.db.PutCounter(survey.Counter{ID: cs.id, Unit: a.id, Name: name}); err != nil {
			return nil, err
		}
		if _, err := g.db.AddKiosk(survey.Kiosk{ID: cs.kiosk, Unit: a.id, Counter: cs.id, Name: "Ki-ốt " + name}); err != nil {
			return nil, err
		}
		u.counters = append(u.counters, cs)
		g.stats.Counters++
		g.stats.Kiosks++
	}
	seen := map[string]bool{}
	pos := positions[a.group]
	for s := 0; s < a.staff; s++ {
		name := personName(g.rng)
		id := a.abbr + "-" + survey.Slug(name)
		for n := 2; seen[id]; n++ {
			id = a.abbr + "-" + survey.Slug(name) + "-" + strconv.Itoa(n)
		}
		seen[id] = true
		st := staffState{id: id, counter: s % a.counters, manner: (g.rng.Float64() - 0.5) * 0.04}
		position := pos[1+g.rng.Intn(len(pos)-1)]
		if s == 0 {
			position = pos[0]
		}
		cnt := &u.counters[st.counter]
		st.distant = cnt.id == distantCounter && len(cnt.staff) == 0
		cnt.staff = append(cnt.staff, s)
		u.staff = append(u.staff, st)
		err := g.db.PutStaff(survey.Staff{ID: id, Unit: a.id, Name: name, Position: position, Counter: cnt.id})
		if err != nil {
			return nil, err
		}
		g.stats.Staff++
	}
	g.offsets(u)
	return u, nil
}

func cumulative(ps []procedure, dossiers bool) []float64 {
	out := make([]float64, len(ps))
	sum := 0.0
	for i, p := range ps {
		if !(dossiers && p.kioskOnly) {
			sum += p.weight
		}
		out[i] = sum
	}
	return out
}

// pickCum returns an index drawn with the cumulative weights cum.
func (g *gen) pickCum(cum []float64) int {
	x := g.rng.Float64() * cum[len(cum)-1]
	for i, c := range cum {
		if x < c {
			return i
		}
	}
	return len(cum) - 1
}
