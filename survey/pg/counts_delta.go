package pg

import (
	"fmt"
	"time"

	"hailong/survey"
	"hailong/survey/countblock"
)

// Counts are pre-aggregated cells packed into blocks, one row of
// count_blocks per unit, period and dimension, in bbolt's block encoding
// (survey/countblock; names interned in count_names): a response adds to
// the cells of its unit, day and month in each dimension. A transaction sums
// its changes in memory (aggDelta, by name) and writes each touched block
// once (counts_write.go).

// cellKey is one count cell.
type cellKey struct {
	unit                  string
	period                int32 // day number, or monthPeriod
	dim                   survey.Dim
	sub, survey, crit     string
	channel, flags, scale int16
}

type hist = countblock.Hist

// reasonScale marks reason cells: sub is the reason, N[1] the times chosen
// (crit "" for all responses, a criterion answered negatively otherwise).
const reasonScale = countblock.ReasonScale

// monthPeriod is the period of a calendar month: negative, so it never
// meets a day number.
func monthPeriod(t time.Time) int32 { return -int32(t.Year()*12 + int(t.Month())) }

type aggDelta struct{ cells map[cellKey]*hist }

func newAggDelta() *aggDelta { return &aggDelta{cells: map[cellKey]*hist{}} }

func (a *aggDelta) bump(k cellKey, level int, by int64) {
	h := a.cells[k]
	if h == nil {
		h = &hist{}
		a.cells[k] = h
	}
	h[level] += by
}

// hourSub names the DimHour member of local time t: "D-HH", weekday 0 = Sunday.
func hourSub(t time.Time) string { return fmt.Sprintf("%d-%02d", int(t.Weekday()), t.Hour()) }

// add counts (sign +1) or uncounts (−1) one stored response of version sv.
func (a *aggDelta) add(r *survey.Response, sv *survey.Survey, loc *time.Location, sign int64) {
	t := time.Unix(0, int64(r.Key)).In(loc)
	periods := [2]int32{survey.DayOf(t, loc), monthPeriod(t)}
	subs := [...]struct {
		dim survey.Dim
		sub string
	}{{survey.DimBase, ""}, {survey.DimCounter, r.Counter}, {survey.DimStaff, r.Staff},
		{survey.DimProcedure, r.Procedure}, {survey.DimHour, hourSub(t)}}
	valid := 0
	for _, v := range r.Answers {
		if v != survey.NA {
			valid = 1
			break
		}
	}
	flags := int16(r.Flags & (survey.NumFlagClasses - 1))
	for _, s := range subs {
		if s.sub == "" && s.dim != survey.DimBase {
			continue
		}
		for _, p := range periods {
			base := cellKey{unit: r.Unit, period: p, dim: s.dim, sub: s.sub, survey: r.Survey, channel: int16(r.Channel), flags: flags}
			a.bump(base, valid, sign)
			for _, c := range sv.Criteria {
				v, ok := r.Answers[c.Key]
				if !ok {
					continue
				}
				k := base
				k.crit, k.scale = c.Key, int16(c.Scale)
				a.bump(k, v, sign)
			}
			if s.dim == survey.DimBase {
				a.addReasons(base, r, sv, sign)
			}
		}
	}
}

func (a *aggDelta) addReasons(base cellKey, r *survey.Response, sv *survey.Survey, sign int64) {
	for _, reason := range r.Reasons {
		k := base
		k.sub, k.scale = reason, reasonScale
		a.bump(k, 1, sign)
		for _, c := range sv.Criteria {
			if v, ok := r.Answers[c.Key]; ok && survey.Negative(c.Scale, v) {
				k.crit = c.Key
				a.bump(k, 1, sign)
			}
		}
	}
}
