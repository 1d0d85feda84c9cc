package pubtest

import (
	"strconv"
	"time"

	"hailong/survey"
)

// SeedSmallCells adds, to a store seeded by Seed for year y, figures under
// the minimum n that the rest of the year would give away by subtraction
// without complementary suppression:
//
//	Sở Beta, Q4: 17 responses (the year minus Q2 and Q3 would tell it)
//	Sở Alpha, Q3: 8 responses at a second counter, by a third staff member
//	  (the agency minus the first counter, minus the first staff member)
//	Sở Alpha, Q4: 40 responses, "facilities" answered by 20 of them (the
//	  element's mean minus "access"; the year minus Q2 and Q3)
//	Sở Alpha, Q4: 12 dossiers (the year's 52 minus Q3's 40)
func SeedSmallCells(db *survey.Services, y int) error {
	if err := db.Counters.PutCounter(survey.Counter{ID: "q-a2", Unit: UnitA, Name: "Quầy Hai"}); err != nil {
		return err
	}
	if err := db.Staff.PutStaff(survey.Staff{ID: "st-a3", Unit: UnitA, Name: "Phạm Văn Ba"}); err != nil {
		return err
	}
	loc := db.Clock.Loc()
	at := func(m time.Month, i int) time.Time { return time.Date(y, m, 1+i%28, 9+i%8, i%60, 0, 0, loc) }
	var rs []*survey.Response
	for i := 0; i < 8; i++ {
		r := answer(UnitA, at(time.July, i), 4)
		r.Counter, r.Staff = "q-a2", "st-a3"
		rs = append(rs, r)
	}
	for i := 0; i < 40; i++ {
		r := answer(UnitA, at(time.November, i), []int{5, 4, 3}[i%3])
		if i >= 20 {
			delete(r.Answers, "facilities")
		}
		rs = append(rs, r)
	}
	for i := 0; i < 17; i++ {
		rs = append(rs, answer(UnitB, at(time.October, i), []int{5, 4}[i%2]))
	}
	for _, r := range rs {
		r.ReceivedAt = r.SubmittedAt // received then: the window holds live submissions only
		if err := db.Responses.Prepare(r); err != nil {
			return err
		}
	}
	if err := db.Responses.InsertMany(rs); err != nil {
		return err
	}
	var ds []survey.Dossier
	for i := 0; i < 12; i++ {
		recv := time.Date(y, time.October, 1+i, 9, 0, 0, 0, loc)
		ds = append(ds, survey.Dossier{Code: "A-Q4-" + strconv.Itoa(i), Unit: UnitA, ReceivedAt: recv,
			DueAt: recv.AddDate(0, 0, 10), FinishedAt: recv.AddDate(0, 0, 5)})
	}
	return db.Dossiers.PutDossiers(ds)
}
