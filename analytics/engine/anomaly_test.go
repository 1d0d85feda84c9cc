package engine

import (
	"math"
	"strconv"
	"testing"
	"time"

	"hailong/survey"
)

// The worked examples of docs/METHODOLOGY.md "Anomaly review", one test per
// detector, each with a case that is found and cases that are not.

var th = DefaultThresholds

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.4f, want %.4f", what, got, want)
	}
}

func one(t *testing.T, fs []Finding, kind Kind) Finding {
	t.Helper()
	if len(fs) != 1 || fs[0].Kind != kind {
		t.Fatalf("want one %s finding, got %+v", kind, fs)
	}
	return fs[0]
}

func TestDetectRatio(t *testing.T) {
	// A unit whose kiosks rated 400 visits on its other days of the
	// period, for 599 dossiers received; on the day, 60 for 20.
	data := func(r, d int) *ReviewData {
		rd := NewReviewData(Period{100, 189})
		rd.Days[UnitDay{"so-a", 150}] = &DayCount{Kiosk: r, Dossiers: d, TopKiosk: "k1"}
		rd.Days[UnitDay{"so-a", 120}] = &DayCount{Kiosk: 400, Dossiers: 599}
		return rd
	}
	t.Run("Found", func(t *testing.T) {
		f := one(t, DetectRatio(data(60, 20), th), KindRatio)
		near(t, "figure", f.Figure, 3, 1e-9)
		near(t, "usual ratio", f.Expected, 0.6681, 1e-4) // p₀ = 400.5/1000 = 0.4005
		near(t, "z", f.Strength, 6.38, 0.01)             // se = √(0.4005·0.5995/80) = 0.05478
		near(t, "range low", f.Lo, 0.2216, 1e-3)         // p₀ ± 4·se = 0.1814 … 0.6196
		near(t, "range high", f.Hi, 1.6292, 1e-3)
		if f.Unit != "so-a" || f.Kiosk != "k1" || f.From != 150 || f.N != 60 || f.Base != 20 || !f.High {
			t.Errorf("finding %+v", f)
		}
	})
	for name, rd := range map[string]*ReviewData{
		"WithinRange":   data(25, 20), // 1.25 per dossier: z = 2.8
		"NotAboveOne":   data(20, 20), // no more ratings than dossiers
		"BelowTheFloor": data(19, 2),  // too few responses to say
	} {
		t.Run(name, func(t *testing.T) {
			if fs := DetectRatio(rd, th); len(fs) != 0 {
				t.Errorf("found %+v", fs)
			}
		})
	}
	t.Run("FewDossiers", func(t *testing.T) {
		rd := NewReviewData(Period{100, 189})
		rd.Days[UnitDay{"so-a", 150}] = &DayCount{Kiosk: 60, Dossiers: 5}
		rd.Days[UnitDay{"so-a", 120}] = &DayCount{Kiosk: 400, Dossiers: 20} // 25 in the period: no usual ratio
		if fs := DetectRatio(rd, th); len(fs) != 0 {
			t.Errorf("found %+v", fs)
		}
	})
}

func TestOpeningHours(t *testing.T) {
	h := DefaultOpeningHours
	for _, c := range []struct {
		at   string
		open bool
	}{
		{"2026-03-16 06:59", false}, {"2026-03-16 07:00", true}, {"2026-03-16 12:15", true}, // a Monday; lunch is open
		{"2026-03-20 17:29", true}, {"2026-03-20 17:30", false}, {"2026-03-20 22:00", false}, // a Friday
		{"2026-03-21 11:59", true}, {"2026-03-21 12:00", false}, // Saturday morning only
		{"2026-03-22 09:00", false}, // Sunday
	} {
		at, _ := time.ParseInLocation("2006-01-02 15:04", c.at, hcm)
		if h.IsOpen(at) != c.open {
			t.Errorf("%s (%s): open %v, want %v", c.at, at.Weekday(), !c.open, c.open)
		}
	}
}

func TestDetectHours(t *testing.T) {
	rd := NewReviewData(Period{100, 189})
	at := time.Date(2026, 3, 18, 22, 0, 0, 0, hcm)
	rd.Outside[KioskDay{"so-a", "k1", 150}] = &Outside{N: 3, First: at, Last: at.Add(2 * time.Minute)}
	rd.Outside[KioskDay{"so-a", "k2", 150}] = &Outside{N: 2, First: at, Last: at}  // a clock, a cleaner
	rd.Outside[KioskDay{"so-a", "k1", 190}] = &Outside{N: 30, First: at, Last: at} // after the period
	f := one(t, DetectHours(rd, th), KindHours)
	if f.Kiosk != "k1" || f.Figure != 3 || f.Hi != 2 || f.High {
		t.Errorf("finding %+v", f)
	}
}

func TestDetectRuns(t *testing.T) {
	// A kiosk with 1,000 responses in the period, 300 of them all-5: a
	// run of 12 all-5 answers is ordinary enough there, one of 15 is not.
	data := func(run int) *ReviewData {
		rd := NewReviewData(Period{100, 189})
		rd.Patterns["k1"] = &Patterns{Total: 1000, Count: map[string]int{"5555555": 300, "other": 700}}
		rd.Runs = []Run{{Source: "k1", Unit: "so-a", Kiosk: "k1", Len: run, Pattern: "5555555",
			First: time.Date(2026, 3, 18, 12, 0, 0, 0, hcm), Last: time.Date(2026, 3, 18, 12, 20, 0, 0, hcm)}}
		return rd
	}
	if fs := DetectRuns(data(12), th); len(fs) != 0 {
		t.Errorf("a run of 12 (chance 1000·(289/989)¹² ≈ 3.8·10⁻⁴) found: %+v", fs)
	}
	f := one(t, DetectRuns(data(15), th), KindRun)
	near(t, "chance·10⁶", f.Expected*1e6, 8.66, 0.01) // q = 286/986 = 0.2901
	near(t, "longest expected", f.Hi, 8, 0)           // ⌊ln(0.05/1000)/ln q⌋
	if f.From != DayOf(time.Date(2026, 3, 18, 0, 0, 0, 0, time.UTC)) || f.Figure != 15 || f.Base != 1000 {
		t.Errorf("finding %+v", f)
	}
	// A pattern seen only in the run: certain enough at the minimum length.
	rd := data(10)
	rd.Patterns["k1"].Count = map[string]int{"5555555": 10, "other": 990}
	one(t, DetectRuns(rd, th), KindRun)
	// Shorter than RunMin: never.
	if fs := DetectRuns(data(9), th); len(fs) != 0 {
		t.Errorf("a run of 9 found: %+v", fs)
	}
}

// DayOf is the civil day number of a UTC midnight (test helper).
func DayOf(t time.Time) int32 { return int32(t.Unix() / 86400) }

func TestDetectOutliers(t *testing.T) {
	// Kiosk k1: 80 of 200 satisfied (40 %); the rest of the unit (kiosk
	// k2): 600 of 800 (75 %).
	data := func(pos uint64) *ReviewData {
		rd := NewReviewData(Period{100, 189})
		rd.Units["so-a"] = &Proportion{Pos: pos + 600, N: 1000}
		rd.Members[Member{"so-a", "kiosk", "k1"}] = &Proportion{Pos: pos, N: 200}
		rd.Members[Member{"so-a", "kiosk", "k2"}] = &Proportion{Pos: 600, N: 800}
		return rd
	}
	f := one(t, DetectOutliers(data(80), th, 30), KindOutlier)
	near(t, "figure", f.Figure, 40, 1e-9)
	near(t, "z", f.Strength, 10.21, 0.01) // se = √(0.7497·0.2503·(1/200 + 1/800)) = 0.03425
	near(t, "range low", f.Lo, 61.27, 0.01)
	near(t, "range high", f.Hi, 88.67, 0.01)
	if f.Kiosk != "k1" || f.Staff != "" || f.Base != 800 || f.From != 100 || f.To != 189 {
		t.Errorf("finding %+v", f)
	}
	// k2 is not reported as far above: k1, found first, is left out of
	// the rest it is compared with (which is then empty).
	if fs := DetectOutliers(data(140), th, 30); len(fs) != 0 { // 70 % against 75 %: 5 points
		t.Errorf("found %+v", fs)
	}
	rd := data(10) // 5 %, but n = 200 of 20 …
	rd.Members[Member{"so-a", "kiosk", "k1"}].N = 20
	rd.Units["so-a"].N = 820
	if fs := DetectOutliers(rd, th, 30); len(fs) != 0 { // … below the minimum n
		t.Errorf("found %+v", fs)
	}
}

func TestDetectJumps(t *testing.T) {
	// Four weeks at 100 of 125 (80 %), then a week at 60 of 120 (50 %).
	week := weekStart(120)
	data := func(pos uint64) *ReviewData {
		rd := NewReviewData(Period{week, week + 30})
		for i := int32(1); i <= 4; i++ {
			rd.Days[UnitDay{"so-a", week - 7*i + 2}] = &DayCount{Overall: Proportion{Pos: 100, N: 125}}
		}
		rd.Days[UnitDay{"so-a", week + 1}] = &DayCount{Overall: Proportion{Pos: pos, N: 120}}
		return rd
	}
	f := one(t, DetectJumps(data(60), th, 30), KindJump)
	near(t, "figure", f.Figure, 50, 1e-9)
	near(t, "baseline", f.Expected, 80, 1e-9)
	near(t, "z", f.Strength, 7.36, 0.01) // se = √(0.7994·0.2006·(1/120 + 1/500)) = 0.04071
	if f.From != week || f.To != week+6 || f.N != 120 || f.Base != 500 {
		t.Errorf("finding %+v", f)
	}
	if fs := DetectJumps(data(88), th, 30); len(fs) != 0 { // 73.3 %: 6.7 points
		t.Errorf("found %+v", fs)
	}
	if weekStart(week) != week || weekStart(week+6) != week || survey.DayStart(week, time.UTC).Weekday() != time.Monday {
		t.Errorf("weekStart(%d) is not a Monday", week)
	}
}

// TestReviewStore reads a real store: kiosk answers in the day, then a run
// of twelve identical answers at 22:00, which is found twice (hours, run);
// flagged responses and other units are not examined.
func TestReviewStore(t *testing.T) {
	db := mustOpen(t)
	mustOrg(t, db)
	if _, err := db.AddKiosk(survey.Kiosk{ID: "k1", Unit: "so-a", Counter: "a-q1", Name: "Ki-ốt 1"}); err != nil {
		t.Fatal(err)
	}
	var rs []*survey.Response
	add := func(at time.Time, answers map[string]int) {
		r := &survey.Response{Survey: survey.SurveyQuay, Unit: "so-a", Channel: survey.ChannelKiosk, Kiosk: "k1",
			Answers: answers, SubmittedAt: at, ReceivedAt: at}
		if err := db.Prepare(r); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	for d := 5; d <= 17; d++ {
		if wd := time.Date(2026, 3, d, 0, 0, 0, 0, hcm).Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		for i := 0; i < 15; i++ {
			add(time.Date(2026, 3, d, 8, 0, 0, 0, hcm).Add(time.Duration(i)*20*time.Minute), map[string]int{"overall": 1 + i%5})
		}
	}
	all5 := map[string]int{}
	for _, c := range db.Survey(survey.SurveyQuay, 0).Criteria {
		all5[c.Key] = 5
	}
	for i := 0; i < 12; i++ {
		add(time.Date(2026, 3, 16, 22, 0, 0, 0, hcm).Add(time.Duration(i)*time.Minute), all5)
	}
	if err := db.InsertMany(rs); err != nil {
		t.Fatal(err)
	}
	if err := db.SetResponseFlags(strconv.FormatUint(rs[len(rs)-1].Key, 10), survey.FlagMisuse, "test", "a test"); err != nil {
		t.Fatal(err)
	}
	e := New(SourceOf(survey.ServicesOf(db)), DefaultConfig, "")
	p := LastDays(14, survey.DayOf(testNow, hcm))
	rv, err := e.Review(Filter{}, p, DefaultOpeningHours, th)
	if err != nil {
		t.Fatal(err)
	}
	if rv.Read != len(rs) || rv.Counted != len(rs)-1 || len(rv.Findings) != 2 {
		t.Fatalf("read %d, counted %d, findings %+v", rv.Read, rv.Counted, rv.Findings)
	}
	h, r := rv.ByKind(KindHours), rv.ByKind(KindRun)
	if len(h) != 1 || h[0].N != 11 || h[0].Kiosk != "k1" || survey.DayStart(h[0].From, hcm).Day() != 16 {
		t.Errorf("hours: %+v", h)
	}
	if len(r) != 1 || r[0].N != 11 || r[0].Pattern != "overall=5 access=5 facilities=5 staff_attitude=5 staff_guidance=5 timeliness=5 website=5" {
		t.Errorf("run: %+v", r)
	}
	if rv, _ := e.Review(Filter{Unit: "so-b"}, p, DefaultOpeningHours, th); rv.Counted != 0 || len(rv.Findings) != 0 {
		t.Errorf("so-b: %d examined, %+v", rv.Counted, rv.Findings)
	}
}
