package demo

import (
	"strings"
	"time"

	"hailong/survey"
)

// fill turns an event into a response, reusing r's answer map and reason
// slice.
func (g *gen) fill(r *survey.Response, e *event, day int32) {
	u := g.units[e.unit]
	answers, reasons, facts := r.Answers, r.Reasons[:0], r.Facts
	clear(answers)
	*r = survey.Response{Answers: answers, Reasons: reasons, Unit: u.a.id,
		SubmittedAt: time.Unix(0, e.at)}
	r.ReceivedAt = r.SubmittedAt.Add(time.Duration(300+g.rng.Intn(2700)) * time.Millisecond)
	s := &scoring{u: u, day: day, level: g.level(u, day) + g.levelDelta, shift: g.shift(day, e.at)}
	if e.staff >= 0 {
		s.staff = &u.staff[e.staff]
		r.Staff = s.staff.id
		r.Counter = u.counters[e.counter].id
	}
	var present [survey.MaxCriteria]int
	switch e.kind {
	case kioskAnswer, burstAnswer:
		r.Survey, r.Channel = survey.SurveyQuay, survey.ChannelKiosk
		r.Kiosk = u.counters[e.counter].kiosk
		r.Procedure = u.procs[g.pickCum(u.kioskCum)].code
		if e.kind == burstAnswer {
			r.Answers[survey.OverallKey] = []int{1, 5, 5, 3}[g.rng.Intn(4)]
			return
		}
		g.presentKiosk(present[:], u)
		g.answer(r, g.quay, u.quayOff, s, present[:])
	case webAnswer:
		r.Survey, r.Channel = survey.SurveyQuay, survey.ChannelWeb
		r.Procedure = u.procs[g.pickCum(u.dossCum)].code
		for i, c := range g.quay.Criteria {
			present[i] = skip
			if c.Key == survey.OverallKey || c.Key == "website" || g.rng.Float64() < 0.5 {
				present[i] = 1
			}
		}
		g.answer(r, g.quay, u.quayOff, s, present[:])
	case qrAnswer:
		l := &g.dossierQR[day-g.first][e.link]
		r.Survey, r.Channel, r.Dossier, r.Procedure = survey.SurveySipas, survey.ChannelQR, l.code, u.procs[l.proc].code
		r.Facts = facts
		g.facts(r, l.late)
		s.late = l.late
		g.presentSipas(present[:], u, 0.02)
		g.answer(r, g.sipas, u.sipasOff, s, present[:])
	case paperAnswer:
		r.Survey, r.Channel = survey.SurveySipas, survey.ChannelPaper
		r.ReceivedAt = r.SubmittedAt.Add(3*24*time.Hour + time.Duration(g.rng.Intn(3600))*time.Second)
		if r.ReceivedAt.After(g.now) {
			r.ReceivedAt = r.SubmittedAt.Add(time.Second)
		}
		g.presentSipas(present[:], u, 0.05)
		g.answer(r, g.sipas, u.sipasOff, s, present[:])
	}
}

// shift is the time-of-week effect: mornings a little better than
// afternoons, Friday afternoon the lowest.
func (g *gen) shift(day int32, at int64) float64 {
	afternoon := at-survey.DayStart(day, g.loc).UnixNano() >= 12*hour
	switch wd := weekday(day); {
	case !afternoon && wd == time.Saturday:
		return 0.01
	case !afternoon:
		return 0.015
	case wd == time.Friday:
		return -0.05
	}
	return -0.015
}

// presentKiosk decides which kiosk criteria are answered: the overall
// question always; the second screen is skipped by about one in eight.
func (g *gen) presentKiosk(present []int, u *unitState) {
	second := g.rng.Float64() >= 0.12
	for i, c := range g.quay.Criteria {
		switch x := g.rng.Float64(); {
		case c.Key == survey.OverallKey:
			present[i] = 1
		case !second:
			present[i] = skip
		case c.Key == "website" && x < u.naWeb:
			present[i] = survey.NA
		case x < 0.03:
			present[i] = skip
		case x < 0.06:
			present[i] = survey.NA
		default:
			present[i] = 1
		}
	}
}

// presentSipas decides which criteria of the full form are answered:
// online services and feedback handling are often "not applicable".
func (g *gen) presentSipas(present []int, u *unitState, skipRate float64) {
	for i, c := range g.sipas.Criteria {
		na := 0.02
		switch {
		case c.Key == survey.OverallKey:
			present[i] = 1
			continue
		case strings.HasPrefix(c.Key, "online_"):
			na = u.naWeb + 0.1
		case strings.HasPrefix(c.Key, "feedback_"):
			na = 0.2
		}
		switch x := g.rng.Float64(); {
		case x < skipRate:
			present[i] = skip
		case x < skipRate+na:
			present[i] = survey.NA
		default:
			present[i] = 1
		}
	}
}

// facts answers the TT 01/2018 questions about the dossier: most citizens
// came once and dealt with the one-stop desk only; late dossiers needed
// more visits; a rare complaint.
func (g *gen) facts(r *survey.Response, late bool) {
	contacts := 0
	switch x := g.rng.Float64(); {
	case late && x < 0.4, x < 0.04:
		contacts = 2
	case late && x < 0.7, x < 0.18:
		contacts = 1
	}
	agencies := 1
	switch x := g.rng.Float64(); {
	case x < 0.1:
		agencies = 0
	case x < 0.14:
		agencies = 2
	}
	complaint := 0
	if g.rng.Float64() < 0.004 {
		complaint = 1
	}
	r.Facts["tt01_contacts"], r.Facts["tt01_agencies"], r.Facts["tt01_complaint"] = contacts, agencies, complaint
}
