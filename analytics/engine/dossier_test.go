package engine

import (
	"hailong/survey/bolt"
	"testing"
	"time"

	"hailong/survey"
)

// mustDossiers stores six dossiers of so-a received in March 2026 ("today"
// is the 18th) and the receipt forms of three of them.
//
//	D1 received 2 Mar, due 6, finished 4         early
//	D2 received 2 Mar, due 5, finished 5         on time
//	D3 received 3 Mar, due 4, finished 6         late
//	D4 received 10 Mar, due 20, not finished     in progress, not overdue
//	D5 received 5 Mar, due 10, not finished      in progress, overdue
//	D6 received 5 Mar, due 6 + 3 supplement days, finished 9: on time
func mustDossiers(tb testing.TB, db *bolt.DB) {
	tb.Helper()
	d := func(code string, recv, due, fin, suppl int, staff string) survey.Dossier {
		x := survey.Dossier{Code: code, Unit: "so-a", Procedure: "1.001", Staff: staff, SupplementDays: suppl,
			ReceivedAt: at(recv, 9, 0), DueAt: at(due, 17, 0)}
		if fin > 0 {
			x.FinishedAt = at(fin, 10, 0)
		}
		return x
	}
	err := db.PutDossiers([]survey.Dossier{
		d("D1", 2, 6, 4, 0, "nv-lan"), d("D2", 2, 5, 5, 0, "nv-lan"), d("D3", 3, 4, 6, 0, "nv-lan"),
		d("D4", 10, 20, 0, 0, ""), d("D5", 5, 10, 0, 0, ""), d("D6", 5, 6, 9, 3, ""),
		{Code: "B1", Unit: "so-b", ReceivedAt: at(2, 9, 0), DueAt: at(3, 17, 0), FinishedAt: at(3, 9, 0)},
		{Code: "OLD", Unit: "so-a", ReceivedAt: time.Date(2026, 2, 27, 9, 0, 0, 0, hcm), DueAt: at(2, 17, 0), FinishedAt: at(2, 9, 0)},
	})
	if err != nil {
		tb.Fatal(err)
	}
	qr := func(code string, when time.Time, contacts, agencies, complaint int) resp {
		return resp{unit: "so-a", survey: survey.SurveySipas, channel: survey.ChannelQR, at: when, dossier: code,
			answers: map[string]int{"overall": 4}, facts: map[string]int{"tt01_contacts": contacts, "tt01_agencies": agencies, "tt01_complaint": complaint}}
	}
	mustInsert(tb, db, []resp{
		qr("D1", at(4, 11, 0), 0, 1, 0),
		qr("D2", at(5, 11, 0), 1, 2, 0),
		qr("D3", at(6, 11, 0), 2, 0, 1),
		qr("OLD", at(2, 11, 0), 2, 2, 1), // received before the period: not scored
	})
}

func TestTimeliness(t *testing.T) {
	db := mustOpen(t)
	mustOrg(t, db)
	mustDossiers(t, db)
	eng := newEngine(survey.ServicesOf(db), "")
	r, err := eng.Timeliness(Filter{Unit: "so-a"}, march)
	if err != nil {
		t.Fatal(err)
	}
	if r.Received != 6 || r.Finished != 4 || r.Early != 1 || r.OnTime != 2 || r.Late != 1 || r.InProgress != 2 || r.InProgressOverdue != 1 {
		t.Fatalf("counts %+v", r)
	}
	check(t, "early", r.EarlyPct, 16.67)
	check(t, "on time", r.OnTimePct, 33.33)
	check(t, "late", r.LatePct, 16.67)
	check(t, "766", r.Rate766, 66.67) // (1 + 2 + 1 not overdue) / 6
	r, _ = eng.Timeliness(Filter{}, march)
	if r.Received != 7 {
		t.Errorf("whole installation: %d received", r.Received)
	}
	r, _ = eng.Timeliness(Filter{Unit: "so-c"}, march)
	if r.OK || r.Received != 0 {
		t.Errorf("nothing received: %+v", r)
	}
}

func TestTT01(t *testing.T) {
	db := mustOpen(t)
	mustOrg(t, db)
	mustDossiers(t, db)
	res, err := newEngine(survey.ServicesOf(db), "").TT01(Filter{Unit: "so-a"}, march)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Agencies) != 1 || len(res.Staff) != 1 {
		t.Fatalf("rows %+v", res)
	}
	a := res.Agencies[0]
	// Index 1: D1 2, D2 1, D3 0, D6 1 → 1.0; index 3: 2, 1, 0 → 1.0;
	// index 4: 2, 0, 2 → 1.3; index 7: 2, 1, complaint 0 → 1.0.
	want := []TT01Index{{1, 4, 4, 1}, {3, 3, 3, 1}, {4, 4, 3, 1.3}, {7, 3, 3, 1}}
	if a.Key != "so-a" || a.Dossiers != 6 || a.Answered != 3 || a.Total != 4.3 || a.Max != 8 || a.Scaled != 9.7 || a.Grade != "Khá" { // 4.3 × 18 ÷ 8 = 9.7
		t.Errorf("agency %+v", a)
	}
	for i, w := range want {
		if i >= len(a.Indices) || a.Indices[i] != w {
			t.Errorf("agency indices %+v, want %+v", a.Indices, want)
			break
		}
	}
	s := res.Staff[0]
	// nv-lan has D1–D3: index 1 (2+1+0)/3 = 1.0, the rest as the agency's.
	if s.Key != "nv-lan" || s.Name != "Nguyễn Thị Lan" || s.Unit != "so-a" || s.Dossiers != 3 || s.Total != 4.3 || s.Scaled != 5.4 || s.Grade != "Tốt" { // 4.3 × 10 ÷ 8 = 5.4
		t.Errorf("staff %+v", s)
	}
}
