package bolt

import (
	"fmt"
	"hailong/survey"
	"hailong/survey/countblock"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// Count sums the pre-aggregated blocks matching q; it never reads raw
// responses. The result is keyed by the dimension member's name: "" for
// DimBase, the counter, staff or procedure id, or "D-HH" (weekday 0 = Sunday,
// hour) for DimHour. Errors: EINVALID for a bad range.
func (db *DB) Count(q survey.CountQuery) (map[string]*survey.Tally, error) {
	loc := db.opts.Loc
	from, to := survey.DayOf(q.From, loc), survey.DayOf(q.To, loc)
	if from > to {
		return nil, survey.FieldError("from", "Ngày bắt đầu sau ngày kết thúc. / from is after to.")
	}
	if to-from > 366*20 {
		return nil, survey.FieldError("to", "Khoảng thời gian quá dài. / Range too long.")
	}
	svy := uint32(0)
	if q.Survey != "" {
		if svy = db.dict.lookup(kindSurvey, q.Survey); svy == 0 {
			return map[string]*survey.Tally{}, nil
		}
	}
	sums, flagged, err := db.sumBlocks(q, svy, periodsOf(from, to))
	if err != nil {
		return nil, err
	}
	return db.tallies(q.Dim, sums, flagged), nil
}

// CountMany answers several queries, in order: Count's answers, each read
// from the mapped file (one query at a time costs nothing more here).
func (db *DB) CountMany(qs []survey.CountQuery) ([]map[string]*survey.Tally, error) {
	out := make([]map[string]*survey.Tally, len(qs))
	for i, q := range qs {
		t, err := db.Count(q)
		if err != nil {
			return nil, err
		}
		out[i] = t
	}
	return out, nil
}

// countSum is one summed cell: a member's histogram of one criterion on one
// scale (reasonScale: a reason chosen, with a criterion answered negatively).
type countSum struct {
	h     [6]uint64
	sub   uint32
	crit  uint32
	scale uint8
}

// sumBlocks adds up the cells of q's units and periods that pass its
// filters, keyed by member, criterion and scale.
func (db *DB) sumBlocks(q survey.CountQuery, svy uint32, periods []uint32) (map[uint64]*countSum, map[uint32]*survey.Exclusions, error) {
	sums, flagged := map[uint64]*countSum{}, map[uint32]*survey.Exclusions{}
	selected := func(c cell) bool {
		return (svy == 0 || c.Svy == svy) && (q.Channel == 0 || c.Channel == uint8(q.Channel))
	}
	included := func(c cell) bool {
		return (q.IncludeMisuse || c.Flags&uint8(survey.FlagMisuse) == 0) &&
			(q.IncludeUnverified || c.Flags&uint8(survey.FlagUnverified) == 0)
	}
	err := db.bolt.View(func(tx *bbolt.Tx) error {
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
				err := countblock.Decode(v, func(c cell, h *hist) {
					if !selected(c) {
						return
					}
					if c.Crit == 0 && c.Scale == 0 && h[1] != 0 {
						// the responses with a valid answer, by why they are left out
						x := flagged[c.Sub]
						if x == nil {
							x = &survey.Exclusions{}
							flagged[c.Sub] = x
						}
						if n := x.Of(survey.Flags(c.Flags), q.IncludeMisuse, q.IncludeUnverified); n != nil {
							*n += uint64(h[1])
						}
					}
					if !included(c) {
						return
					}
					k := uint64(c.Sub)<<32 | uint64(c.Crit)<<8 | uint64(c.Scale)
					a := sums[k]
					if a == nil {
						a = &countSum{sub: c.Sub, crit: c.Crit, scale: c.Scale}
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
	return sums, flagged, err
}

// tallies names the summed cells: members, criterion keys (key + "@3" when
// a member has the key on both scales), reasons and exclusions.
func (db *DB) tallies(dim survey.Dim, sums map[uint64]*countSum, flagged map[uint32]*survey.Exclusions) map[string]*survey.Tally {
	scales := map[uint64]uint8{} // sub, criterion → scales seen (bit set 3|5)
	for _, a := range sums {
		scales[uint64(a.sub)<<32|uint64(a.crit)] |= a.scale
	}
	out := map[string]*survey.Tally{}
	tally := func(name string) *survey.Tally {
		t := out[name]
		if t == nil {
			t = &survey.Tally{Criteria: map[string]*survey.Hist{}}
			out[name] = t
		}
		return t
	}
	for sub, x := range flagged {
		if *x != (survey.Exclusions{}) {
			tally(db.subName(dim, sub)).Excluded = *x
		}
	}
	for _, a := range sums {
		if a.scale == reasonScale {
			t := tally("")
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
		t := tally(db.subName(dim, a.sub))
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
			h = &survey.Hist{Scale: int(a.scale)}
			t.Criteria[key] = h
		}
		for i := range a.h {
			h.N[i] += a.h[i]
		}
	}
	return out
}

func (db *DB) subName(dim survey.Dim, sub uint32) string {
	switch dim {
	case survey.DimCounter:
		return db.dict.name(kindCounter, sub)
	case survey.DimStaff:
		return db.dict.name(kindStaff, sub)
	case survey.DimProcedure:
		return db.dict.name(kindProcedure, sub)
	case survey.DimHour:
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

// Reindex rebuilds the pre-aggregated counts from the raw responses, in one
// transaction: readers see the old counts or the new, never a mix.
func (db *DB) Reindex() (int, error) {
	n := 0
	err := db.update(func(tx *bbolt.Tx) error {
		var err error
		n, err = db.rebuildAgg(tx, bAgg)
		return err
	})
	return n, err
}

// CheckAgg rebuilds the counts into a scratch bucket and reports whether
// they equal the stored ones; nothing is changed.
func (db *DB) CheckAgg() (bool, error) {
	equal := false
	err := db.update(func(tx *bbolt.Tx) error {
		scratch := []byte("agg-check")
		if _, err := db.rebuildAgg(tx, scratch); err != nil {
			return err
		}
		equal = aggEqual(tx.Bucket(bAgg), tx.Bucket(scratch))
		return errRollback
	})
	if err == errRollback {
		err = nil
	}
	return equal, err
}

var errRollback = fmt.Errorf("rollback")

func (db *DB) rebuildAgg(tx *bbolt.Tx, name []byte) (int, error) {
	if tx.Bucket(name) != nil {
		if err := tx.DeleteBucket(name); err != nil {
			return 0, err
		}
	}
	if _, err := tx.CreateBucket(name); err != nil {
		return 0, err
	}
	w := db.newTxWriter(tx)
	n := 0
	c := tx.Bucket(bResponses).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		r, err := decodeRec(k, v, db.ncrit)
		if err != nil {
			return n, fmt.Errorf("response %x: %w", k, err)
		}
		sv := db.Survey(db.dict.name(kindSurvey, r.svy), int(r.version))
		crits, err := w.critIDs(sv)
		if err != nil {
			return n, err
		}
		w.agg.add(r, sv, crits, db.opts.Loc, 1)
		n++
	}
	if string(name) == string(bAgg) {
		db.blocks.clear()
		tx.OnCommit(db.blocks.clear)
	}
	return n, w.agg.flush(tx, tx.Bucket(name), nil, false)
}
