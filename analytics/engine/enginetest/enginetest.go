// Package enginetest holds the fixtures the tests of analytics and its
// engine share: a store on a real bbolt file with a fixed clock, a small
// province, responses to insert, and dossiers. It is for tests only.
package enginetest

import (
	"hailong/survey/bolt"
	"path/filepath"
	"testing"
	"time"

	"hailong/survey"
)

// HCM is the installation zone of the fixtures.
var HCM, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

// TestNow is the fixed "today" of the store tests: 18 March 2026.
var TestNow = time.Date(2026, 3, 18, 10, 30, 0, 0, HCM)

// MustOpen opens a store on a real bbolt file in a temporary folder.
func MustOpen(tb testing.TB) *bolt.DB {
	tb.Helper()
	db, err := bolt.Open(filepath.Join(tb.TempDir(), "hailong.db"),
		bolt.Options{Loc: HCM, Now: func() time.Time { return TestNow }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// MustOrg makes a province with five agencies of khối Sở (so-a … so-e), a
// department under so-a, an agency without a group, counters and staff.
func MustOrg(tb testing.TB, db *bolt.DB) {
	tb.Helper()
	units := []survey.Unit{{ID: "tinh", Name: "UBND Tỉnh"}}
	for _, id := range []string{"so-a", "so-b", "so-c", "so-d", "so-e"} {
		units = append(units, survey.Unit{ID: id, Name: "Sở " + id[3:], Parent: "tinh", Group: "khoi-so"})
	}
	units = append(units, survey.Unit{ID: "so-a-vp", Name: "Văn phòng Sở A", Parent: "so-a"},
		survey.Unit{ID: "ban-x", Name: "Ban X", Parent: "tinh"})
	if err := db.PutUnits(units); err != nil {
		tb.Fatal(err)
	}
	for _, c := range []survey.Counter{{ID: "a-q1", Unit: "so-a", Name: "Quầy 1"}, {ID: "a-q2", Unit: "so-a", Name: "Quầy 2"}, {ID: "b-q1", Unit: "so-b", Name: "Quầy 1"}} {
		if err := db.PutCounter(c); err != nil {
			tb.Fatal(err)
		}
	}
	for _, s := range []survey.Staff{{ID: "nv-lan", Unit: "so-a", Name: "Nguyễn Thị Lan"}, {ID: "nv-hung", Unit: "so-b", Name: "Trần Văn Hùng"}} {
		if err := db.PutStaff(s); err != nil {
			tb.Fatal(err)
		}
	}
}

// ThreeLevel is a survey on the 3-level scale: its staff_attitude shares the
// key of the kiosk survey's 5-level one (joined as "staff_attitude@3").
func ThreeLevel() *survey.Survey {
	t := func(s string) survey.Text { return survey.Text{Vi: s, En: s} }
	return &survey.Survey{Key: "ba-muc", Title: t("Ba mức"),
		Elements: []survey.Element{{Key: "cong_chuc", Label: t("Công chức")}, {Key: "ket_qua", Label: t("Kết quả")}},
		Criteria: []survey.Criterion{
			{Key: "overall", Label: t("Chung"), Short: t("Chung"), Scale: 3},
			{Key: "staff_attitude", Element: "cong_chuc", Label: t("Thái độ"), Short: t("Thái độ"), Scale: 3},
			{Key: "result_ok", Element: "ket_qua", Label: t("Kết quả"), Short: t("Kết quả"), Scale: 3},
		},
		Reasons: []survey.Reason{{Key: "staff_impolite", Label: t("Thiếu lịch sự")}}}
}

// Resp is a response to insert: unit, survey, answers (criterion → score, 0
// = N/A), at a time.
type Resp struct {
	Unit, Survey string
	At           time.Time
	Answers      map[string]int
	Reasons      []string
	Channel      survey.Channel
	Counter      string
	Staff        string
	Procedure    string
	Flags        survey.Flags
	Dossier      string
	Facts        map[string]int
}

// MustInsert prepares and stores rs in one bulk insert.
func MustInsert(tb testing.TB, db *bolt.DB, rs []Resp) {
	tb.Helper()
	batch := make([]*survey.Response, 0, len(rs))
	for _, x := range rs {
		r := &survey.Response{Survey: x.Survey, Unit: x.Unit, Channel: x.Channel, Answers: x.Answers, Reasons: x.Reasons,
			Counter: x.Counter, Staff: x.Staff, Procedure: x.Procedure, Flags: x.Flags, Dossier: x.Dossier, Facts: x.Facts,
			SubmittedAt: x.At, ReceivedAt: x.At}
		if r.Channel == 0 {
			r.Channel = survey.ChannelWeb
		}
		if r.Survey == "" {
			r.Survey = survey.SurveyQuay
		}
		if err := db.Prepare(r); err != nil {
			tb.Fatalf("prepare %+v: %v", x, err)
		}
		batch = append(batch, r)
	}
	if err := db.InsertMany(batch); err != nil {
		tb.Fatal(err)
	}
}

// Repeat returns n copies of r, a minute apart from r.At.
func Repeat(n int, r Resp) []Resp {
	out := make([]Resp, n)
	for i := range out {
		out[i] = r
		out[i].At = r.At.Add(time.Duration(i) * time.Minute)
	}
	return out
}

// Day is a calendar day in HCM, as the store counts days.
func Day(y int, m time.Month, d int) int32 {
	return survey.DayOf(time.Date(y, m, d, 12, 0, 0, 0, HCM), HCM)
}

// MarchAt is a time in March 2026, the month of the dossier tests.
func MarchAt(d, hh, mm int) time.Time { return time.Date(2026, 3, d, hh, mm, 0, 0, HCM) }

// MustDossiers stores six dossiers of so-a received in March 2026 ("today"
// is the 18th) and the receipt forms of three of them.
//
//	D1 received 2 Mar, due 6, finished 4         early
//	D2 received 2 Mar, due 5, finished 5         on time
//	D3 received 3 Mar, due 4, finished 6         late
//	D4 received 10 Mar, due 20, not finished     in progress, not overdue
//	D5 received 5 Mar, due 10, not finished      in progress, overdue
//	D6 received 5 Mar, due 6 + 3 supplement days, finished 9: on time
func MustDossiers(tb testing.TB, db *bolt.DB) {
	tb.Helper()
	d := func(code string, recv, due, fin, suppl int, staff string) survey.Dossier {
		x := survey.Dossier{Code: code, Unit: "so-a", Procedure: "1.001", Staff: staff, SupplementDays: suppl,
			ReceivedAt: MarchAt(recv, 9, 0), DueAt: MarchAt(due, 17, 0)}
		if fin > 0 {
			x.FinishedAt = MarchAt(fin, 10, 0)
		}
		return x
	}
	err := db.PutDossiers([]survey.Dossier{
		d("D1", 2, 6, 4, 0, "nv-lan"), d("D2", 2, 5, 5, 0, "nv-lan"), d("D3", 3, 4, 6, 0, "nv-lan"),
		d("D4", 10, 20, 0, 0, ""), d("D5", 5, 10, 0, 0, ""), d("D6", 5, 6, 9, 3, ""),
		{Code: "B1", Unit: "so-b", ReceivedAt: MarchAt(2, 9, 0), DueAt: MarchAt(3, 17, 0), FinishedAt: MarchAt(3, 9, 0)},
		{Code: "OLD", Unit: "so-a", ReceivedAt: time.Date(2026, 2, 27, 9, 0, 0, 0, HCM), DueAt: MarchAt(2, 17, 0), FinishedAt: MarchAt(2, 9, 0)},
	})
	if err != nil {
		tb.Fatal(err)
	}
	qr := func(code string, when time.Time, contacts, agencies, complaint int) Resp {
		return Resp{Unit: "so-a", Survey: survey.SurveySipas, Channel: survey.ChannelQR, At: when, Dossier: code,
			Answers: map[string]int{"overall": 4}, Facts: map[string]int{"tt01_contacts": contacts, "tt01_agencies": agencies, "tt01_complaint": complaint}}
	}
	MustInsert(tb, db, []Resp{
		qr("D1", MarchAt(4, 11, 0), 0, 1, 0),
		qr("D2", MarchAt(5, 11, 0), 1, 2, 0),
		qr("D3", MarchAt(6, 11, 0), 2, 0, 1),
		qr("OLD", MarchAt(2, 11, 0), 2, 2, 1), // received before the period: not scored
	})
}
