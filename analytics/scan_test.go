package analytics

import (
	"fmt"
	"hailong/analytics/engine"
	"hailong/survey/bolt"
	"math/rand"
	"reflect"
	"testing"
	"time"

	"hailong/survey"
)

// scanTally computes what db.Count returns for member of q.Dim, from a raw
// scan of the responses (db.EachResponse): the reference the counters are
// checked against.
func scanTally(db *bolt.DB, q survey.CountQuery, member string) (*survey.Tally, error) {
	loc := db.Loc()
	units := map[string]bool{}
	for _, u := range q.Units {
		units[u] = true
	}
	m, err := scanTallies(db, q, func(r *survey.Response) (string, bool) {
		if !units[r.Unit] {
			return "", false
		}
		switch q.Dim {
		case survey.DimCounter:
			return "", r.Counter == member
		case survey.DimStaff:
			return "", r.Staff == member
		case survey.DimProcedure:
			return "", r.Procedure == member
		case survey.DimHour:
			lt := r.SubmittedAt.In(loc)
			return "", fmt.Sprintf("%d-%02d", int(lt.Weekday()), lt.Hour()) == member
		}
		return "", true
	})
	return m[""], err
}

// scanTallies sums the responses of q's days, survey, channel and flag
// classes (q.Units and q.Dim are ignored) into one tally per key that
// keyOf gives them (false: left out), in one pass over the raw responses.
// Reasons are counted as in DimBase.
func scanTallies(db *bolt.DB, q survey.CountQuery, keyOf func(*survey.Response) (string, bool)) (map[string]*survey.Tally, error) {
	loc := db.Loc()
	from, to := survey.DayStart(survey.DayOf(q.From, loc), loc), survey.DayStart(survey.DayOf(q.To, loc)+1, loc)
	type acc struct {
		t      *survey.Tally
		scales map[string]int // key → bit set of scales
		three  map[string]*survey.Hist
	}
	accs := map[string]*acc{}
	err := db.EachResponse(from, to, func(r *survey.Response) error {
		if (q.Survey != "" && r.Survey != q.Survey) || (q.Channel != 0 && r.Channel != q.Channel) {
			return nil
		}
		key, ok := keyOf(r)
		if !ok {
			return nil
		}
		a := accs[key]
		if a == nil {
			a = &acc{t: &survey.Tally{Criteria: map[string]*survey.Hist{}}, scales: map[string]int{}, three: map[string]*survey.Hist{}}
			accs[key] = a
		}
		t := a.t
		if r.Valid() {
			if n := t.Excluded.Of(r.Flags, q.IncludeMisuse, q.IncludeUnverified); n != nil {
				*n++
			}
		}
		if (!q.IncludeMisuse && r.Flags&survey.FlagMisuse != 0) || (!q.IncludeUnverified && r.Flags&survey.FlagUnverified != 0) {
			return nil
		}
		sv := db.Survey(r.Survey, r.Version)
		if r.Valid() {
			t.Responses++
		} else {
			t.Empty++
		}
		for _, c := range sv.Criteria {
			v, ok := r.Answers[c.Key]
			if !ok {
				continue
			}
			a.scales[c.Key] |= c.Scale
			m := t.Criteria
			if c.Scale == 3 {
				m = a.three
			}
			h := m[c.Key]
			if h == nil {
				h = &survey.Hist{Scale: c.Scale}
				m[c.Key] = h
			}
			h.N[v]++
		}
		if q.Dim == survey.DimBase && len(r.Reasons) > 0 {
			if t.Reasons == nil {
				t.Reasons = map[string]map[string]uint64{}
			}
			bump := func(crit, reason string) {
				if t.Reasons[crit] == nil {
					t.Reasons[crit] = map[string]uint64{}
				}
				t.Reasons[crit][reason]++
			}
			for _, reason := range r.Reasons {
				bump("", reason)
				for _, c := range sv.Criteria {
					if v, ok := r.Answers[c.Key]; ok && survey.Negative(c.Scale, v) {
						bump(c.Key, reason)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string]*survey.Tally, len(accs))
	for key, a := range accs {
		for k, h := range a.three {
			if a.scales[k] == 3|5 {
				k += "@3"
			}
			a.t.Criteria[k] = h
		}
		out[key] = a.t
	}
	return out, nil
}

// TestCountsEqualScan is the property test: on random data, every query's
// counts (and so every index) equal a raw scan's.
func TestCountsEqualScan(t *testing.T) {
	db := mustOpen(t)
	mustOrg(t, db)
	if err := db.AddSurveyVersion(threeLevel()); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(7))
	surveys := []*survey.Survey{db.Survey("quay", 0), db.Survey("sipas", 0), db.Survey("ba-muc", 0)}
	units := []string{"so-a", "so-a-vp", "so-b", "so-c", "ban-x"}
	start := time.Date(2025, 11, 20, 0, 0, 0, 0, hcm)
	var rs []resp
	for i := 0; i < 3000; i++ {
		sv := surveys[rng.Intn(len(surveys))]
		r := resp{Unit: units[rng.Intn(len(units))], Survey: sv.Key, Answers: map[string]int{},
			At:      start.Add(time.Duration(rng.Int63n(int64(120 * 24 * time.Hour)))),
			Channel: survey.Channel(1 + rng.Intn(4)), Procedure: []string{"", "1.001", "2.002"}[rng.Intn(3)]}
		for _, c := range sv.Criteria {
			if rng.Intn(5) > 0 {
				r.Answers[c.Key] = rng.Intn(c.Scale + 1) // 0 = N/A
			}
		}
		if len(r.Answers) == 0 {
			r.Answers["overall"] = 0
		}
		for _, reason := range sv.Reasons {
			if rng.Intn(8) == 0 {
				r.Reasons = append(r.Reasons, reason.Key)
			}
		}
		if r.Unit == "so-a" {
			r.Counter = []string{"", "a-q1", "a-q2"}[rng.Intn(3)]
			r.Staff = []string{"", "nv-lan"}[rng.Intn(2)]
		}
		if rng.Intn(10) == 0 {
			r.Flags = survey.Flags(1 + rng.Intn(7)) // misuse, unverified, reclassified in every combination
		}
		rs = append(rs, r)
	}
	mustInsert(t, db, rs)

	periods := []engine.Period{
		{From: day(2025, 11, 20), To: day(2026, 3, 19)}, {From: day(2025, 12, 1), To: day(2026, 2, 28)},
		{From: day(2026, 1, 15), To: day(2026, 1, 15)}, {From: day(2025, 12, 31), To: day(2026, 1, 1)},
		{From: day(2026, 2, 10), To: day(2026, 3, 5)},
	}
	queries := 0
	for trial := 0; trial < 120; trial++ {
		p := periods[rng.Intn(len(periods))]
		q := survey.CountQuery{Dim: []survey.Dim{survey.DimBase, survey.DimBase, survey.DimCounter, survey.DimStaff, survey.DimProcedure, survey.DimHour}[rng.Intn(6)],
			From: p.Start(hcm), To: survey.DayStart(p.To, hcm), IncludeMisuse: rng.Intn(2) == 0, IncludeUnverified: rng.Intn(2) == 0}
		q.Units = [][]string{{"so-a"}, {"so-a", "so-a-vp"}, units, {"so-b", "ban-x"}}[rng.Intn(4)]
		if rng.Intn(3) == 0 {
			q.Survey = surveys[rng.Intn(len(surveys))].Key
		}
		if rng.Intn(3) == 0 {
			q.Channel = survey.Channel(1 + rng.Intn(4))
		}
		counts, err := db.Count(q)
		if err != nil {
			t.Fatal(err)
		}
		members := []string{""}
		switch q.Dim {
		case survey.DimCounter:
			members = []string{"a-q1", "a-q2"}
		case survey.DimStaff:
			members = []string{"nv-lan"}
		case survey.DimProcedure:
			members = []string{"1.001", "2.002"}
		case survey.DimHour:
			members = []string{"1-09", "3-14", "5-23", "0-00"}
		}
		for _, m := range members {
			want, err := scanTally(db, q, m)
			if err != nil {
				t.Fatal(err)
			}
			got := counts[m]
			if !reflect.DeepEqual(normal(got), normal(want)) {
				t.Fatalf("query %+v member %q:\ncounts %+v\nscan   %+v", q, m, normal(got), normal(want))
			}
			cat := engine.NewCatalogue(db, q.Survey)
			for _, method := range []engine.Method{engine.MethodShare45, engine.MethodMean, engine.MethodPooled, engine.MethodOverall} {
				a, b := engine.Compute(got, cat, method), engine.Compute(want, cat, method)
				if !reflect.DeepEqual(a, b) {
					t.Fatalf("%s differs on %+v", method, q)
				}
			}
			queries++
		}
	}
	t.Logf("%d queries: counts equal the raw scan", queries)
}

// normal makes absent and empty equal for the comparison.
func normal(t *survey.Tally) survey.Tally {
	if t == nil {
		return survey.Tally{Criteria: map[string]*survey.Hist{}}
	}
	out := *t
	if len(out.Reasons) == 0 {
		out.Reasons = nil
	}
	return out
}
