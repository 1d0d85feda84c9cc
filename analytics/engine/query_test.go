package engine

import (
	"hailong/survey/bolt"
	"testing"
	"time"

	"hailong/survey"
)

// The store tests use March 2026 (1–18, "today" is the 18th); the period
// before is 11–28 February.
var (
	march = Period{day(2026, 3, 1), day(2026, 3, 18)}
	at    = func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, hcm) }
)

// mustDataset inserts the hand-computed dataset of TestSummary and
// TestRank (see the comments for the expected figures).
func mustDataset(tb testing.TB, db *bolt.DB) {
	tb.Helper()
	mustOrg(tb, db)
	if err := db.AddSurveyVersion(threeLevel()); err != nil {
		tb.Fatal(err)
	}
	var rs []resp
	// so-a: 30 kiosk-survey answers at 09:00 on Tuesday 10 March.
	rs = append(rs, repeat(30, resp{Unit: "so-a", At: at(10, 9, 0), Counter: "a-q1", Staff: "nv-lan", Procedure: "1.001",
		Answers: map[string]int{"overall": 5, "access": 4, "facilities": 2, "staff_attitude": 5, "website": 0}})...)
	// its department: 10.
	rs = append(rs, repeat(10, resp{Unit: "so-a-vp", At: at(11, 14, 0),
		Answers: map[string]int{"overall": 3, "access": 5, "facilities": 4, "staff_attitude": 1, "staff_guidance": 4, "timeliness": 2}})...)
	// 20 on the 3-level survey, with a reason.
	rs = append(rs, repeat(20, resp{Unit: "so-a", Survey: "ba-muc", At: at(12, 10, 0), Counter: "a-q2",
		Answers: map[string]int{"overall": 2, "staff_attitude": 1, "result_ok": 3}, Reasons: []string{"staff_impolite"}})...)
	// 5 with nothing but N/A: counted as empty.
	rs = append(rs, repeat(5, resp{Unit: "so-a", At: at(13, 8, 0), Answers: map[string]int{"overall": 0}})...)
	// 10 misuse and 5 unverified, excluded by default.
	rs = append(rs, repeat(10, resp{Unit: "so-a", At: at(14, 9, 0), Flags: survey.FlagMisuse, Answers: map[string]int{"overall": 1}})...)
	rs = append(rs, repeat(5, resp{Unit: "so-a", At: at(14, 15, 0), Flags: survey.FlagUnverified, Answers: map[string]int{"facilities": 5}})...)
	// so-b and so-c tie at 75; so-d 12.5; so-e 100 from too few.
	tie := map[string]int{"access": 5, "facilities": 5, "staff_attitude": 4, "timeliness": 4, "website": 2}
	rs = append(rs, repeat(40, resp{Unit: "so-b", At: at(3, 8, 0), Counter: "b-q1", Answers: tie})...)
	rs = append(rs, repeat(40, resp{Unit: "so-c", At: at(4, 8, 0), Answers: tie})...)
	rs = append(rs, repeat(35, resp{Unit: "so-d", At: at(5, 8, 0), Answers: map[string]int{"access": 5, "facilities": 1, "staff_attitude": 1, "timeliness": 1, "website": 1}})...)
	rs = append(rs, repeat(10, resp{Unit: "so-e", At: at(6, 8, 0), Answers: map[string]int{"access": 5, "facilities": 5, "staff_attitude": 5, "timeliness": 5, "website": 5}})...)
	// The period before: so-a alone, all 5 (index 100).
	rs = append(rs, repeat(35, resp{Unit: "so-a", At: time.Date(2026, 2, 20, 9, 0, 0, 0, hcm), Answers: map[string]int{"overall": 5, "access": 5, "staff_attitude": 5}})...)
	mustInsert(tb, db, rs)
}

func TestSummary(t *testing.T) {
	db := mustOpen(t)
	mustDataset(t, db)
	eng := newEngine(survey.ServicesOf(db), "")
	s, err := eng.Summary(Filter{Unit: "so-a"}, march)
	if err != nil {
		t.Fatal(err)
	}
	wantCrit := map[string]struct {
		v float64
		n uint64
	}{
		"overall": {75, 40}, "overall@3": {100, 20}, "access": {100, 40}, "facilities": {25, 40},
		"staff_attitude": {75, 40}, "staff_attitude@3": {0, 20}, "staff_guidance": {100, 10},
		"timeliness": {0, 10}, "result_ok": {100, 20},
	}
	for _, c := range s.Current.Criteria {
		w, ok := wantCrit[c.Key]
		switch {
		case c.Key == "website":
			if c.OK || c.N != 0 {
				t.Errorf("website answered only N/A: %+v", c)
			}
		case !ok:
			t.Errorf("unexpected criterion %s", c.Key)
		case Round2(c.Value) != w.v || c.N != w.n:
			t.Errorf("%s: %.2f of %d, want %.2f of %d", c.Key, c.Value, c.N, w.v, w.n)
		}
	}
	if len(s.Current.Criteria) != len(wantCrit)+1 {
		t.Errorf("%d criteria", len(s.Current.Criteria))
	}
	wantEl := map[string]float64{"tiep_can": 62.5, "cong_chuc": 58.33, "ket_qua": 50}
	if len(s.Current.Elements) != len(wantEl) {
		t.Errorf("elements %+v (truc_tuyen has only N/A answers and must be absent)", s.Current.Elements)
	}
	for _, e := range s.Current.Elements {
		check(t, "element "+e.Key, e.Value, wantEl[e.Key])
	}
	check(t, "index", s.Current.Index.Value, 56.94)
	if s.Current.Index.N != 60 || s.Tally.Empty != 5 {
		t.Errorf("index n %d, empty %d; want 60 and 5", s.Current.Index.N, s.Tally.Empty)
	}
	check(t, "previous", s.Previous.Index.Value, 100)
	check(t, "delta", DeltaPP(s.Current.Index.Value, s.Previous.Index.Value), -43.06)
	if s.PreviousPeriod != (Period{day(2026, 2, 11), day(2026, 2, 28)}) {
		t.Errorf("previous period %s–%s", s.PreviousPeriod.FromDate(), s.PreviousPeriod.ToDate())
	}

	t.Run("Methods", func(t *testing.T) {
		for m, want := range map[Method]float64{MethodMean: 57.29, MethodPooled: 61.11, MethodOverall: 83.33} {
			eng := newEngine(survey.ServicesOf(db), "")
			eng.Cfg.Method = m
			s, err := eng.Summary(Filter{Unit: "so-a"}, march)
			if err != nil {
				t.Fatal(err)
			}
			check(t, string(m), s.Current.Index.Value, want)
		}
	})
	t.Run("Flags", func(t *testing.T) {
		s, _ := eng.Summary(Filter{Unit: "so-a", IncludeMisuse: true}, march)
		if c := findCrit(s.Current, "overall"); c.N != 50 || Round2(c.Value) != 60 || s.Current.Index.N != 70 {
			t.Errorf("with misuse: overall %.2f of %d, index n %d", c.Value, c.N, s.Current.Index.N)
		}
		s, _ = eng.Summary(Filter{Unit: "so-a", IncludeUnverified: true}, march)
		if c := findCrit(s.Current, "facilities"); c.N != 45 || Round2(c.Value) != 33.33 {
			t.Errorf("with unverified: facilities %.2f of %d", c.Value, c.N)
		}
	})
	t.Run("SurveyAndChannel", func(t *testing.T) {
		e3 := newEngine(survey.ServicesOf(db), "ba-muc")
		s, _ := e3.Summary(Filter{Unit: "so-a", Survey: "ba-muc"}, march)
		// One survey alone: its keys are not suffixed.
		if c := findCrit(s.Current, "staff_attitude"); c.Scale != 3 || c.N != 20 || c.Value != 0 {
			t.Errorf("3-level survey alone: %+v", c)
		}
		s, _ = eng.Summary(Filter{Unit: "so-a", Channel: survey.ChannelKiosk}, march)
		if s.Current.Index.OK || s.Current.Index.N != 0 {
			t.Errorf("no kiosk answers, got %+v", s.Current.Index)
		}
	})
	t.Run("DimensionFilters", func(t *testing.T) {
		s, _ := eng.Summary(Filter{Unit: "so-a", Counter: "a-q2"}, march)
		if s.Current.Index.N != 20 || s.Rank != nil {
			t.Errorf("counter a-q2: n %d, rank %+v", s.Current.Index.N, s.Rank)
		}
		s, _ = eng.Summary(Filter{Unit: "so-a", Staff: "nv-lan"}, march)
		check(t, "staff nv-lan", s.Current.Index.Value, 75) // tiep_can 50, cong_chuc 100, truc_tuyen N/A only
		s, _ = eng.Summary(Filter{Procedure: "1.001"}, march)
		if s.Current.Index.N != 30 {
			t.Errorf("procedure: n %d", s.Current.Index.N)
		}
	})
	t.Run("MissingPrevious", func(t *testing.T) {
		s, _ := eng.Summary(Filter{Unit: "so-d"}, march)
		check(t, "so-d", s.Current.Index.Value, 12.5)
		if s.Previous.Index.OK {
			t.Errorf("so-d has no previous data: %+v", s.Previous.Index)
		}
	})
}

func findCrit(r Result, key string) CriterionFigure {
	for _, c := range r.Criteria {
		if c.Key == key {
			return c
		}
	}
	return CriterionFigure{}
}

func TestRank(t *testing.T) {
	db := mustOpen(t)
	mustDataset(t, db)
	eng := newEngine(survey.ServicesOf(db), "")
	for _, c := range []struct {
		unit           string
		rankUnit       string
		pos, of, ppos  int
		previousRanked int
	}{
		{"so-b", "so-b", 1, 4, 0, 1}, {"so-c", "so-c", 1, 4, 0, 1}, {"so-a", "so-a", 3, 4, 1, 1},
		{"so-d", "so-d", 4, 4, 0, 1}, {"so-e", "so-e", 0, 4, 0, 1}, {"so-a-vp", "so-a", 3, 4, 1, 1},
	} {
		t.Run(c.unit, func(t *testing.T) {
			s, err := eng.Summary(Filter{Unit: c.unit}, march)
			if err != nil {
				t.Fatal(err)
			}
			rk := s.Rank
			if rk == nil || rk.Unit != c.rankUnit || rk.Group != "khoi-so" || rk.Position != c.pos || rk.Of != c.of ||
				rk.Members != 5 || rk.PreviousPosition != c.ppos || rk.PreviousOf != c.previousRanked {
				t.Fatalf("rank %+v, want %+v", rk, c)
			}
		})
	}
	t.Run("NoGroup", func(t *testing.T) {
		for _, f := range []Filter{{Unit: "ban-x"}, {}, {Group: "khoi-so"}} {
			if s, _ := eng.Summary(f, march); s.Rank != nil {
				t.Errorf("%+v: rank %+v, want none", f, s.Rank)
			}
		}
	})
	t.Run("MinN", func(t *testing.T) {
		eng := newEngine(survey.ServicesOf(db), "")
		eng.Cfg.MinN = 5
		s, _ := eng.Summary(Filter{Unit: "so-e"}, march)
		if s.Rank.Position != 1 || s.Rank.Of != 5 {
			t.Errorf("with a minimum of 5, so-e (100 %%, n 10) leads: %+v", s.Rank)
		}
	})
}

func TestBreakdownHeatmapTrendPainPoints(t *testing.T) {
	db := mustOpen(t)
	mustDataset(t, db)
	eng := newEngine(survey.ServicesOf(db), "")
	rows, err := eng.Breakdown(Filter{Unit: "tinh"}, march, "unit")
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range rows {
		order = append(order, r.Key)
	}
	if got := joined(order); got != "so-e so-b so-c so-a so-d ban-x" {
		t.Errorf("units by index: %s", got)
	}
	// Weakest among criteria with enough answers: facilities 25 % (n 40), not
	// staff_attitude@3 0 % (n 20).
	if w := rows[3].Weakest; w == nil || w.Key != "facilities" {
		t.Errorf("so-a's weakest: %+v", rows[3].Weakest)
	}
	rows, _ = eng.Breakdown(Filter{Unit: "so-a"}, march, "counter")
	if len(rows) != 2 || rows[0].Key != "a-q1" || rows[0].Name != "Quầy 1" || Round2(rows[1].Index.Value) != 50 {
		t.Errorf("counters: %+v", rows)
	}
	rows, _ = eng.Breakdown(Filter{}, march, "channel")
	if len(rows) != 4 || rows[0].Key != "web" || rows[0].Responses != 60+80+35+10 {
		t.Errorf("channels: %+v", rows)
	}
	if _, err := eng.Breakdown(Filter{Staff: "nv-lan"}, march, "counter"); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("by counter with a staff filter: %v", err)
	}

	cells, err := eng.Heatmap(Filter{Unit: "so-a"}, march)
	if err != nil {
		t.Fatal(err)
	}
	var tue9 *HeatCell
	for i := range cells {
		if cells[i].Weekday == 2 && cells[i].Hour == 9 {
			tue9 = &cells[i]
		}
	}
	if tue9 == nil || tue9.Volume != 30 || Round2(tue9.Index.Value) != 75 { // so-a's 30 kiosk-survey answers
		t.Errorf("Tuesday 09 h: %+v", tue9)
	}

	mustInsert(t, db, repeat(30, resp{Unit: "so-b", At: time.Date(2025, 3, 5, 9, 0, 0, 0, hcm), Answers: map[string]int{"access": 5}}))
	points, err := eng.Trend(Filter{Unit: "so-b"}, Period{day(2026, 2, 1), day(2026, 3, 18)})
	if err != nil {
		t.Fatal(err)
	}
	if len(points) != 2 || points[0].Month != "2026-02" || points[0].Current.OK || points[1].Month != "2026-03" ||
		Round2(points[1].Current.Value) != 75 || Round2(points[1].Prior.Value) != 100 || points[1].Before != (Period{day(2025, 3, 1), day(2025, 3, 18)}) {
		t.Errorf("trend %+v", points)
	}

	pps, _, err := eng.PainPoints(Filter{Unit: "so-a"}, march, 3)
	if err != nil {
		t.Fatal(err)
	}
	// staff_attitude@3: 20 of 20 negative; facilities 30 of 40.
	if len(pps) < 2 || pps[0].Key != "staff_attitude@3" || Round2(pps[0].Value) != 100 || pps[1].Key != "timeliness" {
		t.Fatalf("pain points %+v", pps)
	}
	// The reasons of staff_attitude count both scales: 20 of 10 + 20 negative.
	if r := pps[0].Reasons; len(r) != 1 || r[0].Key != "staff_impolite" || r[0].Count != 20 || Round2(r[0].Share) != 66.67 {
		t.Errorf("reasons %+v", r)
	}
}

func joined(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

func TestPeriods(t *testing.T) {
	d := day(2026, 3, 18) // a Wednesday
	for kind, want := range map[string]Period{
		"day": {d, d}, "week": {day(2026, 3, 16), day(2026, 3, 22)}, "month": {day(2026, 3, 1), day(2026, 3, 31)},
		"quarter": {day(2026, 1, 1), day(2026, 3, 31)}, "year": {day(2026, 1, 1), day(2026, 12, 31)},
	} {
		if p, ok := Named(kind, d); !ok || p != want {
			t.Errorf("%s: %s–%s", kind, p.FromDate(), p.ToDate())
		}
	}
	for _, c := range []struct{ p, prev Period }{
		{Period{day(2025, 1, 1), day(2025, 12, 31)}, Period{day(2024, 1, 1), day(2024, 12, 31)}}, // a year: the year before (366 days)
		{Period{day(2026, 1, 1), day(2026, 3, 31)}, Period{day(2025, 10, 1), day(2025, 12, 31)}}, // a quarter
		{Period{day(2026, 3, 1), day(2026, 3, 31)}, Period{day(2026, 2, 1), day(2026, 2, 28)}},   // a month
		{LastDays(365, d), Period{d - 729, d - 365}},                                             // the default
		{march, Period{day(2026, 2, 11), day(2026, 2, 28)}},                                      // 18 days
	} {
		if got := c.p.Previous(); got != c.prev {
			t.Errorf("before %s–%s: %s–%s, want %s–%s", c.p.FromDate(), c.p.ToDate(), got.FromDate(), got.ToDate(), c.prev.FromDate(), c.prev.ToDate())
		}
	}
	if y := (Period{day(2024, 2, 29), day(2024, 2, 29)}).YearBefore(); y.From != day(2023, 3, 1) {
		t.Errorf("29 February a year before: %s", y.FromDate())
	}
	if ms := (Period{day(2025, 12, 15), day(2026, 2, 3)}).Months(); len(ms) != 3 || ms[0] != (Period{day(2025, 12, 15), day(2025, 12, 31)}) || ms[2] != (Period{day(2026, 2, 1), day(2026, 2, 3)}) {
		t.Errorf("months %+v", ms)
	}
	for _, bad := range []string{"2026-02-30", "26-03-01", "1999-12-31", "2026/03/01", ""} {
		if _, ok := ParseDate(bad); ok {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
}
