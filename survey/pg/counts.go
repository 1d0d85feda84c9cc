package pg

import (
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
)

// Count sums the pre-aggregated cells matching q; it never reads raw
// responses. Errors: EINVALID for a bad range.
func (db *DB) Count(q survey.CountQuery) (map[string]*survey.Tally, error) {
	loc := db.opts.Loc
	from, to := survey.DayOf(q.From, loc), survey.DayOf(q.To, loc)
	if from > to {
		return nil, survey.FieldError("from", "Ngày bắt đầu sau ngày kết thúc. / from is after to.")
	}
	if to-from > 366*20 {
		return nil, survey.FieldError("to", "Khoảng thời gian quá dài. / Range too long.")
	}
	dim := q.Dim
	if dim == 0 {
		dim = survey.DimBase
	}
	rows, err := db.pool.Query(ctx(), `SELECT sub, crit, scale, flags, sum(n0), sum(n1), sum(n2), sum(n3), sum(n4), sum(n5)
		FROM counts WHERE dim = $1 AND unit = ANY($2) AND period = ANY($3) AND ($4 = '' OR survey = $4) AND ($5 = 0 OR channel = $5)
		GROUP BY sub, crit, scale, flags`, int16(dim), q.Units, periodsOf(from, to), q.Survey, int16(q.Channel))
	if err != nil {
		return nil, err
	}
	sums, flagged := map[sumKey]*[6]uint64{}, map[string]*survey.Exclusions{}
	var (
		k     sumKey
		flags int16
		h     [6]int64
	)
	_, err = pgx.ForEachRow(rows, []any{&k.sub, &k.crit, &k.scale, &flags, &h[0], &h[1], &h[2], &h[3], &h[4], &h[5]}, func() error {
		if k.crit == "" && k.scale == 0 && h[1] != 0 {
			x := flagged[k.sub]
			if x == nil {
				x = &survey.Exclusions{}
				flagged[k.sub] = x
			}
			if n := x.Of(survey.Flags(flags), q.IncludeMisuse, q.IncludeUnverified); n != nil {
				*n += uint64(h[1])
			}
		}
		if !q.IncludeMisuse && flags&int16(survey.FlagMisuse) != 0 || !q.IncludeUnverified && flags&int16(survey.FlagUnverified) != 0 {
			return nil
		}
		a := sums[k]
		if a == nil {
			a = &[6]uint64{}
			sums[k] = a
		}
		for i := range h {
			a[i] += uint64(h[i])
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("counts: %w", err)
	}
	return tallies(sums, flagged), nil
}

// sumKey is one summed cell: a member's histogram of one criterion on one
// scale (reasonScale: a reason, sub = its key).
type sumKey struct {
	sub, crit string
	scale     int16
}

// tallies names the summed cells (key + "@3" when a member has the key on
// both scales), reasons and exclusions, as survey/bolt does.
func tallies(sums map[sumKey]*[6]uint64, flagged map[string]*survey.Exclusions) map[string]*survey.Tally {
	type sc struct{ sub, crit string }
	scales := map[sc]int16{}
	for k := range sums {
		scales[sc{k.sub, k.crit}] |= k.scale
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
			tally(sub).Excluded = *x
		}
	}
	for k, h := range sums {
		if k.scale == reasonScale {
			t := tally("")
			if t.Reasons == nil {
				t.Reasons = map[string]map[string]uint64{}
			}
			if t.Reasons[k.crit] == nil {
				t.Reasons[k.crit] = map[string]uint64{}
			}
			t.Reasons[k.crit][k.sub] += h[1]
			continue
		}
		t := tally(k.sub)
		if k.crit == "" {
			t.Empty += h[0]
			t.Responses += h[1]
			continue
		}
		key := k.crit
		if k.scale == 3 && scales[sc{k.sub, k.crit}] == 3|5 {
			key += "@3"
		}
		hh := t.Criteria[key]
		if hh == nil {
			hh = &survey.Hist{Scale: int(k.scale)}
			t.Criteria[key] = hh
		}
		for i := range h {
			hh.N[i] += h[i]
		}
	}
	return out
}

// periodsOf covers the days from..to with whole-month periods where a whole
// calendar month lies inside, and days at the edges.
func periodsOf(from, to int32) []int32 {
	var out []int32
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
		out = append(out, d)
		d++
	}
	return out
}

// Reindex rebuilds the counts from the raw responses in one transaction:
// readers see the old counts or the new, never a mix.
func (db *DB) Reindex() (int, error) {
	n := 0
	err := db.update(func(tx *wtx) error {
		a, count, err := db.rebuild(tx)
		if err != nil {
			return err
		}
		n = count
		if _, err := tx.exec("DELETE FROM counts"); err != nil {
			return err
		}
		return a.flush(tx)
	})
	return n, err
}

// rebuild tallies every stored response anew.
func (db *DB) rebuild(tx pgx.Tx) (*aggDelta, int, error) {
	a, n := newAggDelta(), 0
	s := db.snap()
	rows, err := tx.Query(ctx(), "SELECT "+responseCols+" FROM responses")
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanResponse(rows)
		if err != nil {
			return nil, n, err
		}
		sv := s.survey(r.Survey, r.Version)
		if sv == nil {
			return nil, n, fmt.Errorf("response %d: survey %s v%d missing", r.Key, r.Survey, r.Version)
		}
		a.add(r, sv, db.opts.Loc, 1)
		n++
	}
	return a, n, rows.Err()
}

// CheckAgg rebuilds the counts in memory and reports whether they equal the
// stored ones (cells at zero count as absent); nothing is changed.
func (db *DB) CheckAgg() (bool, error) {
	equal := false
	err := db.view(func(tx pgx.Tx) error {
		a, _, err := db.rebuild(tx)
		if err != nil {
			return err
		}
		want := map[cellKey]hist{}
		for k, h := range a.cells {
			if *h != (hist{}) {
				want[k] = *h
			}
		}
		rows, err := tx.Query(ctx(), `SELECT unit, period, dim, sub, survey, crit, channel, flags, scale, n0, n1, n2, n3, n4, n5
			FROM counts WHERE (n0, n1, n2, n3, n4, n5) <> (0, 0, 0, 0, 0, 0)`)
		if err != nil {
			return err
		}
		var k cellKey
		var h hist
		var dim int16
		stored := 0
		same := true
		_, err = pgx.ForEachRow(rows, []any{&k.unit, &k.period, &dim, &k.sub, &k.survey, &k.crit, &k.channel, &k.flags, &k.scale,
			&h[0], &h[1], &h[2], &h[3], &h[4], &h[5]}, func() error {
			k.dim = survey.Dim(dim)
			stored++
			if want[k] != h {
				same = false
			}
			return nil
		})
		equal = err == nil && same && stored == len(want)
		return err
	})
	return equal, err
}
