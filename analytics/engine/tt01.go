package engine

import "hailong/survey"

// TT 01/2018/TT-VPCP scoring (docs/METHODOLOGY.md "TT 01"). The circular's
// evaluation form has nine indices of 0–2 points per dossier; Hài Lòng has
// the data for four of them: 1 (total time against the limit, from the
// dossier), 3 (times the citizen had to come back) and 4 (agencies
// contacted), from the receipt form's facts, and 7 (attitude), from both.
// Indices without data are left out.

// TT01Facts is what is known of one dossier: its outcome and, when its
// receipt form was answered, the TT 01 facts (option indexes; −1 unknown).
type TT01Facts struct {
	Outcome   survey.Outcome
	Contacts  int // tt01_contacts: 0 none, 1 once, 2 twice or more
	Agencies  int // tt01_agencies: 0 none, 1 only the one-stop desk, 2 several agencies
	Complaint int // tt01_complaint: 0 no, 1 yes
}

// NoFacts is a dossier whose receipt form was not answered.
func NoFacts(o survey.Outcome) TT01Facts {
	return TT01Facts{Outcome: o, Contacts: -1, Agencies: -1, Complaint: -1}
}

// TT01Indices are the indices scored, in order.
var TT01Indices = []int{1, 3, 4, 7}

// TT01Points returns a dossier's points on index i (1, 3, 4 or 7); ok is
// false when the dossier has no data for it.
func TT01Points(i int, f TT01Facts) (pts int, ok bool) {
	switch i {
	case 1: // early 2, on the due date 1, late 0; in progress: not yet
		return outcomePoints(f.Outcome)
	case 3: // never came back 2, once 1, twice or more 0
		if f.Contacts < 0 {
			return 0, false
		}
		return max(0, 2-f.Contacts), true
	case 4: // no agency other than the one-stop desk 2, several agencies 0
		switch f.Agencies {
		case 0, 1:
			return 2, true
		case 2:
			return 0, true
		}
		return 0, false
	case 7: // any complaint 0; else early 2, on time 1, late 0
		switch {
		case f.Complaint < 0:
			return 0, false
		case f.Complaint > 0:
			return 0, true
		}
		return outcomePoints(f.Outcome)
	}
	return 0, false
}

func outcomePoints(o survey.Outcome) (int, bool) {
	switch o {
	case survey.Early:
		return 2, true
	case survey.OnTime:
		return 1, true
	case survey.Late:
		return 0, true
	}
	return 0, false
}

// TT01Index is one index's score: Σ points ÷ dossiers with data.
type TT01Index struct {
	Index    int
	Points   int
	Dossiers int
	Score    float64 // rounded to 1 decimal
}

// TT01Score is the score of a set of dossiers (a staff member's or an
// agency's): the indices with data, their total and its grade.
type TT01Score struct {
	Indices  []TT01Index
	Dossiers int
	Total    float64 // Σ of the index scores (each rounded to 1 decimal), rounded to 1 decimal
	Max      int     // 2 × the indices with data
	Scaled   float64 // Total brought to the circular's full scale (18 or 10): Total × full ÷ Max, 1 decimal
	Grade    string  // the band of Scaled
}

// ScoreTT01 scores dossiers; grade is AgencyGrade (full = 18) or StaffGrade
// (full = 10). Indices without data are left out; the grade is taken on the
// total brought to the full scale, so that an agency with data on 4 of 9
// indices is graded on what it could attain ("max per the indices with data").
func ScoreTT01(ds []TT01Facts, full int, grade func(float64) string) TT01Score {
	s := TT01Score{Dossiers: len(ds)}
	for _, i := range TT01Indices {
		ix := TT01Index{Index: i}
		for _, f := range ds {
			if p, ok := TT01Points(i, f); ok {
				ix.Points += p
				ix.Dossiers++
			}
		}
		if ix.Dossiers == 0 {
			continue // no data: left out, as the circular says
		}
		ix.Score = Round1(float64(ix.Points) / float64(ix.Dossiers))
		s.Indices = append(s.Indices, ix)
		s.Total += ix.Score
		s.Max += 2
	}
	s.Total = Round1(s.Total)
	if len(s.Indices) > 0 {
		s.Scaled = Round1(s.Total * float64(full) / float64(s.Max))
		s.Grade = grade(s.Scaled)
	}
	return s
}

// Agency grade bands (of 18 points, nine indices): ≥ 15, 12–<15, 9–<12,
// 6–<9, < 6. Exactly 15 is Xuất sắc.
func AgencyGrade(total float64) string {
	switch t := Round1(total); {
	case t >= 15:
		return "Xuất sắc"
	case t >= 12:
		return "Tốt"
	case t >= 9:
		return "Khá"
	case t >= 6:
		return "Trung bình"
	}
	return "Yếu"
}

// StaffGrade bands (of 10 points, five indices): ≥ 5, 3.5–<5, < 3.5.
func StaffGrade(total float64) string {
	switch t := Round1(total); {
	case t >= 5:
		return "Tốt"
	case t >= 3.5:
		return "Đạt"
	}
	return "Không đạt"
}
