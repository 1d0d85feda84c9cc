package pg

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"hailong/survey"
)

// Counts are pre-aggregated rows of the counts table, one per cell (the
// cells of a bbolt count block, survey/bolt/counts_block.go, with names
// instead of interned ids): a response adds to the cells of its unit, day
// and month in each dimension. A transaction sums its changes in memory
// (aggDelta) and writes each touched cell once, by one upsert.

// cellKey is one count cell.
type cellKey struct {
	unit                  string
	period                int32 // day number, or monthPeriod
	dim                   survey.Dim
	sub, survey, crit     string
	channel, flags, scale int16
}

type hist [6]int64

// reasonScale marks reason cells: Sub is the reason, N[1] the times chosen
// (crit "" for all responses, a criterion answered negatively otherwise).
const reasonScale = 1

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

// sortedKeys returns the cells in primary-key order, so that concurrent
// transactions lock rows in one order.
func (a *aggDelta) sortedKeys() []cellKey {
	keys := make([]cellKey, 0, len(a.cells))
	for k, h := range a.cells {
		if *h != (hist{}) {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].less(keys[j]) })
	return keys
}

func (a cellKey) less(b cellKey) bool {
	if a.dim != b.dim {
		return a.dim < b.dim
	}
	if c := strings.Compare(a.unit, b.unit); c != 0 {
		return c < 0
	}
	if a.period != b.period {
		return a.period < b.period
	}
	for _, c := range [...]int{strings.Compare(a.sub, b.sub), strings.Compare(a.survey, b.survey), strings.Compare(a.crit, b.crit)} {
		if c != 0 {
			return c < 0
		}
	}
	if a.channel != b.channel {
		return a.channel < b.channel
	}
	if a.flags != b.flags {
		return a.flags < b.flags
	}
	return a.scale < b.scale
}

// flush adds the deltas to the counts table in one upsert.
func (a *aggDelta) flush(tx *wtx) error {
	keys := a.sortedKeys()
	if len(keys) == 0 {
		return nil
	}
	n := len(keys)
	units, subs, surveys, crits := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	periods := make([]int32, n)
	dims, chans, flags, scales := make([]int16, n), make([]int16, n), make([]int16, n), make([]int16, n)
	var ns [6][]int64
	for i := range ns {
		ns[i] = make([]int64, n)
	}
	for i, k := range keys {
		units[i], periods[i], dims[i], subs[i], surveys[i], crits[i] = k.unit, k.period, int16(k.dim), k.sub, k.survey, k.crit
		chans[i], flags[i], scales[i] = k.channel, k.flags, k.scale
		h := a.cells[k]
		for j := range ns {
			ns[j][i] = h[j]
		}
	}
	_, err := tx.exec(`INSERT INTO counts (unit, period, dim, sub, survey, crit, channel, flags, scale, n0, n1, n2, n3, n4, n5)
		SELECT * FROM unnest($1::text[], $2::int[], $3::smallint[], $4::text[], $5::text[], $6::text[], $7::smallint[],
			$8::smallint[], $9::smallint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[])
		ON CONFLICT (dim, unit, period, sub, survey, crit, channel, flags, scale) DO UPDATE SET
			n0 = counts.n0 + excluded.n0, n1 = counts.n1 + excluded.n1, n2 = counts.n2 + excluded.n2,
			n3 = counts.n3 + excluded.n3, n4 = counts.n4 + excluded.n4, n5 = counts.n5 + excluded.n5`,
		units, periods, dims, subs, surveys, crits, chans, flags, scales, ns[0], ns[1], ns[2], ns[3], ns[4], ns[5])
	a.cells = map[cellKey]*hist{}
	return err
}
