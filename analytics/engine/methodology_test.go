package engine

import (
	"testing"

	"hailong/survey"
)

// The worked examples of docs/METHODOLOGY.md, reproduced exactly. If a
// figure here changes, change the document with it.

func hist(scale int, n ...uint64) *survey.Hist {
	h := &survey.Hist{Scale: scale}
	copy(h.N[:], n)
	return h
}

// exampleTally is the kiosk survey of the document's example 4: 210
// responses with at least one valid answer.
func exampleTally() *survey.Tally {
	return &survey.Tally{Responses: 210, Empty: 4, Criteria: map[string]*survey.Hist{
		"overall":        hist(5, 0, 10, 15, 25, 70, 80),  // 150 of 200 → 75.00
		"access":         hist(5, 3, 2, 3, 5, 40, 50),     // 90 of 100
		"facilities":     hist(5, 5, 3, 7, 10, 45, 35),    // 80 of 100 (example 1)
		"staff_attitude": hist(5, 0, 5, 10, 15, 40, 30),   // 70 of 100
		"staff_guidance": hist(5, 0, 1, 3, 8, 20, 18),     // 38 of 50
		"timeliness":     hist(5, 0, 10, 10, 20, 30, 30),  // 60 of 100
		"website":        hist(5, 12, 30, 29, 40, 51, 50), // 101 of 200
	}}
}

func check(t *testing.T, what string, got, want float64) {
	t.Helper()
	if Round2(got) != want {
		t.Errorf("%s = %v (%.2f), want %.2f", what, got, Round2(got), want)
	}
}

func TestMethodologyExamples(t *testing.T) {
	t.Run("1 Share45", func(t *testing.T) {
		h := *hist(5, 5, 3, 7, 10, 45, 35)
		v, n, _ := Share45(h)
		lo, hi, _ := Wilson(v, n)
		check(t, "share45", v, 80)
		check(t, "ci_low", lo, 71.12)
		check(t, "ci_high", hi, 86.66)
		if n != 100 {
			t.Errorf("n = %d, want 100 (N/A excluded)", n)
		}
	})
	t.Run("2 ThreeLevelScale", func(t *testing.T) {
		h := *hist(3, 2, 6, 30, 14)
		v, n, _ := Share45(h)
		lo, hi, _ := Wilson(v, n)
		check(t, "share45", v, 88)
		check(t, "ci_low", lo, 76.20)
		check(t, "ci_high", hi, 94.38)
		m, _, _ := Mean(h)
		check(t, "mean", m, 2.16)
		check(t, "mean %", MeanPercent(m, 3), 58)
	})
	t.Run("3 Mean", func(t *testing.T) {
		h := *hist(5, 5, 3, 7, 10, 45, 35)
		m, _, _ := Mean(h)
		check(t, "mean", m, 4.02)
		check(t, "mean %", MeanPercent(m, 5), 75.5)
		lo, hi, _ := MeanCI(h)
		check(t, "ci_low", lo, 70.58)
		check(t, "ci_high", hi, 80.42)
	})
	t.Run("4 Methods", func(t *testing.T) {
		cat := CatalogueOf(survey.DefaultQuay())
		r := Compute(exampleTally(), cat, MethodShare45)
		want := map[string]float64{"tiep_can": 85, "cong_chuc": 73, "ket_qua": 60, "truc_tuyen": 50.5}
		for _, e := range r.Elements {
			check(t, "element "+e.Key, e.Value, want[e.Key])
		}
		check(t, "share45 index", r.Index.Value, 67.13)
		check(t, "ci_low", r.Index.Lo, 60.51)
		check(t, "ci_high", r.Index.Hi, 73.12)
		if r.Index.N != 210 {
			t.Errorf("index n = %d, want 210", r.Index.N)
		}
		check(t, "pooled", Compute(exampleTally(), cat, MethodPooled).Index.Value, 67.54)
		ov := Compute(exampleTally(), cat, MethodOverall).Index
		check(t, "overall question", ov.Value, 75)
		check(t, "overall ci_low", ov.Lo, 68.57)
		check(t, "overall ci_high", ov.Hi, 80.49)
	})
	t.Run("5 TooFew", func(t *testing.T) {
		if !TooFew(29, 30) || TooFew(30, 30) {
			t.Error("29 must be too few and 30 enough at a minimum of 30")
		}
	})
	t.Run("6 Delta", func(t *testing.T) {
		if d := DeltaPP(76.294, 76.566); d != -0.27 {
			t.Errorf("delta = %v, want -0.27 (not -0.28 from the rounded values)", d)
		}
		if d := Round2(76.294) - Round2(76.566); Round2(d) != -0.28 {
			t.Errorf("rounded first = %v", d)
		}
	})
	t.Run("7 Rank", func(t *testing.T) {
		pos, of := Rank([]Rankable{
			{ID: "so-a", Value: 81.234, OK: true, N: 500},
			{ID: "so-b", Value: 79.5, OK: true, N: 400},
			{ID: "so-c", Value: 79.499, OK: true, N: 300},
			{ID: "so-d", Value: 78, OK: true, N: 200},
			{ID: "so-e", Value: 90, OK: true, N: 20},
		}, 30)
		want := map[string]int{"so-a": 1, "so-b": 2, "so-c": 2, "so-d": 4}
		if of != 4 || len(pos) != 4 {
			t.Fatalf("ranked %d: %v", of, pos)
		}
		for id, p := range want {
			if pos[id] != p {
				t.Errorf("%s rank %d, want %d", id, pos[id], p)
			}
		}
	})
	t.Run("8 TimelinessSPEC", func(t *testing.T) {
		r := Timeliness(survey.Timeliness{Received: 14197, Finished: 14197, Early: 13998, OnTime: 182, Late: 17})
		check(t, "early", r.EarlyPct, 98.60)
		check(t, "on time", r.OnTimePct, 1.28)
		check(t, "late", r.LatePct, 0.12)
		check(t, "766", r.Rate766, 99.88)
		if r.Denominator != "received" {
			t.Errorf("denominator %q", r.Denominator)
		}
	})
	t.Run("9 Rate766", func(t *testing.T) {
		r := Timeliness(survey.Timeliness{Received: 1000, Finished: 900, Early: 700, OnTime: 150, Late: 50, InProgress: 100, InProgressNotOverdue: 80})
		check(t, "766", r.Rate766, 93)
		check(t, "early", r.EarlyPct, 70)
		check(t, "in progress", r.InProgressPct, 10)
		if r.InProgressOverdue != 20 {
			t.Errorf("overdue %d", r.InProgressOverdue)
		}
	})
	t.Run("10 PainPoints", func(t *testing.T) {
		tl := &survey.Tally{Responses: 100, Criteria: map[string]*survey.Hist{"facilities": hist(5, 5, 3, 7, 10, 45, 35)},
			Reasons: map[string]map[string]uint64{"facilities": {"had_to_stand": 6, "glass_partition": 4, "waited_long": 1}}}
		ps := PainPoints(tl, CatalogueOf(survey.DefaultQuay()), 2)
		if len(ps) != 1 || ps[0].Negative != 10 || len(ps[0].Reasons) != 2 {
			t.Fatalf("pain points %+v", ps)
		}
		check(t, "negative", ps[0].Value, 10)
		check(t, "ci_low", ps[0].Lo, 5.52)
		check(t, "ci_high", ps[0].Hi, 17.44)
		check(t, "had_to_stand", ps[0].Reasons[0].Share, 60)
		check(t, "glass_partition", ps[0].Reasons[1].Share, 40)
	})
	t.Run("11 TT01", func(t *testing.T) {
		ds := []TT01Facts{
			{Outcome: survey.Early, Contacts: 0, Agencies: 1, Complaint: 0},
			{Outcome: survey.OnTime, Contacts: 1, Agencies: 0, Complaint: 0},
			{Outcome: survey.Late, Contacts: 2, Agencies: 2, Complaint: 0},
			{Outcome: survey.Early, Contacts: 0, Agencies: 1, Complaint: 1},
			NoFacts(survey.Early),
		}
		s := ScoreTT01(ds, 18, AgencyGrade)
		want := []TT01Index{{1, 7, 5, 1.4}, {3, 5, 4, 1.3}, {4, 6, 4, 1.5}, {7, 3, 4, 0.8}}
		if len(s.Indices) != len(want) {
			t.Fatalf("indices %+v", s.Indices)
		}
		for i, w := range want {
			if s.Indices[i] != w {
				t.Errorf("index %d: %+v, want %+v", w.Index, s.Indices[i], w)
			}
		}
		// 5.0 of 8 attainable → 11.3 of 18 → Khá (not Yếu, as the raw 5.0 would be).
		if s.Total != 5 || s.Max != 8 || s.Scaled != 11.3 || s.Grade != "Khá" {
			t.Errorf("agency: total %v of %d (%v of 18), %s; want 5.0 of 8 (11.3), Khá", s.Total, s.Max, s.Scaled, s.Grade)
		}
		// 5.0 of 8 → 6.3 of 10 → Tốt.
		if st := ScoreTT01(ds, 10, StaffGrade); st.Scaled != 6.3 || st.Grade != "Tốt" {
			t.Errorf("staff %v of 10, %s; want 6.3, Tốt", st.Scaled, st.Grade)
		}
		for total, g := range map[float64]string{15: "Xuất sắc", 14.9: "Tốt", 12: "Tốt", 11.9: "Khá", 9: "Khá", 6: "Trung bình", 5.9: "Yếu"} {
			if AgencyGrade(total) != g {
				t.Errorf("agency %v: %s, want %s", total, AgencyGrade(total), g)
			}
		}
		for total, g := range map[float64]string{5: "Tốt", 4.9: "Đạt", 3.5: "Đạt", 3.4: "Không đạt"} {
			if StaffGrade(total) != g {
				t.Errorf("staff %v: %s, want %s", total, StaffGrade(total), g)
			}
		}
	})
}
