package engine

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

// newEngine is an engine over db with the default methodology.
func newEngine(s *survey.Services, surveyKey string) *Engine {
	return New(SourceOf(s), DefaultConfig, surveyKey)
}
