package engine

import (
	"testing"

	"hailong/survey"
)

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
