// Package pubtest seeds a store with a dataset that tests the public pages
// against: comments with a marker, named staff and counters, an agency under
// the minimum n, misuse- and unverified-flagged responses, responses before
// the "published from" day, a withheld agency and a non-public group. Only
// tests import it.
package pubtest

import (
	"fmt"
	"strconv"
	"time"

	"hailong/survey"
)

// Markers that must never appear on a public page or in the open data.
const (
	CommentMarker   = "MẬT-XYZ-42"
	StaffName       = "Trần Thị Bímật" // 40 responses in Q3: public only with staff publication
	FewStaffName    = "Lê Văn Ítphiếu" // 5 responses: never public
	CounterName     = "Quầy Bímật"     // 40 responses in Q3: public only with staff publication
	HiddenUnitName  = "Sở Ẩn Danh"     // withheld from its public group
	HiddenGroupName = "Khối Kín"       // not public
	HiddenGroupUnit = "Bệnh viện Kín"  // in the non-public group
	FewUnitName     = "Sở Gamma"       // 12 responses: too few
	FewUnitID       = "so-c"           //
	StaffID         = "st-a1"          //
	CounterID       = "q-a1"           //
	GroupID         = "khoi-so"        // the public group
	HiddenGroupID   = "khoi-kin"       //
	HiddenUnitID    = "so-d"           //
	HiddenGroupUID  = "bv-kin"         //
	UnitA, UnitB    = "so-a", "so-b"   // Sở Alpha, Sở Beta
)

// Expected figures with the default method (share45) and minimum n (30),
// flagged responses and those before PublishFrom excluded:
//
//	year Y (from 1 March): Sở Beta 90,00 % (n 70) rank 1, Sở Alpha 50,00 % (n 80) rank 2, Sở Gamma too few
//	Q3: Sở Beta 80,00 % (n 35, −20,00 since Q2), Sở Alpha 60,00 % (n 40, +20,00 since Q2)
//
// Sở Alpha also has 50 responses before PublishFrom and 200 flagged ones,
// all "very dissatisfied": counted by mistake, they would pull it down.
type Fixture struct {
	Year        int
	PublishFrom string // YYYY-MM-DD: 1 March of Year
}

// Seed fills db (which must have no units) for year y.
func Seed(db *survey.Services, y int) (Fixture, error) {
	fx := Fixture{Year: y, PublishFrom: fmt.Sprintf("%d-03-01", y)}
	if err := org(db); err != nil {
		return fx, err
	}
	loc := db.Clock.Loc()
	at := func(m time.Month, i int) time.Time { return time.Date(y, m, 1+i%60, 9+i%8, i%60, 0, 0, loc) }
	var rs []*survey.Response
	add := func(n int, unit string, month time.Month, pattern []int, set func(i int, r *survey.Response)) {
		for i := 0; i < n; i++ {
			r := answer(unit, at(month, i), pattern[i%len(pattern)])
			if set != nil {
				set(i, r)
			}
			rs = append(rs, r)
		}
	}
	q3a := func(i int, r *survey.Response) {
		r.Counter, r.Staff = CounterID, StaffID
		if i%4 == 0 {
			r.Comment = "Phải đứng chờ lâu " + CommentMarker + " gọi 0912345678"
		}
	}
	add(40, UnitA, time.April, []int{5, 4, 3, 2, 1}, func(i int, r *survey.Response) {
		if i < 5 {
			r.Staff = "st-a2"
		}
	})
	add(40, UnitA, time.July, []int{5, 4, 4, 3, 2}, q3a)
	add(50, UnitA, time.January, []int{1}, nil) // before PublishFrom
	add(100, UnitA, time.August, []int{1}, func(_ int, r *survey.Response) { r.Flags = survey.FlagMisuse })
	add(100, UnitA, time.September, []int{1}, func(_ int, r *survey.Response) {
		r.Channel, r.Flags = survey.ChannelWeb, survey.FlagUnverified
	})
	add(35, UnitB, time.April, []int{5, 5, 5, 5, 4}, nil)
	add(35, UnitB, time.July, []int{5, 5, 4, 4, 3}, nil)
	add(12, FewUnitID, time.July, []int{5}, nil)
	add(60, HiddenUnitID, time.July, []int{5}, nil)
	add(60, HiddenGroupUID, time.July, []int{5}, nil)
	for _, r := range rs {
		r.ReceivedAt = r.SubmittedAt // received then: the window holds live submissions only
		if err := db.Responses.Prepare(r); err != nil {
			return fx, err
		}
	}
	if err := db.Responses.InsertMany(rs); err != nil {
		return fx, err
	}
	return fx, db.Dossiers.PutDossiers(dossiers(y, loc))
}

func org(db *survey.Services) error {
	for _, g := range []survey.Group{{ID: GroupID, Name: "Khối Sở, ban, ngành"}, {ID: HiddenGroupID, Name: HiddenGroupName}} {
		if err := db.Org.PutGroup(g); err != nil {
			return err
		}
	}
	if err := db.Org.PutUnits([]survey.Unit{
		{ID: "tinh-mau", Name: "UBND tỉnh Mẫu"},
		{ID: UnitA, Name: "Sở Alpha", Parent: "tinh-mau", Group: GroupID},
		{ID: "so-a-vp", Name: "Văn phòng Sở Alpha", Parent: UnitA},
		{ID: UnitB, Name: "Sở Beta", Parent: "tinh-mau", Group: GroupID},
		{ID: FewUnitID, Name: FewUnitName, Parent: "tinh-mau", Group: GroupID},
		{ID: HiddenUnitID, Name: HiddenUnitName, Parent: "tinh-mau", Group: GroupID},
		{ID: HiddenGroupUID, Name: HiddenGroupUnit, Parent: "tinh-mau", Group: HiddenGroupID},
	}); err != nil {
		return err
	}
	if err := db.Counters.PutCounter(survey.Counter{ID: CounterID, Unit: UnitA, Name: CounterName}); err != nil {
		return err
	}
	for _, s := range []survey.Staff{{ID: StaffID, Unit: UnitA, Name: StaffName}, {ID: "st-a2", Unit: UnitA, Name: FewStaffName}} {
		if err := db.Staff.PutStaff(s); err != nil {
			return err
		}
	}
	return nil
}

// answer is a kiosk response giving every criterion of the quay survey the
// same score.
func answer(unit string, at time.Time, score int) *survey.Response {
	a := map[string]int{}
	for _, k := range []string{"overall", "access", "facilities", "staff_attitude", "staff_guidance", "timeliness", "website"} {
		a[k] = score
	}
	return &survey.Response{Survey: survey.SurveyQuay, Channel: survey.ChannelKiosk, Unit: unit, Answers: a, SubmittedAt: at}
}

// dossiers: Sở Alpha 40 in Q3 (35 early, 3 on time, 2 late) and 20 late
// ones in February (before PublishFrom); Sở Beta 10 (too few).
func dossiers(y int, loc *time.Location) []survey.Dossier {
	var out []survey.Dossier
	mk := func(unit, code string, recv time.Time, finishAfter int) survey.Dossier {
		due := recv.AddDate(0, 0, 10)
		return survey.Dossier{Code: code, Unit: unit, ReceivedAt: recv, DueAt: due, FinishedAt: due.AddDate(0, 0, finishAfter)}
	}
	for i := 0; i < 40; i++ {
		after := -3
		switch {
		case i >= 38:
			after = 2
		case i >= 35:
			after = 0
		}
		out = append(out, mk(UnitA, "A-"+strconv.Itoa(i), time.Date(y, time.July, 1+i, 9, 0, 0, 0, loc), after))
	}
	for i := 0; i < 20; i++ {
		out = append(out, mk(UnitA, "A-OLD-"+strconv.Itoa(i), time.Date(y, time.February, 1+i, 9, 0, 0, 0, loc), 5))
	}
	for i := 0; i < 10; i++ {
		out = append(out, mk(UnitB, "B-"+strconv.Itoa(i), time.Date(y, time.August, 1+i, 9, 0, 0, 0, loc), -1))
	}
	return out
}
