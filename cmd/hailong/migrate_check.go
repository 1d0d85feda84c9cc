package main

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"time"

	"hailong/survey"
)

// migrateSample is how many raw responses are compared field by field.
const migrateSample = 1000

// checkMigration compares the two stores after a copy and prints what it
// compared; any difference is an error.
func checkMigration(src, dst survey.Store, out io.Writer) error {
	var problems []string
	note := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	if a, b := src.ResponseCount(), dst.ResponseCount(); a != b {
		note("responses: %d in the source, %d in the target", a, b)
	}
	if a, b := src.IdemCount(), dst.IdemCount(); a != b {
		note("idempotency keys: %d in the source, %d in the target", a, b)
	}
	fmt.Fprintf(out, "checked: response count %d, idempotency keys %d\n", dst.ResponseCount(), dst.IdemCount())
	queries, err := compareCounts(src, dst, note)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "checked: %d count queries (each unit × month × dimension × with and without flagged responses)\n", queries)
	for _, side := range []struct {
		name string
		db   survey.Store
	}{{"source", src}, {"target", dst}} {
		if ok, err := side.db.CheckAgg(); err != nil {
			return err
		} else if !ok {
			note("the %s's counts differ from a rebuild of its responses", side.name)
		}
	}
	fmt.Fprintln(out, "checked: on both sides the counts equal a rebuild from the responses (CheckAgg)")
	fmt.Fprintf(out, "checked: %d logins, %d API tokens, %d kiosks\n", compareUsers(src, dst, note), len(dst.Tokens()), len(dst.Kiosks()))
	n, err := compareSample(src, dst, note)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "checked: %d raw responses chosen at random, field by field\n", n)
	if err := compareCases(src, dst, out, note); err != nil {
		return err
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(out, "DIFFERENT:", p)
		}
		return fmt.Errorf("the target differs from the source in %d checks", len(problems))
	}
	fmt.Fprintln(out, "OK: the target holds what the source holds")
	return nil
}

// compareCounts asks both stores the same count queries: every unit, every
// month since the first response, every dimension, with flagged responses
// and without.
func compareCounts(src, dst survey.Store, note func(string, ...any)) (int, error) {
	first := src.FirstResponseAt()
	if first.IsZero() {
		return 0, nil
	}
	loc := src.Loc()
	end := src.Now().In(loc)
	n := 0
	for _, u := range src.Units() {
		for m := time.Date(first.In(loc).Year(), first.In(loc).Month(), 1, 0, 0, 0, 0, loc); !m.After(end); m = m.AddDate(0, 1, 0) {
			for dim := survey.DimBase; dim <= survey.DimHour; dim++ {
				for _, all := range []bool{false, true} {
					q := survey.CountQuery{Dim: dim, Units: []string{u.ID}, From: m, To: m.AddDate(0, 1, -1), IncludeMisuse: all, IncludeUnverified: all}
					a, err := src.Count(q)
					if err != nil {
						return n, err
					}
					b, err := dst.Count(q)
					if err != nil {
						return n, err
					}
					if n++; canonCounts(a) != canonCounts(b) {
						note("counts of %s in %s, dimension %d (flagged included: %v): %s / %s", u.ID, m.Format("2006-01"), dim, all, canonCounts(a), canonCounts(b))
					}
				}
			}
		}
	}
	return n, nil
}

// compareUsers compares every login, password hash included.
func compareUsers(src, dst survey.Store, note func(string, ...any)) int {
	for _, a := range src.Users() {
		b := dst.User(a.Username)
		if b == nil {
			note("login %s missing", a.Username)
			continue
		}
		if a.Role != b.Role || a.Unit != b.Unit || a.Disabled != b.Disabled || !bytes.Equal(a.PasswordHash, b.PasswordHash) ||
			a.Email != b.Email || a.NoAlerts != b.NoAlerts || a.NoDigest != b.NoDigest {
			note("login %s differs", a.Username)
		}
	}
	if a, b := len(src.Users()), len(dst.Users()); a != b {
		note("logins: %d in the source, %d in the target", a, b)
	}
	if a, b := len(src.Tokens()), len(dst.Tokens()); a != b {
		note("API tokens: %d in the source, %d in the target", a, b)
	}
	if a, b := len(src.Kiosks()), len(dst.Kiosks()); a != b {
		note("kiosks: %d in the source, %d in the target", a, b)
	}
	return len(dst.Users())
}

// compareSample reads up to migrateSample responses chosen at random
// (reservoir sampling over the source) from both stores and compares them
// field by field (the log sequence number is each store's own).
func compareSample(src, dst survey.Store, note func(string, ...any)) (int, error) {
	var sample []*survey.Response
	seen := 0
	err := src.EachResponse(time.Time{}, time.Time{}, func(r *survey.Response) error {
		seen++
		if len(sample) < migrateSample {
			sample = append(sample, r)
		} else if i := rand.IntN(seen); i < migrateSample {
			sample[i] = r
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, a := range sample {
		b, err := dst.Response(a.Key)
		if err != nil {
			note("response %d: %v", a.Key, err)
			continue
		}
		a.Seq, b.Seq = 0, 0
		if err := sameID(src, dst, a, b); err != nil {
			note("response %d: %v", a.Key, err)
		}
		if !reflect.DeepEqual(a, b) {
			note("response %d differs: %+v / %+v", a.Key, *a, *b)
		}
	}
	return len(sample), nil
}

// sameID compares the idempotency ids of a (from src) and b (from dst).
// bbolt's Response does not read the id back (it lives in its idempotency
// index only), so a side without it is asked by the other side's id, and
// must answer with the same response; then both carry it.
func sameID(src, dst survey.Store, a, b *survey.Response) error {
	switch {
	case a.ID == b.ID:
		return nil
	case a.ID == "":
		if r, err := src.ResponseByID(b.ID); err != nil || r.Key != a.Key {
			return fmt.Errorf("the source does not know id %s for it", b.ID)
		}
		a.ID = b.ID
	case b.ID == "":
		if r, err := dst.ResponseByID(a.ID); err != nil || r.Key != b.Key {
			return fmt.Errorf("the target does not know id %s for it", a.ID)
		}
		b.ID = a.ID
	}
	return nil
}

// canonCounts writes count answers in one canonical form: members,
// criteria and reasons sorted, zero cells left out (one store may keep an
// empty cell or map where the other keeps none: the counts are the same).
func canonCounts(m map[string]*survey.Tally) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(m)) {
		t := m[k]
		if t == nil || (t.Responses == 0 && t.Empty == 0 && t.Excluded == (survey.Exclusions{}) && canonCells(t) == "") {
			continue
		}
		fmt.Fprintf(&b, "[%s %d %d %+v %s]", k, t.Responses, t.Empty, t.Excluded, canonCells(t))
	}
	return b.String()
}

func canonCells(t *survey.Tally) string {
	var b strings.Builder
	for _, c := range slices.Sorted(maps.Keys(t.Criteria)) {
		if h := t.Criteria[c]; h != nil && h.N != [6]uint64{} {
			fmt.Fprintf(&b, "%s/%d:%v ", c, h.Scale, h.N)
		}
	}
	for _, c := range slices.Sorted(maps.Keys(t.Reasons)) {
		for _, r := range slices.Sorted(maps.Keys(t.Reasons[c])) {
			if n := t.Reasons[c][r]; n != 0 {
				fmt.Fprintf(&b, "%s>%s:%d ", c, r, n)
			}
		}
	}
	return b.String()
}
