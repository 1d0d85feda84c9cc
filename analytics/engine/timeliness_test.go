package engine

import (
	"hailong/survey/bolt"
	"testing"
	"time"

	"hailong/survey"
)

// mustTimelinessData stores dossiers whose outcomes are worked out by hand
// below. "Today" is 18 March 2026; the period is 1–12 March.
//
//	code unit     proc   staff   received        due     finished        suppl  outcome
//	T1   so-a     1.001  nv-lan  2 Mar 09:00     6 Mar   5 Mar 16:00     0      early
//	T2   so-a     1.001  nv-lan  3 Mar 09:00     9 Mar   9 Mar 23:30     0      on time (same local day)
//	T3   so-a     1.001  nv-mai  4 Mar 09:00     9 Mar   11 Mar 10:00    2      on time (due 9 + 2 = 11)
//	T4   so-a     2.002  nv-mai  4 Mar 09:00     9 Mar   12 Mar 00:30    2      late (12 > 11; in UTC still the 11th)
//	T5   so-a-vp  2.002  nv-lan  10 Mar 09:00    20 Mar  —               0      in progress, not overdue
//	T6   so-a-vp  2.002  —       5 Mar 09:00     16 Mar  —               0      in progress, overdue (18 > 16)
//	T7   so-a     —      nv-lan  12 Mar 23:30    17 Mar  —               1      in progress, due 18: not overdue today
//	T8   so-a     1.001  nv-lan  27 Feb 09:00    2 Mar   1 Mar 10:00     0      received before the period
//	T9   so-b     1.001  nv-hung 2 Mar 09:00     3 Mar   4 Mar 10:00     0      another agency
//	T10  so-a     1.001  nv-lan  13 Mar 00:10    20 Mar  —               0      after the period (in UTC still the 12th)
func mustTimelinessData(tb testing.TB, db *bolt.DB) {
	tb.Helper()
	if err := db.PutStaff(survey.Staff{ID: "nv-mai", Unit: "so-a", Name: "Lê Thị Mai"}); err != nil {
		tb.Fatal(err)
	}
	if err := db.PutProcedures([]survey.Procedure{{Code: "1.001", Name: "Cấp giấy phép kinh doanh"}}); err != nil {
		tb.Fatal(err)
	}
	t := func(d, h, m int) time.Time {
		mo := time.March
		if d > 100 {
			mo, d = time.February, d-100
		}
		return time.Date(2026, mo, d, h, m, 0, 0, hcm)
	}
	none := time.Time{}
	ds := []survey.Dossier{
		{Code: "T1", Unit: "so-a", Procedure: "1.001", Staff: "nv-lan", ReceivedAt: t(2, 9, 0), DueAt: t(6, 17, 0), FinishedAt: t(5, 16, 0)},
		{Code: "T2", Unit: "so-a", Procedure: "1.001", Staff: "nv-lan", ReceivedAt: t(3, 9, 0), DueAt: t(9, 17, 0), FinishedAt: t(9, 23, 30)},
		{Code: "T3", Unit: "so-a", Procedure: "1.001", Staff: "nv-mai", ReceivedAt: t(4, 9, 0), DueAt: t(9, 17, 0), FinishedAt: t(11, 10, 0), SupplementDays: 2},
		{Code: "T4", Unit: "so-a", Procedure: "2.002", Staff: "nv-mai", ReceivedAt: t(4, 9, 0), DueAt: t(9, 17, 0), FinishedAt: t(12, 0, 30), SupplementDays: 2},
		{Code: "T5", Unit: "so-a-vp", Procedure: "2.002", Staff: "nv-lan", ReceivedAt: t(10, 9, 0), DueAt: t(20, 17, 0), FinishedAt: none},
		{Code: "T6", Unit: "so-a-vp", Procedure: "2.002", ReceivedAt: t(5, 9, 0), DueAt: t(16, 17, 0), FinishedAt: none},
		{Code: "T7", Unit: "so-a", Staff: "nv-lan", ReceivedAt: t(12, 23, 30), DueAt: t(17, 17, 0), FinishedAt: none, SupplementDays: 1},
		{Code: "T8", Unit: "so-a", Procedure: "1.001", Staff: "nv-lan", ReceivedAt: t(127, 9, 0), DueAt: t(2, 17, 0), FinishedAt: t(1, 10, 0)},
		{Code: "T9", Unit: "so-b", Procedure: "1.001", Staff: "nv-hung", ReceivedAt: t(2, 9, 0), DueAt: t(3, 17, 0), FinishedAt: t(4, 10, 0)},
		{Code: "T10", Unit: "so-a", Procedure: "1.001", Staff: "nv-lan", ReceivedAt: t(13, 0, 10), DueAt: t(20, 17, 0), FinishedAt: none},
	}
	if err := db.PutDossiers(ds); err != nil {
		tb.Fatal(err)
	}
}

// figures are the expected counts and percentages of one report.
type figures struct {
	received, early, onTime, late, inProgress, overdue   int
	earlyPct, onTimePct, latePct, inProgressPct, rate766 float64
}

func checkReport(t *testing.T, what string, r TimelinessReport, w figures) {
	t.Helper()
	if r.Received != w.received || r.Early != w.early || r.OnTime != w.onTime || r.Late != w.late ||
		r.InProgress != w.inProgress || r.InProgressOverdue != w.overdue || r.Finished != w.early+w.onTime+w.late {
		t.Errorf("%s: counts %+v, want %+v", what, r, w)
	}
	check(t, what+" early %", r.EarlyPct, w.earlyPct)
	check(t, what+" on time %", r.OnTimePct, w.onTimePct)
	check(t, what+" late %", r.LatePct, w.latePct)
	check(t, what+" in progress %", r.InProgressPct, w.inProgressPct)
	check(t, what+" 766", r.Rate766, w.rate766)
}

func TestTimelinessByHand(t *testing.T) {
	db := mustOpen(t)
	mustOrg(t, db)
	mustTimelinessData(t, db)
	eng := newEngine(survey.ServicesOf(db), "")
	p := Period{From: day(2026, 3, 1), To: day(2026, 3, 12)}

	r, err := eng.Timeliness(Filter{Unit: "so-a"}, p)
	if err != nil {
		t.Fatal(err)
	}
	// T1–T7: early 1, on time 2 (T2, T3), late 1 (T4), in progress 3 of
	// which T6 overdue. Of 7 received: 1/7 = 14.29 %, 2/7 = 28.57 %,
	// 3/7 = 42.86 %; 766: (1 + 2 + 2 not overdue) / 7 = 71.43 %.
	checkReport(t, "so-a", r, figures{7, 1, 2, 1, 3, 1, 14.29, 28.57, 14.29, 42.86, 71.43})

	byProc, err := eng.TimelinessBy(Filter{Unit: "so-a"}, p, "procedure")
	if err != nil {
		t.Fatal(err)
	}
	// 1.001: T1 early, T2 and T3 on time: 1/3, 2/3, 766 3/3.
	// 2.002: T4 late, T5 in progress, T6 overdue: late 1/3, in progress
	// 2/3, 766 (0 + 1) / 3. No procedure: T7 in progress, 766 1/1.
	want := []struct {
		key, name string
		f         figures
	}{
		{"1.001", "Cấp giấy phép kinh doanh", figures{3, 1, 2, 0, 0, 0, 33.33, 66.67, 0, 0, 100}},
		{"2.002", "2.002", figures{3, 0, 0, 1, 2, 1, 0, 0, 33.33, 66.67, 33.33}},
		{"", "", figures{1, 0, 0, 0, 1, 0, 0, 0, 0, 100, 100}},
	}
	if len(byProc) != len(want) {
		t.Fatalf("by procedure: %+v", byProc)
	}
	for i, w := range want {
		if byProc[i].Key != w.key || byProc[i].Name != w.name {
			t.Errorf("procedure row %d is %q %q, want %q %q", i, byProc[i].Key, byProc[i].Name, w.key, w.name)
		}
		checkReport(t, "procedure "+w.key, byProc[i].TimelinessReport, w.f)
	}

	byStaff, err := eng.TimelinessBy(Filter{Unit: "so-a"}, p, "staff")
	if err != nil {
		t.Fatal(err)
	}
	// nv-lan: T1 early, T2 on time, T5 and T7 in progress (neither
	// overdue): 1/4 = 25 %, 25 %, 766 4/4. nv-mai: T3 on time, T4 late: 50 %,
	// 50 %, 766 1/2. Nobody: T6, overdue: 766 0.
	wantStaff := []struct {
		key, name string
		f         figures
	}{
		{"nv-lan", "Nguyễn Thị Lan", figures{4, 1, 1, 0, 2, 0, 25, 25, 0, 50, 100}},
		{"nv-mai", "Lê Thị Mai", figures{2, 0, 1, 1, 0, 0, 0, 50, 50, 0, 50}},
		{"", "", figures{1, 0, 0, 0, 1, 1, 0, 0, 0, 100, 0}},
	}
	if len(byStaff) != len(wantStaff) {
		t.Fatalf("by staff: %+v", byStaff)
	}
	for i, w := range wantStaff {
		if byStaff[i].Key != w.key || byStaff[i].Name != w.name {
			t.Errorf("staff row %d is %q %q, want %q %q", i, byStaff[i].Key, byStaff[i].Name, w.key, w.name)
		}
		checkReport(t, "staff "+w.key, byStaff[i].TimelinessReport, w.f)
	}

	// The department alone: T5 and T6, both in progress, one overdue.
	r, _ = eng.Timeliness(Filter{Unit: "so-a-vp"}, p)
	checkReport(t, "so-a-vp", r, figures{2, 0, 0, 0, 2, 1, 0, 0, 0, 100, 50})
}
