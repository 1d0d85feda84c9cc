package analytics

import (
	"hailong/survey/bolt"
	"path/filepath"
	"testing"
	"time"

	"hailong/survey"
)

var hcm, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

// testNow is the fixed "today" of the store tests: 18 March 2026.
var testNow = time.Date(2026, 3, 18, 10, 30, 0, 0, hcm)

// mustOpen opens a store on a real bbolt file in a temporary folder.
func mustOpen(tb testing.TB) *bolt.DB {
	tb.Helper()
	db, err := bolt.Open(filepath.Join(tb.TempDir(), "hailong.db"),
		bolt.Options{Loc: hcm, Now: func() time.Time { return testNow }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// mustOrg makes a province with five agencies of khối Sở (so-a … so-e), a
// department under so-a, an agency without a group, counters and staff.
func mustOrg(tb testing.TB, db *bolt.DB) {
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

// threeLevel is a survey on the 3-level scale: its staff_attitude shares the
// key of the kiosk survey's 5-level one (joined as "staff_attitude@3").
func threeLevel() *survey.Survey {
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

// resp is a response to insert: unit, survey, answers (criterion → score, 0
// = N/A), at a time.
type resp struct {
	unit, survey string
	at           time.Time
	answers      map[string]int
	reasons      []string
	channel      survey.Channel
	counter      string
	staff        string
	procedure    string
	flags        survey.Flags
	dossier      string
	facts        map[string]int
}

func mustInsert(tb testing.TB, db *bolt.DB, rs []resp) {
	tb.Helper()
	batch := make([]*survey.Response, 0, len(rs))
	for _, x := range rs {
		r := &survey.Response{Survey: x.survey, Unit: x.unit, Channel: x.channel, Answers: x.answers, Reasons: x.reasons,
			Counter: x.counter, Staff: x.staff, Procedure: x.procedure, Flags: x.flags, Dossier: x.dossier, Facts: x.facts,
			SubmittedAt: x.at, ReceivedAt: x.at}
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

// repeat returns n copies of r, a minute apart from r.at.
func repeat(n int, r resp) []resp {
	out := make([]resp, n)
	for i := range out {
		out[i] = r
		out[i].at = r.at.Add(time.Duration(i) * time.Minute)
	}
	return out
}

func day(y int, m time.Month, d int) int32 {
	return survey.DayOf(time.Date(y, m, d, 12, 0, 0, 0, hcm), hcm)
}

// marchAt is a time in March 2026, the month of the dossier tests.
func marchAt(d, hh, mm int) time.Time { return time.Date(2026, 3, d, hh, mm, 0, 0, hcm) }

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
			ReceivedAt: marchAt(recv, 9, 0), DueAt: marchAt(due, 17, 0)}
		if fin > 0 {
			x.FinishedAt = marchAt(fin, 10, 0)
		}
		return x
	}
	err := db.PutDossiers([]survey.Dossier{
		d("D1", 2, 6, 4, 0, "nv-lan"), d("D2", 2, 5, 5, 0, "nv-lan"), d("D3", 3, 4, 6, 0, "nv-lan"),
		d("D4", 10, 20, 0, 0, ""), d("D5", 5, 10, 0, 0, ""), d("D6", 5, 6, 9, 3, ""),
		{Code: "B1", Unit: "so-b", ReceivedAt: marchAt(2, 9, 0), DueAt: marchAt(3, 17, 0), FinishedAt: marchAt(3, 9, 0)},
		{Code: "OLD", Unit: "so-a", ReceivedAt: time.Date(2026, 2, 27, 9, 0, 0, 0, hcm), DueAt: marchAt(2, 17, 0), FinishedAt: marchAt(2, 9, 0)},
	})
	if err != nil {
		tb.Fatal(err)
	}
	qr := func(code string, when time.Time, contacts, agencies, complaint int) resp {
		return resp{unit: "so-a", survey: survey.SurveySipas, channel: survey.ChannelQR, at: when, dossier: code,
			answers: map[string]int{"overall": 4}, facts: map[string]int{"tt01_contacts": contacts, "tt01_agencies": agencies, "tt01_complaint": complaint}}
	}
	mustInsert(tb, db, []resp{
		qr("D1", marchAt(4, 11, 0), 0, 1, 0),
		qr("D2", marchAt(5, 11, 0), 1, 2, 0),
		qr("D3", marchAt(6, 11, 0), 2, 0, 1),
		qr("OLD", marchAt(2, 11, 0), 2, 2, 1), // received before the period: not scored
	})
}
