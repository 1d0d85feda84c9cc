package demo

import (
	"strings"

	"hailong/survey"
)

// How answers are drawn. Each criterion has a probability p of a satisfied
// answer (4–5): the agency's level at that date, plus the criterion's usual
// offset, plus the agency's own weak or strong points, plus a small
// morning/afternoon shift. A per-response mood scales every criterion's
// chance of dissatisfaction alike, so that one citizen's answers hang
// together; the overall question follows the mean of the others.

// critOffset is how each criterion usually sits against the level: results
// and posted procedures rate well, feedback handling and online services
// poorly.
var critOffset = map[string]float64{
	"access": 0, "facilities": -0.02, "timeliness": -0.03, "website": -0.06, "staff_guidance": 0,
	"access_info": 0.01, "access_signage": -0.01, "access_clean": 0.03,
	"proc_posted": 0.04, "proc_as_prescribed": 0.03,
	"staff_prompt": 0, "staff_rules": 0.04, "staff_attentive": -0.01,
	"result_on_time": 0.03, "result_complete": 0.04, "result_lawful": 0.05,
	"feedback_channel": -0.04, "feedback_easy": -0.06, "feedback_active": -0.07, "feedback_prompt": -0.08,
	"online_convenient": -0.04, "online_speed": -0.06, "online_easy": -0.05,
}

// unitOffset holds the agencies' own weak and strong points.
var unitOffset = map[string]map[string]float64{
	storyUnit: {"website": -0.08, "online_speed": -0.08, "online_easy": -0.07, "online_convenient": -0.05},
	groupBV:   {"timeliness": -0.10, "result_on_time": -0.05, "access_signage": -0.04},
	groupXa:   {"website": -0.03, "access_clean": -0.03, "facilities": -0.02},
}

// reasonsFor lists the reasons a citizen picks after a low answer.
var reasonsFor = map[string][]string{
	"overall": {"waited_long", "came_back", "other"}, "access": {"procedure_unclear"}, "access_info": {"procedure_unclear"},
	"access_signage": {"other"}, "access_clean": {"other"}, "facilities": {"had_to_stand"},
	"staff_attitude": {"staff_impolite"}, "staff_attentive": {"staff_impolite"}, "staff_rules": {"staff_impolite"},
	"staff_guidance": {"came_back", "procedure_unclear"}, "staff_prompt": {"waited_long", "came_back"},
	"timeliness": {"waited_long"}, "result_on_time": {"waited_long", "came_back"}, "result_complete": {"came_back"},
	"result_lawful": {"other"}, "proc_posted": {"procedure_unclear"}, "proc_as_prescribed": {"procedure_unclear"},
	"website": {"website_slow"}, "online_convenient": {"website_slow"}, "online_speed": {"website_slow"},
	"online_easy": {"website_slow", "procedure_unclear"},
}

var glassReasons = []string{"glass_partition", "had_to_stand"}

func (g *gen) offsets(u *unitState) {
	off := func(sv *survey.Survey) []float64 {
		out := make([]float64, len(sv.Criteria))
		for i, c := range sv.Criteria {
			out[i] = critOffset[c.Key] + unitOffset[u.a.id][c.Key] + unitOffset[u.a.group][c.Key]
		}
		return out
	}
	u.quayOff, u.sipasOff = off(g.quay), off(g.sipas)
	u.naWeb = map[string]float64{groupSo: 0.15, groupXa: 0.35, groupBV: 0.30}[u.a.group]
}

// level is the agency's level (0–1) on day: a straight line through its
// level of the year before at that year's middle and its level of the last
// year at this year's middle.
func (g *gen) level(u *unitState, day int32) float64 {
	x := float64(day-(g.last-547)) / 365
	return (u.a.prev + (u.a.last-u.a.prev)*x) / 100
}

// scoring is what one response's answers depend on.
type scoring struct {
	u     *unitState
	day   int32
	level float64
	shift float64     // time of day and week
	staff *staffState // nil when not known
	late  bool        // dossier returned late
}

// prob returns the chance that criterion key is answered 4 or 5.
func (g *gen) prob(s *scoring, key string, off float64) float64 {
	p := s.level + off + s.shift
	u := s.u
	switch {
	case key == "facilities" && u.a.id == storyUnit:
		p = 0.50 + s.shift
		if s.day >= g.rebuilt {
			p = 0.81 + s.shift
		}
	case u.a.id == slowWebUnit && (key == "website" || strings.HasPrefix(key, "online_")):
		p = 0.40 + s.shift
		if key == "online_convenient" {
			p = 0.48 + s.shift
		}
	case key == "staff_attitude":
		p = 0.86 + 0.4*(s.level-0.72) + s.shift
		if s.staff != nil {
			p += s.staff.manner
			if s.staff.distant {
				p = 0.55 + s.shift
			}
		}
		p = clamp(p, 0.5, 0.95)
	case s.staff != nil && s.staff.distant && strings.HasPrefix(key, "staff_"):
		p -= 0.12
	case key == "result_on_time" && s.late:
		p = 0.25
	}
	return clamp(p, 0.05, 0.985)
}

func clamp(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// skip marks a criterion left unanswered (present[i] in answer).
const skip = -1

// answer fills r.Answers, r.Reasons and r.Comment. present[i] is the
// answer state decided by the caller for criterion i: skip, survey.NA, or 1
// to be drawn.
func (g *gen) answer(r *survey.Response, sv *survey.Survey, off []float64, s *scoring, present []int) {
	var ps [survey.MaxCriteria]float64
	sum, n, overall := 0.0, 0, -1
	for i, c := range sv.Criteria {
		if c.Key == survey.OverallKey {
			overall = i
			continue
		}
		ps[i] = g.prob(s, c.Key, off[i])
		sum, n = sum+ps[i], n+1
	}
	if overall >= 0 {
		ps[overall] = clamp(s.level, 0.05, 0.985)
		if n > 0 {
			ps[overall] = clamp(sum/float64(n)+0.01+off[overall], 0.05, 0.985)
		}
	}
	u := g.rng.Float64()
	mood := 0.5 + 1.5*u*u // mean 1: most citizens content, a few grumpy about everything
	for i, c := range sv.Criteria {
		switch present[i] {
		case skip:
			continue
		case survey.NA:
			r.Answers[c.Key] = survey.NA
			continue
		}
		r.Answers[c.Key] = g.score(ps[i], mood, s.staff != nil && s.staff.distant && c.Key == "staff_attitude")
	}
	g.reasons(r, sv, s)
	g.comment(r, s)
}

// score draws a level from 1 to 5 with chance p of 4–5, scaled by mood.
func (g *gen) score(p, mood float64, harsh bool) int {
	q := clamp((1-p)*mood, 0.005, 0.97)
	u := g.rng.Float64()
	if sat := 1 - q; u < sat {
		if u < sat*(0.25+0.5*p) {
			return 5
		}
		return 4
	}
	v := (u - (1 - q)) / q
	neutral := 0.6
	if harsh {
		neutral = 0.3
	}
	switch {
	case v < neutral:
		return 3
	case v < neutral+(1-neutral)*0.6:
		return 2
	}
	return 1
}

// reasons picks one or two reasons when an answer is 2 or less: the first
// from the criteria other than overall when there are any.
func (g *gen) reasons(r *survey.Response, sv *survey.Survey, s *scoring) {
	var primary, all [12]string
	np, na := 0, 0
	add := func(list *[12]string, n *int, k string) {
		for _, x := range list[:*n] {
			if x == k {
				return
			}
		}
		if *n < len(list) {
			list[*n] = k
			*n++
		}
	}
	for _, c := range sv.Criteria {
		v, ok := r.Answers[c.Key]
		if !ok || v == survey.NA || v > 2 {
			continue
		}
		rs := reasonsFor[c.Key]
		if c.Key == "facilities" && s.u.a.id == storyUnit && s.day < g.rebuilt {
			rs = glassReasons
		}
		for _, k := range rs {
			if c.Key != survey.OverallKey {
				add(&primary, &np, k)
			}
			add(&all, &na, k)
		}
	}
	if na == 0 || g.rng.Float64() < 0.25 { // reason chips are optional
		return
	}
	if np == 0 {
		primary, np = all, na
	}
	first := primary[g.rng.Intn(np)]
	r.Reasons = append(r.Reasons, first)
	if na > 1 && g.rng.Float64() < 0.35 {
		if second := all[g.rng.Intn(na)]; second != first {
			r.Reasons = append(r.Reasons, second)
		}
	}
}

// comment writes a comment on about one response in twenty.
func (g *gen) comment(r *survey.Response, s *scoring) {
	x := g.rng.Float64()
	switch {
	case len(r.Reasons) > 0 && x < 0.11:
		r.Comment = pick(g.rng, commentsByReason[r.Reasons[0]])
	case len(r.Reasons) == 0 && r.Answers[survey.OverallKey] >= 4 && x < 0.022:
		if s.u.a.id == storyUnit && s.day >= g.rebuilt && g.rng.Intn(3) == 0 {
			r.Comment = pick(g.rng, commentsRebuilt)
		} else {
			r.Comment = pick(g.rng, commentsGood)
		}
	default:
		return
	}
	switch y := g.rng.Float64(); {
	case y < 0.04:
		r.Comment = strings.Replace(pick(g.rng, commentsContact), "%s", phone(g.rng), 1)
	case y < 0.045:
		r.Comment = pick(g.rng, emailComments)
	}
}
