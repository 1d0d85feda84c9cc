package storetest

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"hailong/survey"
)

// queries are the CountQuery shapes compared with the reference tally:
// every dimension, survey and channel filters, each flag class, whole
// months with partial months at the edges, and one day.
func (e *env) queries(rs []*survey.Response) []survey.CountQuery {
	all := e.all(survey.DimBase)
	plain := all
	plain.IncludeMisuse, plain.IncludeUnverified = false, false
	with := func(q survey.CountQuery, edit func(*survey.CountQuery)) survey.CountQuery { edit(&q); return q }
	day := rs[len(rs)/2].SubmittedAt
	return []survey.CountQuery{
		all,
		plain,
		with(plain, func(q *survey.CountQuery) { q.Units = []string{"so-a"} }),
		with(plain, func(q *survey.CountQuery) { q.IncludeMisuse = true }),
		with(plain, func(q *survey.CountQuery) { q.IncludeUnverified = true }),
		with(all, func(q *survey.CountQuery) { q.Dim = survey.DimCounter }),
		with(plain, func(q *survey.CountQuery) { q.Dim, q.Units = survey.DimCounter, []string{"so-b"} }),
		with(all, func(q *survey.CountQuery) { q.Dim, q.Survey = survey.DimStaff, survey.SurveyQuay }),
		with(plain, func(q *survey.CountQuery) { q.Dim = survey.DimStaff }),
		with(all, func(q *survey.CountQuery) { q.Dim, q.Channel = survey.DimProcedure, survey.ChannelKiosk }),
		with(plain, func(q *survey.CountQuery) { q.Dim, q.IncludeUnverified = survey.DimHour, true }),
		with(all, func(q *survey.CountQuery) { q.Survey, q.Channel = survey.SurveySipas, survey.ChannelQR }),
		with(all, func(q *survey.CountQuery) { q.Channel = survey.ChannelPaper }),
		with(all, func(q *survey.CountQuery) { q.From, q.To = e.at(2026, 3, 19, 0, 0), e.at(2026, 6, 10, 23, 0) }),
		with(plain, func(q *survey.CountQuery) {
			q.Dim, q.From, q.To = survey.DimHour, e.at(2026, 4, 1, 0, 0), e.at(2026, 4, 30, 0, 0)
		}),
		with(all, func(q *survey.CountQuery) { q.From, q.To = day, day }),
		with(all, func(q *survey.CountQuery) { q.Survey = "nope" }),
	}
}

// checkCounts compares every query with the reference tally of rs.
func (e *env) checkCounts(t *testing.T, what string, rs []*survey.Response) {
	t.Helper()
	qs := e.queries(rs)
	for i, q := range qs {
		got, err := e.Count(q)
		must(t, err)
		sameTallies(t, fmt.Sprintf("%s, query %d %+v", what, i, q), normalise(got), expect(e, rs, q))
	}
	// All at once (every dimension, overlapping units and periods, an
	// unknown survey): each answer is the query's own.
	many, err := e.CountMany(qs)
	must(t, err)
	equal(t, "CountMany answers", len(many), len(qs))
	for i, q := range qs {
		sameTallies(t, fmt.Sprintf("%s, CountMany query %d %+v", what, i, q), normalise(many[i]), expect(e, rs, q))
	}
	ok, err := e.CheckAgg()
	must(t, err)
	if !ok {
		t.Fatalf("%s: CheckAgg = false", what)
	}
}

var countCases = []testCase{
	{"Count/EqualsTallyAndRebuild", func(t *testing.T, e *env) {
		e.org(t)
		rng := rand.New(rand.NewPCG(2026, 14))
		rs := e.generate(t, rng, 300)
		equal(t, "ResponseCount", e.ResponseCount(), len(rs))
		if total := expect(e, rs, e.all(survey.DimBase))[""]; total.Responses+total.Empty != uint64(len(rs)) {
			t.Fatalf("the reference counts %d of %d responses: the generator left the query's range", total.Responses+total.Empty, len(rs))
		}
		e.checkCounts(t, "incremental", rs)
		n, err := e.Reindex()
		must(t, err)
		equal(t, "Reindex", n, len(rs))
		e.checkCounts(t, "after Reindex", rs)

		// Flags move responses between flag classes.
		for range 40 {
			r := rs[rng.IntN(len(rs))]
			flags := survey.Flags(rng.IntN(4))
			must(t, e.SetResponseFlags(r.ID, flags, "quantri", "kiểm tra ngẫu nhiên"))
			if flags != r.Flags&survey.FlagsCounting {
				r.Flags = flags | survey.FlagReclassified
			}
		}
		e.checkCounts(t, "after SetResponseFlags", rs)

		// Comments are not counted.
		_, err = e.PurgeComments(e.clock.Now().Add(time.Hour))
		must(t, err)
		e.checkCounts(t, "after PurgeComments", rs)
		n, err = e.Reindex()
		must(t, err)
		equal(t, "Reindex", n, len(rs))
		e.checkCounts(t, "after the second Reindex", rs)
	}},
	{"Count/BothScales", func(t *testing.T, e *env) {
		e.org(t)
		ba := thu()
		ba.Key = "ba"
		ba.Elements = []survey.Element{{Key: "cong_chuc", Label: survey.Text{Vi: "Công chức", En: "Staff"}}}
		ba.Criteria = append(ba.Criteria, survey.Criterion{Key: "staff_attitude", Element: "cong_chuc", Scale: 3,
			Label: survey.Text{Vi: "Thái độ", En: "Attitude"}, Short: survey.Text{Vi: "Thái độ", En: "Attitude"}})
		must(t, e.AddSurveyVersion(ba))
		r := e.response()
		r.Answers["staff_attitude"] = 2
		r.Reasons = []string{"staff_impolite"}
		e.submit(t, r)
		r3 := e.response()
		r3.Survey, r3.Answers["staff_attitude"], r3.Reasons = "ba", 1, []string{"staff_impolite"}
		e.submit(t, r3)
		got, err := e.Count(e.all(survey.DimBase))
		must(t, err)
		tl := got[""]
		if h := tl.Criteria["staff_attitude"]; h == nil || h.Scale != 5 || h.N[2] != 1 {
			t.Fatalf("staff_attitude = %+v, want the 5-level answer", h)
		}
		if h := tl.Criteria["staff_attitude@3"]; h == nil || h.Scale != 3 || h.N[1] != 1 {
			t.Fatalf("staff_attitude@3 = %+v, want the 3-level answer", h)
		}
		equal(t, "reason with a negative staff_attitude", tl.Reasons["staff_attitude"]["staff_impolite"], uint64(2))
		equal(t, "reason", tl.Reasons[""]["staff_impolite"], uint64(2))
	}},
	{"Count/Empty", func(t *testing.T, e *env) {
		e.org(t)
		e.submit(t, e.response())
		for _, q := range []survey.CountQuery{
			{Dim: survey.DimBase, Units: []string{"nope"}, From: T0, To: T0},
			{Dim: survey.DimBase, Units: []string{"so-b"}, From: T0, To: T0},
			{Dim: survey.DimBase, Units: []string{"so-a"}, From: T0.AddDate(0, 0, 1), To: T0.AddDate(0, 1, 0)},
			{Dim: survey.DimBase, Units: []string{"so-a"}, From: T0, To: T0, Survey: "nope"},
			{Dim: survey.DimBase, Units: nil, From: T0, To: T0},
		} {
			got, err := e.Count(q)
			must(t, err)
			if n := normalise(got); len(n) != 0 {
				t.Fatalf("Count(%+v) = %+v, want nothing", q, n)
			}
		}
	}},
	{"Count/ErrInvalid", func(t *testing.T, e *env) {
		e.org(t)
		bad := survey.CountQuery{Dim: survey.DimBase, Units: []string{"so-a"}, From: T0.AddDate(0, 0, 1), To: T0}
		_, err := e.Count(bad)
		wantErr(t, err, survey.EINVALID)
		good := survey.CountQuery{Dim: survey.DimBase, Units: []string{"so-a"}, From: T0, To: T0}
		_, err = e.CountMany([]survey.CountQuery{good, bad})
		wantErr(t, err, survey.EINVALID)
	}},
	{"Reindex/Empty", func(t *testing.T, e *env) {
		n, err := e.Reindex()
		must(t, err)
		equal(t, "Reindex", n, 0)
		ok, err := e.CheckAgg()
		must(t, err)
		equal(t, "CheckAgg", ok, true)
	}},
}
