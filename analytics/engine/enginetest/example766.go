package enginetest

import (
	"path/filepath"
	"testing"
	"time"

	"hailong/survey"
	"hailong/survey/bolt"
)

// Example766 builds the worked example of docs/METHODOLOGY.md section 16
// (Example 18) through the store's own steps, each at its time on a clock
// that moves, and leaves the clock at TestNow (18 March 2026, 10:30):
// province of MustOrg; so-a receives ten dossiers H1–H10 in March 2026
// (receipts issued for H1–H8, answered for H1–H5) and opens cases C1–C6
// in March and C7 on 26 February; so-b receives B1 (not in so-a's figures).
func Example766(tb testing.TB) *bolt.DB {
	tb.Helper()
	now := TestNow
	db, err := bolt.Open(filepath.Join(tb.TempDir(), "hailong.db"),
		bolt.Options{Loc: HCM, Now: func() time.Time { return now }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	MustOrg(tb, db)
	ex := &example766{tb: tb, db: db, now: &now, tokens: map[string]string{}}
	ex.dossiers()
	ex.cases()
	now = TestNow
	return db
}

type example766 struct {
	tb     testing.TB
	db     *bolt.DB
	now    *time.Time
	tokens map[string]string // dossier code → receipt token
}

func (x *example766) must(err error) {
	x.tb.Helper()
	if err != nil {
		x.tb.Fatal(err)
	}
}

// at moves the clock to March d, hh:00 (February when d < 0: day −d).
func (x *example766) at(d, hh int) time.Time {
	m := time.March
	if d < 0 {
		m, d = time.February, -d
	}
	*x.now = time.Date(2026, m, d, hh, 0, 0, 0, HCM)
	return *x.now
}

// dossiers: code, received, due, finished (0: in progress), receipt?,
// answer (nil: none) and when.
func (x *example766) dossiers() {
	good := map[string]int{"overall": 5, "staff_attitude": 4}
	for _, d := range []struct {
		code           string
		recv, due, fin int
		receipt        bool
		answer         map[string]int
		answered       int
	}{
		{"H1", 2, 6, 4, true, map[string]int{"overall": 4, "staff_attitude": 2}, 4}, // one low mark, satisfied overall
		{"H2", 2, 6, 5, true, map[string]int{"overall": 2, "staff_attitude": 4}, 5}, // a negative overall answer
		{"H3", 3, 5, 9, true, good, 9},                                              // late
		{"H4", 3, 9, 9, true, good, 10},                                             // on time; case C6 about it
		{"H5", 4, 6, 10, true, map[string]int{"overall": 1}, 10},                    // late and negative
		{"H6", 4, 11, 10, true, nil, 0},                                             // early, not answered
		{"H7", 11, 25, 0, true, nil, 0},                                             // in progress, not overdue on the 18th
		{"H8", 5, 12, 0, true, nil, 0},                                              // in progress, overdue
		{"H9", 9, 13, 12, false, nil, 0},                                            // no receipt, early
		{"H10", 9, 11, 13, false, nil, 0},                                           // no receipt, late
	} {
		dos := survey.Dossier{Code: d.code, Unit: "so-a", Procedure: "1.001", ReceivedAt: x.at(d.recv, 9),
			DueAt: time.Date(2026, 3, d.due, 17, 0, 0, 0, HCM)}
		if d.receipt {
			tok, err := x.db.IssueReceipt("letan", &dos, time.Time{})
			x.must(err)
			x.tokens[d.code] = tok
		} else {
			x.must(x.db.PutDossiers([]survey.Dossier{dos}))
		}
		if d.fin > 0 {
			_, err := x.db.FinishDossier(d.code, time.Date(2026, 3, d.fin, 10, 0, 0, 0, HCM), nil)
			x.must(err)
		}
		if d.answer != nil {
			x.at(d.answered, 11)
			x.must(x.db.AnswerReceipt(x.tokens[d.code], &survey.Response{Answers: d.answer}))
		}
	}
	x.must(x.db.PutDossiers([]survey.Dossier{{Code: "B1", Unit: "so-b", ReceivedAt: x.at(2, 9),
		DueAt: time.Date(2026, 3, 3, 17, 0, 0, 0, HCM), FinishedAt: time.Date(2026, 3, 3, 9, 0, 0, 0, HCM)}}))
}

// cases: opened (day), about a dossier, replied (day, 0: never), rating.
// Deadlines are 10 working days after the opening day (the default).
func (x *example766) cases() {
	for i, c := range []struct {
		opened  int
		dossier string
		replied int
		rating  string
	}{
		{2, "", 10, survey.RatingGood}, // C1: due 16 March, replied on time, satisfied
		{3, "", 18, survey.RatingGood}, // C2: due 17, replied the 18th: late
		{4, "", 9, survey.RatingBad},   // C3: due 18, on time, dissatisfied
		{5, "", 0, ""},                 // C4: due 19, no reply yet: in time
		{2, "", 0, ""},                 // C5: due 16, no reply: overdue
		{12, "H4", 13, ""},             // C6: about H4, on time, not rated
		{-26, "", 0, ""},               // C7: opened in February
	} {
		x.at(c.opened, 9)
		k, err := x.db.OpenCase(survey.Case{Unit: "so-a", Kind: survey.CasePetition, Source: survey.SourceCall,
			Dossier: c.dossier, Summary: "Phản ánh số " + string(rune('1'+i))}, nil, "letan")
		x.must(err)
		if c.replied == 0 {
			continue
		}
		x.at(c.replied, 9)
		tok := survey.NewSecret()
		_, err = x.db.ReplyCase(k.ID, survey.CaseReply{Via: survey.ReplyByPhone, Text: "Đã trả lời qua điện thoại."}, tok, nil, "letan")
		x.must(err)
		if c.rating != "" {
			_, err = x.db.RateCase(tok, c.rating)
			x.must(err)
		}
	}
}
