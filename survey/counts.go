package survey

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// CountQuery selects pre-aggregated counts. Units are summed as given: the
// caller expands a subtree with Subtree.
type CountQuery struct {
	Dim               Dim       // DimBase for plain totals
	Units             []string  // units whose counts are summed
	From, To          time.Time // calendar days in the installation's zone, both inclusive
	Survey            string    // "" = every survey, criteria joined by key
	Channel           Channel   // 0 = every channel
	IncludeMisuse     bool      // count responses flagged misuse
	IncludeUnverified bool      // count responses flagged unverified
}

// Hist is the distribution of one criterion's answers: N[0] not applicable,
// N[1..Scale] the levels.
type Hist struct {
	Scale int
	N     [6]uint64
}

// Tally is the counts of one member of a dimension.
type Tally struct {
	Responses uint64           // responses with at least one valid answer
	Empty     uint64           // responses with only N/A or no answer
	Criteria  map[string]*Hist // by criterion key; key + "@3" if a key was asked on both scales
	// Reasons (DimBase only): reason key → times chosen, under criterion key
	// "" for all responses and under a criterion key for the responses that
	// answered that criterion negatively (≤ 2 of 5, 1 of 3).
	Reasons map[string]map[string]uint64
}

// Count sums the pre-aggregated blocks matching q; it never reads raw
// responses. The result is keyed by the dimension member's name: "" for
// DimBase, the counter, staff or procedure id, or "D-HH" (weekday 0 = Sunday,
// hour) for DimHour. Errors: EINVALID for a bad range.
func (db *DB) Count(q CountQuery) (map[string]*Tally, error) {
	loc := db.opts.Loc
	from, to := DayOf(q.From, loc), DayOf(q.To, loc)
	if from > to {
		return nil, FieldError("from", "Ngày bắt đầu sau ngày kết thúc. / from is after to.")
	}
	if to-from > 366*20 {
		return nil, FieldError("to", "Khoảng thời gian quá dài. / Range too long.")
	}
	periods := periodsOf(from, to)
	survey := uint32(0)
	if q.Survey != "" {
		if survey = db.dict.lookup(kindSurvey, q.Survey); survey == 0 {
			return map[string]*Tally{}, nil
		}
	}
	type acc struct {
		h       [6]uint64
		sub     uint32
		crit    uint32
		scale   uint8
		present bool
	}
	sums := map[uint64]*acc{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bAgg)
		for _, u := range q.Units {
			uid := db.dict.lookup(kindUnit, u)
			if uid == 0 {
				continue
			}
			for _, p := range periods {
				k := aggKey(q.Dim, uid, p)
				v := b.Get(k[:])
				if v == nil {
					continue
				}
				err := decodeBlock(v, func(c cell, h *hist) {
					if (survey != 0 && c.survey != survey) || (q.Channel != 0 && c.channel != uint8(q.Channel)) ||
						(!q.IncludeMisuse && c.flags&uint8(FlagMisuse) != 0) ||
						(!q.IncludeUnverified && c.flags&uint8(FlagUnverified) != 0) {
						return
					}
					k := uint64(c.sub)<<32 | uint64(c.crit)<<8 | uint64(c.scale)
					a := sums[k]
					if a == nil {
						a = &acc{sub: c.sub, crit: c.crit, scale: c.scale}
						sums[k] = a
					}
					for i := range h {
						a.h[i] += uint64(h[i])
					}
				})
				if err != nil {
					return fmt.Errorf("agg block: %w", err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	scales := map[uint64]uint8{} // sub, criterion → scales seen (bit set 3|5)
	for _, a := range sums {
		scales[uint64(a.sub)<<32|uint64(a.crit)] |= a.scale
	}
	out := map[string]*Tally{}
	for _, a := range sums {
		if a.scale == reasonScale {
			t := out[""]
			if t == nil {
				t = &Tally{Criteria: map[string]*Hist{}}
				out[""] = t
			}
			if t.Reasons == nil {
				t.Reasons = map[string]map[string]uint64{}
			}
			ck := db.dict.name(kindCriterion, a.crit)
			if t.Reasons[ck] == nil {
				t.Reasons[ck] = map[string]uint64{}
			}
			t.Reasons[ck][db.dict.name(kindReason, a.sub)] += a.h[1]
			continue
		}
		name := db.subName(q.Dim, a.sub)
		t := out[name]
		if t == nil {
			t = &Tally{Criteria: map[string]*Hist{}}
			out[name] = t
		}
		if a.crit == 0 {
			t.Empty += a.h[0]
			t.Responses += a.h[1]
			continue
		}
		key := db.dict.name(kindCriterion, a.crit)
		if a.scale == 3 && scales[uint64(a.sub)<<32|uint64(a.crit)] == 3|5 {
			key += "@3"
		}
		h := t.Criteria[key]
		if h == nil {
			h = &Hist{Scale: int(a.scale)}
			t.Criteria[key] = h
		}
		for i := range a.h {
			h.N[i] += a.h[i]
		}
	}
	return out, nil
}

func (db *DB) subName(dim Dim, sub uint32) string {
	switch dim {
	case DimCounter:
		return db.dict.name(kindCounter, sub)
	case DimStaff:
		return db.dict.name(kindStaff, sub)
	case DimProcedure:
		return db.dict.name(kindProcedure, sub)
	case DimHour:
		return fmt.Sprintf("%d-%02d", sub/24, sub%24)
	}
	return ""
}

// periodsOf covers the days from..to with whole-month blocks where a whole
// calendar month lies inside, and day blocks at the edges.
func periodsOf(from, to int32) []uint32 {
	var out []uint32
	for d := from; d <= to; {
		t := time.Unix(int64(d)*86400, 0).UTC()
		if t.Day() == 1 {
			next := t.AddDate(0, 1, 0)
			last := int32(next.Unix()/86400) - 1
			if last <= to {
				out = append(out, monthPeriod(t))
				d = last + 1
				continue
			}
		}
		out = append(out, uint32(d))
		d++
	}
	return out
}
