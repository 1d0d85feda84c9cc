package pg

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"hailong/survey"
	"hailong/survey/countblock"
)

// Count sums the pre-aggregated blocks of q's units and periods, read in
// one query; it never reads raw responses. Errors: EINVALID for a bad range.
func (db *DB) Count(q survey.CountQuery) (map[string]*survey.Tally, error) {
	out, err := db.CountMany([]survey.CountQuery{q})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// countAsk is one query of CountMany, checked: its survey id and periods.
type countAsk struct {
	q       survey.CountQuery
	svy     uint32
	known   bool
	periods []int32
}

// blockKey is one count_blocks row of a dimension.
type blockKey struct {
	dim    survey.Dim
	unit   string
	period int32
}

// CountMany answers several queries with one round trip: the blocks of
// every query's units and periods, per dimension, are read in one batch
// and each query sums its own. The answers are Count's, in order. Errors:
// EINVALID for a bad range (in any query).
func (db *DB) CountMany(qs []survey.CountQuery) ([]map[string]*survey.Tally, error) {
	asks := make([]countAsk, len(qs))
	for i, q := range qs {
		a, err := db.countAsk(q)
		if err != nil {
			return nil, err
		}
		asks[i] = a
	}
	blocks, err := db.readBlocks(asks)
	if err != nil {
		return nil, fmt.Errorf("counts: %w", err)
	}
	out := make([]map[string]*survey.Tally, len(asks))
	for i, a := range asks {
		if !a.known {
			out[i] = map[string]*survey.Tally{}
			continue
		}
		if out[i], err = db.sumAsk(a, blocks); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// countAsk checks q and resolves its survey and periods.
func (db *DB) countAsk(q survey.CountQuery) (countAsk, error) {
	loc := db.opts.Loc
	from, to := survey.DayOf(q.From, loc), survey.DayOf(q.To, loc)
	if from > to {
		return countAsk{}, survey.FieldError("from", "Ngày bắt đầu sau ngày kết thúc. / from is after to.")
	}
	if to-from > 366*20 {
		return countAsk{}, survey.FieldError("to", "Khoảng thời gian quá dài. / Range too long.")
	}
	if q.Dim == 0 {
		q.Dim = survey.DimBase
	}
	svy, known, err := db.lookup(q.Survey)
	if err != nil {
		return countAsk{}, err
	}
	return countAsk{q: q, svy: svy, known: known, periods: periodsOf(from, to)}, nil
}

// readBlocks reads the blocks of every ask's units and periods: one
// statement per dimension asked, sent as one batch.
func (db *DB) readBlocks(asks []countAsk) (map[blockKey][]byte, error) {
	type want struct {
		units   map[string]bool
		periods map[int32]bool
	}
	wants := map[survey.Dim]*want{}
	var dims []survey.Dim
	for _, a := range asks {
		if !a.known {
			continue
		}
		w := wants[a.q.Dim]
		if w == nil {
			w = &want{map[string]bool{}, map[int32]bool{}}
			wants[a.q.Dim] = w
			dims = append(dims, a.q.Dim)
		}
		for _, u := range a.q.Units {
			w.units[u] = true
		}
		for _, p := range a.periods {
			w.periods[p] = true
		}
	}
	out := map[blockKey][]byte{}
	if len(dims) == 0 {
		return out, nil
	}
	b := &pgx.Batch{}
	for _, d := range dims {
		units, periods := make([]string, 0, len(wants[d].units)), make([]int32, 0, len(wants[d].periods))
		for u := range wants[d].units {
			units = append(units, u)
		}
		for p := range wants[d].periods {
			periods = append(periods, p)
		}
		b.Queue("SELECT unit, period, block FROM count_blocks WHERE dim = $1 AND unit = ANY($2) AND period = ANY($3)",
			int16(d), units, periods)
	}
	res := db.pool.SendBatch(ctx(), b)
	for _, d := range dims {
		rows, err := res.Query()
		if err != nil {
			res.Close()
			return nil, err
		}
		var unit string
		var period int32
		var block []byte
		if _, err := pgx.ForEachRow(rows, []any{&unit, &period, &block}, func() error {
			if len(block) > 0 {
				out[blockKey{d, unit, period}] = block
			}
			return nil
		}); err != nil {
			res.Close()
			return nil, err
		}
	}
	return out, res.Close()
}

// sumAsk sums a's blocks and names the result.
func (db *DB) sumAsk(a countAsk, blocks map[blockKey][]byte) (map[string]*survey.Tally, error) {
	sums, flagged, err := sumBlocks(a, blocks)
	if err != nil {
		return nil, fmt.Errorf("counts: %w", err)
	}
	ids := map[uint32]bool{}
	for k := range sums {
		ids[k.sub], ids[k.crit] = true, true
	}
	for sub := range flagged {
		ids[sub] = true
	}
	names, err := db.nameOf(ids)
	if err != nil {
		return nil, fmt.Errorf("count names: %w", err)
	}
	named, namedX := map[sumKey]*[6]uint64{}, map[string]*survey.Exclusions{}
	for k, h := range sums {
		named[sumKey{names[k.sub], names[k.crit], int16(k.scale)}] = h
	}
	for sub, x := range flagged {
		namedX[names[sub]] = x
	}
	return tallies(named, namedX), nil
}

// idSum is one summed cell by ids: a member's histogram of one criterion on
// one scale.
type idSum struct {
	sub, crit uint32
	scale     uint8
}

// sumBlocks adds up the cells of a's blocks that pass its filters.
func sumBlocks(a countAsk, blocks map[blockKey][]byte) (map[idSum]*[6]uint64, map[uint32]*survey.Exclusions, error) {
	q, svy := a.q, a.svy
	sums, flagged := map[idSum]*[6]uint64{}, map[uint32]*survey.Exclusions{}
	add := func(c countblock.Cell, h *hist) {
		if q.Survey != "" && c.Svy != svy || q.Channel != 0 && c.Channel != uint8(q.Channel) {
			return
		}
		if c.Crit == 0 && c.Scale == 0 && h[1] != 0 {
			x := flagged[c.Sub]
			if x == nil {
				x = &survey.Exclusions{}
				flagged[c.Sub] = x
			}
			if n := x.Of(survey.Flags(c.Flags), q.IncludeMisuse, q.IncludeUnverified); n != nil {
				*n += uint64(h[1])
			}
		}
		if !q.IncludeMisuse && c.Flags&uint8(survey.FlagMisuse) != 0 || !q.IncludeUnverified && c.Flags&uint8(survey.FlagUnverified) != 0 {
			return
		}
		k := idSum{c.Sub, c.Crit, c.Scale}
		s := sums[k]
		if s == nil {
			s = &[6]uint64{}
			sums[k] = s
		}
		for i := range h {
			s[i] += uint64(h[i])
		}
	}
	seen := map[string]bool{} // a unit listed twice is summed once, as the SQL's ANY did
	for _, u := range q.Units {
		if seen[u] {
			continue
		}
		seen[u] = true
		for _, p := range a.periods {
			if v := blocks[blockKey{q.Dim, u, p}]; v != nil {
				if err := countblock.Decode(v, add); err != nil {
					return nil, nil, err
				}
			}
		}
	}
	return sums, flagged, nil
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
		ids, err := db.intern(a.names())
		if err != nil {
			return fmt.Errorf("count names: %w", err)
		}
		if _, err := tx.exec("DELETE FROM count_blocks"); err != nil {
			return err
		}
		return a.byBlock(ids).copyFresh(tx)
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
// stored blocks' cells (cells at zero count as absent); nothing is changed.
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
		stored, err := storedCells(tx)
		if err != nil {
			return err
		}
		equal = len(stored) == len(want)
		for k, h := range stored {
			if want[k] != h {
				equal = false
			}
		}
		return nil
	})
	return equal, err
}

// storedCells decodes every stored block into cells by name.
func storedCells(tx pgx.Tx) (map[cellKey]hist, error) {
	ids, err := scanNames(tx.Query(ctx(), "SELECT id, name FROM count_names"))
	if err != nil {
		return nil, err
	}
	names := map[uint32]string{0: ""}
	for n, id := range ids {
		names[id] = n
	}
	rows, err := tx.Query(ctx(), "SELECT dim, unit, period, block FROM count_blocks")
	if err != nil {
		return nil, err
	}
	out := map[cellKey]hist{}
	var b blockID
	var v []byte
	_, err = pgx.ForEachRow(rows, []any{&b.dim, &b.unit, &b.period, &v}, func() error {
		if len(v) == 0 {
			return nil
		}
		return countblock.Decode(v, func(c countblock.Cell, h *hist) {
			out[cellKey{unit: b.unit, period: b.period, dim: survey.Dim(b.dim), sub: names[c.Sub], survey: names[c.Svy],
				crit: names[c.Crit], channel: int16(c.Channel), flags: int16(c.Flags), scale: int16(c.Scale)}] = *h
		})
	})
	return out, err
}

// convertCounts is migration 3's step: the cell rows of the counts table
// become blocks, and the table goes. It reads one unit and dimension at a
// time, so that a large table never sits in memory whole.
func convertCounts(c context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(c, `INSERT INTO count_names (name)
		SELECT n FROM (SELECT sub AS n FROM counts UNION SELECT survey FROM counts UNION SELECT crit FROM counts) x
		WHERE n <> '' ORDER BY n`); err != nil {
		return err
	}
	ids, err := scanNames(tx.Query(c, "SELECT id, name FROM count_names"))
	if err != nil {
		return err
	}
	rows, err := tx.Query(c, "SELECT DISTINCT dim, unit FROM counts ORDER BY dim, unit")
	if err != nil {
		return err
	}
	var parts []blockID
	var p blockID
	if _, err := pgx.ForEachRow(rows, []any{&p.dim, &p.unit}, func() error {
		parts = append(parts, p)
		return nil
	}); err != nil {
		return err
	}
	for _, p := range parts {
		a, err := cellsOf(c, tx, p.dim, p.unit)
		if err != nil {
			return err
		}
		if err := a.byBlock(ids).copyFresh(tx); err != nil {
			return err
		}
	}
	_, err = tx.Exec(c, "DROP TABLE counts")
	return err
}

// cellsOf reads the non-zero cell rows of one unit and dimension from
// schema 2's counts table.
func cellsOf(c context.Context, tx pgx.Tx, dim int16, unit string) (*aggDelta, error) {
	rows, err := tx.Query(c, `SELECT period, sub, survey, crit, channel, flags, scale, n0, n1, n2, n3, n4, n5
		FROM counts WHERE dim = $1 AND unit = $2 AND (n0, n1, n2, n3, n4, n5) <> (0, 0, 0, 0, 0, 0)`, dim, unit)
	if err != nil {
		return nil, err
	}
	a := newAggDelta()
	k := cellKey{unit: unit, dim: survey.Dim(dim)}
	var h hist
	_, err = pgx.ForEachRow(rows, []any{&k.period, &k.sub, &k.survey, &k.crit, &k.channel, &k.flags, &k.scale,
		&h[0], &h[1], &h[2], &h[3], &h[4], &h[5]}, func() error {
		hh := h
		a.cells[k] = &hh
		return nil
	})
	return a, err
}
