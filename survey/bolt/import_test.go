package bolt_test

import (
	"errors"
	"fmt"
	"hailong/survey"
	"hailong/survey/bolt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// importErr asserts that err is an *ImportError whose first problem is on
// line in column col, and returns it.
func importErr(t *testing.T, err error, line int, col string) *survey.ImportError {
	t.Helper()
	var ie *survey.ImportError
	if !errors.As(err, &ie) || len(ie.Problems) == 0 {
		t.Fatalf("got %v, want an import error on line %d", err, line)
	}
	if p := ie.Problems[0]; p.Line != line || p.Column != col {
		t.Fatalf("first problem %+v, want line %d column %q (all: %v)", p, line, col, err)
	}
	if survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("code %s, want invalid", survey.ErrorCode(err))
	}
	return ie
}

func TestImportUnits(t *testing.T) {
	t.Run("ChildBeforeParent", func(t *testing.T) {
		db := MustOpen(t)
		MustOrg(t, db)
		csv := "\ufeffid,name,parent,group\r\n" +
			"so-c-vp,Văn phòng Sở C,so-c,\r\n" +
			"so-c,\"Sở Công Thương, tỉnh X\",tinh,khoi-so-moi\r\n" +
			"xa-a,UBND xã A,tinh,khoi-xa-phuong\r\n" +
			"so-a,Sở A (đổi tên),tinh,khoi-so\r\n"
		st, err := db.ImportUnits(strings.NewReader(csv))
		if err != nil || st.Rows != 4 {
			t.Fatalf("import: %+v %v", st, err)
		}
		if u := db.Unit("so-c-vp"); u == nil || u.Parent != "so-c" || u.Group != "" {
			t.Fatalf("so-c-vp: %+v", u)
		}
		if u := db.Unit("so-c"); u == nil || u.Name != "Sở Công Thương, tỉnh X" || u.Group != "khoi-so-moi" {
			t.Fatalf("so-c: %+v", u)
		}
		if u := db.Unit("so-a"); u.Name != "Sở A (đổi tên)" {
			t.Fatalf("so-a not updated: %+v", u)
		}
		groups := map[string]string{}
		for _, g := range db.Groups() {
			groups[g.ID] = g.Name
		}
		if groups["khoi-so-moi"] != "khoi-so-moi" || groups["khoi-xa-phuong"] != "Khối xã, phường" {
			t.Fatalf("groups %v", groups)
		}
		if sub := db.Subtree("so-c"); len(sub) != 2 {
			t.Fatalf("subtree %v", sub)
		}
	})
	t.Run("ColumnsByName", func(t *testing.T) {
		db := MustOpen(t)
		st, err := db.ImportUnits(strings.NewReader("Name, ID\nTỉnh A,tinh-a\n"))
		if err != nil || st.Rows != 1 || db.Unit("tinh-a") == nil || db.Unit("tinh-a").Name != "Tỉnh A" {
			t.Fatalf("%+v %v %v", st, err, db.Units())
		}
	})
	t.Run("HeaderOnly", func(t *testing.T) {
		db := MustOpen(t)
		st, err := db.ImportUnits(strings.NewReader("id,name,parent,group\n"))
		if err != nil || st.Rows != 0 || len(db.Units()) != 0 {
			t.Fatalf("%+v %v", st, err)
		}
	})
	cases := []struct {
		name, csv string
		line      int
		col       string
	}{
		{"ErrUnknownParent", "id,name,parent,group\na,A,,\nb,B,a,\nc,C,khong-co,\nd,D,c,\n", 4, "parent"},
		{"ErrUnknownParentOfParent", "id,name,parent\nx,X,y\ny,Y,khong-co\n", 3, "parent"},
		{"ErrLoop", "id,name,parent\nx,X,y\ny,Y,x\n", 2, "parent"},
		{"ErrBadID", "id,name\na,A\nSo A,B\n", 3, "id"},
		{"ErrMissingName", "id,name\na,\n", 2, "name"},
		{"ErrDuplicateID", "id,name\na,A\nb,B\na,A2\n", 4, "id"},
		{"ErrUnknownColumn", "id,name,province\na,A,x\n", 1, "province"},
		{"ErrDuplicateColumn", "id,name,name\na,A,B\n", 1, "name"},
		{"ErrMissingColumn", "id,parent\na,\n", 1, "name"},
		{"ErrEmptyFile", "", 1, ""},
		{"ErrFieldCount", "id,name\na,A\nb,B,extra\n", 3, ""},
		{"ErrBareQuote", "id,name\na,A\"b\n", 2, ""},
		{"ErrNotUTF8", "id,name\na,S\xf4 A\n", 2, "name"},
		{"ErrGroup", "id,name,group\na,A,Khối Sở\n", 2, "group"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := MustOpen(t)
			MustOrg(t, db)
			before := bolt.Digest(db)
			_, err := db.ImportUnits(strings.NewReader(c.csv))
			importErr(t, err, c.line, c.col)
			if bolt.Digest(db) != before || db.Unit("a") != nil || db.Unit("x") != nil {
				t.Fatal("a failed import changed the store")
			}
		})
	}
}

// responsesHeader has columns of both default surveys.
const responsesHeader = "submitted_at,unit,channel,survey,overall,access,facilities,staff_attitude,staff_guidance,timeliness,website," +
	"access_info,staff_prompt,result_on_time,counter,staff,procedure,reasons,comment\n"

func writeCSV(t testing.TB, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "import.csv")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportResponses(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	comment := `Phải đứng lâu, "ghế" thiếu; cảm ơn chị Lan` + "\nDòng hai"
	csv := responsesHeader +
		`2026-03-02 09:15:00,so-a,kiosk,quay,5,4,2,5,5,na,,,,,a-q1,nv-lan,1.001,had_to_stand|waited_long,"Phải đứng lâu, ""ghế"" thiếu; cảm ơn chị Lan` + "\nDòng hai\"\n" +
		"2026-03-02,so-b,paper,sipas,4,,1,3,,,,5,4,na,,nv-hung,2.002,,\n" +
		"\n" + // blank lines are skipped
		"2026-03-03T10:00:00+07:00,so-a-vp,web,quay,1,,,,,,0,,,,,,,staff_impolite,\n" +
		"2026-03-04T03:00:00Z,so-b,qr,sipas,NA,,,,,,,,,2,,,,,\n"
	st, err := db.ImportResponses(writeCSV(t, csv), "admin")
	if err != nil || st.Rows != 4 {
		t.Fatalf("import: %+v %v", st, err)
	}
	from, to := time.Date(2026, 3, 1, 0, 0, 0, 0, hcm), time.Date(2026, 3, 31, 0, 0, 0, 0, hcm)
	counts, err := db.Count(survey.CountQuery{Dim: survey.DimBase, Units: db.Subtree("tinh"), From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	tl := counts[""]
	// The last row answers only N/A (overall) and 2 (result_on_time): valid.
	if tl.Responses != 4 || tl.Empty != 0 {
		t.Fatalf("responses %d empty %d", tl.Responses, tl.Empty)
	}
	want := map[string][6]uint64{
		"overall":        {1, 1, 0, 0, 1, 1},
		"facilities":     {0, 1, 1, 0, 0, 0},
		"staff_attitude": {0, 0, 0, 1, 0, 1},
		"timeliness":     {1, 0, 0, 0, 0, 0}, // na
		"website":        {1, 0, 0, 0, 0, 0}, // 0
		"access":         {0, 0, 0, 0, 1, 0},
		"access_info":    {0, 0, 0, 0, 0, 1},
		"result_on_time": {1, 0, 1, 0, 0, 0},
	}
	for k, n := range want {
		if h := tl.Criteria[k]; h == nil || h.N != n {
			t.Errorf("%s: %v, want %v", k, h, n)
		}
	}
	sipas, _ := db.Count(survey.CountQuery{Dim: survey.DimBase, Units: db.Subtree("tinh"), From: from, To: to, Survey: "sipas"})
	paper, _ := db.Count(survey.CountQuery{Dim: survey.DimBase, Units: db.Subtree("tinh"), From: from, To: to, Channel: survey.ChannelPaper})
	if sipas[""].Responses != 2 || paper[""].Responses != 1 {
		t.Fatalf("sipas %d paper %d", sipas[""].Responses, paper[""].Responses)
	}
	var got []*survey.Response
	if err := db.EachResponse(time.Time{}, time.Time{}, func(r *survey.Response) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("%d stored", len(got))
	}
	k := got[1] // the paper row: 2026-03-02 at noon
	if k.Channel != survey.ChannelPaper || !k.SubmittedAt.Equal(time.Date(2026, 3, 2, 12, 0, 0, 0, hcm)) || k.Procedure != "2.002" || k.Staff != "nv-hung" {
		t.Fatalf("paper row: %+v", k)
	}
	k = got[0]
	reasons := slices.Sorted(slices.Values(k.Reasons))
	if k.Channel != survey.ChannelKiosk || k.Kiosk != "" || k.ID != "" || k.Counter != "a-q1" || k.Staff != "nv-lan" ||
		!slices.Equal(reasons, []string{"had_to_stand", "waited_long"}) || k.Comment != comment ||
		!k.SubmittedAt.Equal(time.Date(2026, 3, 2, 9, 15, 0, 0, hcm)) || k.Answers["timeliness"] != survey.NA || len(k.Answers) != 6 {
		t.Fatalf("kiosk row: %+v", k)
	}
	if got[3].Answers["overall"] != survey.NA || !got[3].SubmittedAt.Equal(time.Date(2026, 3, 4, 10, 0, 0, 0, hcm)) {
		t.Fatalf("last row: %+v", got[3])
	}
	if ok, err := db.CheckAgg(); err != nil || !ok {
		t.Fatalf("counts differ from a rebuild (err %v)", err)
	}
}

func TestImportResponsesErrors(t *testing.T) {
	good := "2026-03-02 09:15,so-a,kiosk,quay,5,4,,,,,,,,,,,,,\n"
	cases := []struct {
		name, header, bad string
		col               string
	}{
		{"ErrScoreOutOfRange", responsesHeader, "2026-03-02 09:15,so-a,kiosk,quay,5,4,,7,,,,,,,,,,,\n", "staff_attitude"},
		{"ErrScoreNotNumber", responsesHeader, "2026-03-02 09:15,so-a,kiosk,quay,5,4,,tốt,,,,,,,,,,,\n", "staff_attitude"},
		{"ErrCriterionOfOtherSurvey", responsesHeader, "2026-03-02 09:15,so-a,kiosk,sipas,5,4,,,,,,,,,,,,,\n", "access"},
		{"ErrUnknownUnit", responsesHeader, "2026-03-02 09:15,so-x,kiosk,quay,5,,,,,,,,,,,,,,\n", "unit"},
		{"ErrUnknownSurvey", responsesHeader, "2026-03-02 09:15,so-a,kiosk,nope,5,,,,,,,,,,,,,,\n", "survey"},
		{"ErrBadChannel", responsesHeader, "2026-03-02 09:15,so-a,fax,quay,5,,,,,,,,,,,,,,\n", "channel"},
		{"ErrBadDate", responsesHeader, "02/03/2026,so-a,kiosk,quay,5,,,,,,,,,,,,,,\n", "submitted_at"},
		{"ErrMissingDate", responsesHeader, ",so-a,kiosk,quay,5,,,,,,,,,,,,,,\n", "submitted_at"},
		{"ErrFuture", responsesHeader, "2999-01-01,so-a,kiosk,quay,5,,,,,,,,,,,,,,\n", "submitted_at"},
		{"ErrUnknownReason", responsesHeader, "2026-03-02 09:15,so-a,kiosk,quay,2,,,,,,,,,,,,,bored,\n", "reasons"},
		{"ErrCounterOfOtherUnit", responsesHeader, "2026-03-02 09:15,so-a,kiosk,quay,2,,,,,,,,,,b-q1,,,,\n", "counter"},
		{"ErrNoAnswer", responsesHeader, "2026-03-02 09:15,so-a,kiosk,quay,,,,,,,,,,,,,,,\n", ""},
		{"ErrFieldCount", responsesHeader, "2026-03-02 09:15,so-a,kiosk,quay,5\n", ""},
		{"ErrNotUTF8", responsesHeader, "2026-03-02 09:15,so-a,kiosk,quay,5,,,,,,,,,,,,,,Ph\xe1i\n", "comment"},
		{"ErrUnterminatedQuote", responsesHeader, "2026-03-02 09:15,so-a,kiosk,quay,5,,,,,,,,,,,,,,\"open\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := MustOpen(t)
			MustOrg(t, db)
			before := bolt.Digest(db)
			// The bad row is line 5, among good rows.
			_, err := db.ImportResponses(writeCSV(t, c.header+good+good+good+c.bad+good+good), "admin")
			ie := importErr(t, err, 5, c.col)
			if len(ie.Problems) != 1 {
				t.Fatalf("problems %v", ie.Problems)
			}
			if db.ResponseCount() != 0 || bolt.Digest(db) != before {
				t.Fatal("a failed import changed the store")
			}
		})
	}
	t.Run("ErrMessage", func(t *testing.T) {
		db := MustOpen(t)
		MustOrg(t, db)
		_, err := db.ImportResponses(writeCSV(t, responsesHeader+good+"2026-03-02 09:15,so-a,kiosk,quay,5,4,,7,,,,,,,,,,,\n"), "admin")
		if msg := err.Error(); !strings.HasPrefix(msg, "line 3, column staff_attitude: ") || !strings.Contains(msg, "Score 7 out of range 1–5") {
			t.Fatalf("message %q", msg)
		}
	})
	header := []struct{ name, header, col string }{
		{"ErrUnknownColumn", "submitted_at,unit,channel,survey,overall,mood\n", "mood"},
		{"ErrMissingColumn", "submitted_at,unit,survey,overall\n", "channel"},
		{"ErrNoCriterion", "submitted_at,unit,channel,survey,comment\n", ""},
		{"ErrEmptyFile", "", ""},
	}
	for _, c := range header {
		t.Run(c.name, func(t *testing.T) {
			db := MustOpen(t)
			MustOrg(t, db)
			_, err := db.ImportResponses(writeCSV(t, c.header), "admin")
			importErr(t, err, 1, c.col)
		})
	}
	t.Run("HeaderOnly", func(t *testing.T) {
		db := MustOpen(t)
		st, err := db.ImportResponses(writeCSV(t, "\ufeff"+responsesHeader), "admin")
		if err != nil || st.Rows != 0 {
			t.Fatalf("%+v %v", st, err)
		}
	})
	t.Run("ErrMissingFile", func(t *testing.T) {
		db := MustOpen(t)
		if _, err := db.ImportResponses(filepath.Join(t.TempDir(), "nope.csv"), "admin"); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrManyProblems", func(t *testing.T) {
		db := MustOpen(t)
		MustOrg(t, db)
		csv := responsesHeader + strings.Repeat("2026-03-02 09:15,so-x,kiosk,quay,5,,,,,,,,,,,,,,\n", 150)
		_, err := db.ImportResponses(writeCSV(t, csv), "admin")
		ie := importErr(t, err, 2, "unit")
		lines := strings.Split(err.Error(), "\n")
		if len(ie.Problems) != 100 || len(lines) != 22 || !strings.Contains(lines[20], "80 more") || ie.Problems[99].Line != 101 {
			t.Fatalf("%d problems, message:\n%s", len(ie.Problems), err)
		}
	})
}

// quayRows returns n valid quay rows spread over March 2026.
func quayRows(n int) string {
	var b strings.Builder
	b.WriteString(responsesHeader)
	for i := range n {
		fmt.Fprintf(&b, "2026-03-%02d %02d:%02d:00,so-a,kiosk,quay,%d,,,,,,,,,,a-q1,,,,\n", 1+i%28, 7+i%10, i%60, 1+i%5)
	}
	return b.String()
}

func TestImportResponsesChunks(t *testing.T) {
	t.Run("Stored", func(t *testing.T) {
		defer bolt.SetImportChunk(3, 0)()
		db := MustOpen(t)
		MustOrg(t, db)
		st, err := db.ImportResponses(writeCSV(t, quayRows(10)), "admin")
		if err != nil || st.Rows != 10 || db.ResponseCount() != 10 {
			t.Fatalf("%+v %v, %d stored", st, err, db.ResponseCount())
		}
	})
	t.Run("ErrChunkRolledBack", func(t *testing.T) {
		defer bolt.SetImportChunk(3, 3)()
		db := MustOpen(t)
		MustOrg(t, db)
		at := time.Date(2026, 3, 5, 9, 0, 0, 0, hcm)
		if _, err := db.Submit(&survey.Response{Survey: "quay", Channel: survey.ChannelWeb, Unit: "so-a", Answers: map[string]int{"overall": 3}, SubmittedAt: at, ReceivedAt: at}); err != nil {
			t.Fatal(err)
		}
		before, _ := db.Count(survey.CountQuery{Dim: survey.DimBase, Units: []string{"so-a"}, From: at.AddDate(0, 0, -10), To: at.AddDate(0, 1, 0)})
		_, err := db.ImportResponses(writeCSV(t, quayRows(10)), "admin")
		if err == nil || !strings.Contains(err.Error(), "injected") {
			t.Fatalf("got %v", err)
		}
		if n := db.ResponseCount(); n != 1 {
			t.Fatalf("%d responses left after a failed import", n)
		}
		if ok, err := db.CheckAgg(); err != nil || !ok {
			t.Fatalf("counts differ from a rebuild after rollback (err %v)", err)
		}
		after, _ := db.Count(survey.CountQuery{Dim: survey.DimBase, Units: []string{"so-a"}, From: at.AddDate(0, 0, -10), To: at.AddDate(0, 1, 0)})
		if after[""].Responses != 1 || after[""].Criteria["overall"].N != before[""].Criteria["overall"].N {
			t.Fatalf("counts %+v, before %+v", after[""], before[""])
		}
	})
}

func TestDeleteResponses(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	rng := rand.New(rand.NewSource(1))
	at := time.Date(2026, 2, 27, 10, 0, 0, 0, hcm)
	live := quayResponse(rng, "so-a", at, true)
	live.Kiosk, live.Counter = "", "a-q1"
	if _, err := db.Submit(live); err != nil {
		t.Fatal(err)
	}
	q := survey.CountQuery{Dim: survey.DimBase, Units: db.Subtree("tinh"), From: at.AddDate(0, -1, 0), To: at.AddDate(0, 1, 0)}
	before, _ := db.Count(q)
	var rs []*survey.Response
	for i := range 60 {
		r := quayResponse(rng, []string{"so-a", "so-b"}[i%2], at.Add(time.Duration(i)*97*time.Minute), false)
		r.Counter = map[string]string{"so-a": "a-q1", "so-b": "b-q1"}[r.Unit]
		r.Channel = survey.Channel(1 + i%4)
		r.Reasons, r.Comment, r.Procedure = []string{"other"}, "ý kiến", "1.00"+fmt.Sprint(i%3)
		if err := db.Prepare(r); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	if err := db.InsertMany(rs); err != nil {
		t.Fatal(err)
	}
	keys := make([]uint64, len(rs))
	for i, r := range rs {
		keys[i] = r.Key
	}
	if db.ResponseCount() != 61 {
		t.Fatalf("%d stored", db.ResponseCount())
	}
	if err := bolt.DeleteResponses(db, keys); err != nil {
		t.Fatal(err)
	}
	if n := db.ResponseCount(); n != 1 {
		t.Fatalf("%d left", n)
	}
	if ok, err := db.CheckAgg(); err != nil || !ok {
		t.Fatalf("counts differ from a rebuild (err %v)", err)
	}
	after, _ := db.Count(q)
	if fmt.Sprint(after[""]) == "" || after[""].Responses != 1 || len(after[""].Criteria) != len(before[""].Criteria) {
		t.Fatalf("after %+v, before %+v", after[""], before[""])
	}
	for k, h := range before[""].Criteria {
		if after[""].Criteria[k].N != h.N {
			t.Fatalf("%s: %v, before %v", k, after[""].Criteria[k].N, h.N)
		}
	}
	if r, err := db.ResponseByID(live.ID); err != nil || r.Key != live.Key {
		t.Fatalf("the live response: %v %v", r, err)
	}
	if err := bolt.DeleteResponses(db, keys); err != nil {
		t.Fatalf("deleting again: %v", err)
	}
}

func TestImportDossiers(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	if err := db.PutDossiers([]survey.Dossier{{Code: "HS-001", Unit: "so-a", Staff: "nv-lan",
		ReceivedAt: time.Date(2026, 3, 2, 8, 30, 0, 0, hcm), DueAt: time.Date(2026, 3, 5, 0, 0, 0, 0, hcm),
		TokenHash: []byte("hash"), TokenExpires: time.Date(2026, 6, 1, 0, 0, 0, 0, hcm)}}); err != nil {
		t.Fatal(err)
	}
	csv := "code,unit,procedure,received_at,due_at,finished_at,supplement_days\n" +
		"HS-001,so-a,1.001,2026-03-02 08:30,2026-03-05,,\n" + // in progress
		"HS-002,so-a,1.002,2026-03-02,2026-03-04,2026-03-03,0\n" + // early
		"HS-003,so-b,,2026-03-02T09:00:00+07:00,2026-03-02,2026-03-04,2\n" + // due the day received, +2 days: on time
		"HS-004,so-a-vp,1.003,2026-03-03,2026-03-04,2026-03-05T16:00:00+07:00,\n" // late
	st, err := db.ImportDossiers(strings.NewReader(csv))
	if err != nil || st.Rows != 4 {
		t.Fatalf("import: %+v %v", st, err)
	}
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, hcm)
	tl, err := db.CountDossiers(db.Subtree("tinh"), day, day.AddDate(0, 0, 7))
	if err != nil || tl.Received != 4 || tl.Early != 1 || tl.OnTime != 1 || tl.Late != 1 || tl.InProgress != 1 {
		t.Fatalf("timeliness %+v %v", tl, err)
	}
	d, err := db.Dossier("HS-003")
	if err != nil || !d.DueAt.Equal(d.ReceivedAt) || d.SupplementDays != 2 || d.Procedure != "" {
		t.Fatalf("HS-003: %+v %v", d, err)
	}
	// The result of HS-001 is returned late: the same code again updates it,
	// keeping its receipt token and staff.
	st, err = db.ImportDossiers(strings.NewReader("code,unit,procedure,received_at,due_at,finished_at,supplement_days\n" +
		"HS-001,so-a,1.001,2026-03-02 08:30,2026-03-05,2026-03-06 10:00,\n"))
	if err != nil || st.Rows != 1 {
		t.Fatalf("update: %+v %v", st, err)
	}
	d, _ = db.Dossier("HS-001")
	if d.FinishedAt.IsZero() || d.Outcome(hcm) != survey.Late || string(d.TokenHash) != "hash" || d.TokenExpires.IsZero() || d.Staff != "nv-lan" {
		t.Fatalf("HS-001: %+v", d)
	}
	tl, _ = db.CountDossiers(db.Subtree("tinh"), day, day.AddDate(0, 0, 7))
	if tl.Received != 4 || tl.Late != 2 || tl.InProgress != 0 {
		t.Fatalf("timeliness after update %+v", tl)
	}

	header := "code,unit,procedure,received_at,due_at,finished_at,supplement_days\n"
	good := "HS-100,so-a,1.001,2026-03-02,2026-03-05,,\n"
	cases := []struct{ name, bad, col string }{
		{"ErrUnknownUnit", "HS-101,so-x,1.001,2026-03-02,2026-03-05,,\n", "unit"},
		{"ErrMissingCode", ",so-a,1.001,2026-03-02,2026-03-05,,\n", "code"},
		{"ErrBadDate", "HS-101,so-a,1.001,2/3/2026,2026-03-05,,\n", "received_at"},
		{"ErrMissingDue", "HS-101,so-a,1.001,2026-03-02,,,\n", "due_at"},
		{"ErrDueBeforeReceived", "HS-101,so-a,1.001,2026-03-02,2026-03-01,,\n", "due_at"},
		{"ErrFinishedBeforeReceived", "HS-101,so-a,1.001,2026-03-02,2026-03-05,2026-03-01,\n", "finished_at"},
		{"ErrSupplementDays", "HS-101,so-a,1.001,2026-03-02,2026-03-05,,hai\n", "supplement_days"},
		{"ErrNegativeSupplement", "HS-101,so-a,1.001,2026-03-02,2026-03-05,,-1\n", "supplement_days"},
		{"ErrYear", "HS-101,so-a,1.001,1999-12-31,2026-03-05,,\n", "received_at"},
		{"ErrFieldCount", "HS-101,so-a\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := bolt.Digest(db)
			_, err := db.ImportDossiers(strings.NewReader(header + good + c.bad + good))
			importErr(t, err, 3, c.col)
			if bolt.Digest(db) != before {
				t.Fatal("a failed import changed the store")
			}
			if _, err := db.Dossier("HS-100"); survey.ErrorCode(err) != survey.ENOTFOUND {
				t.Fatalf("HS-100 stored: %v", err)
			}
		})
	}
	t.Run("ErrMissingColumn", func(t *testing.T) {
		_, err := db.ImportDossiers(strings.NewReader("code,unit,received_at\nHS-1,so-a,2026-03-01\n"))
		importErr(t, err, 1, "due_at")
	})
}

// BenchmarkImportResponses imports a 100,000-row file (80 % kiosk quay rows,
// 20 % paper sipas rows, some reasons and comments) into a fresh store.
func BenchmarkImportResponses(b *testing.B) {
	const n = 100000
	sipas := survey.DefaultSipas().Criteria
	var buf strings.Builder
	buf.WriteString("submitted_at,unit,channel,survey,overall,access,facilities,staff_attitude,staff_guidance,timeliness,website")
	for _, c := range sipas {
		if !strings.Contains(buf.String(), ","+c.Key) {
			buf.WriteString("," + c.Key)
		}
	}
	buf.WriteString(",counter,staff,procedure,reasons,comment\n")
	header := strings.Split(strings.TrimSpace(buf.String()), ",")
	rng := rand.New(rand.NewSource(1))
	start := time.Date(2025, 1, 1, 7, 0, 0, 0, hcm)
	row := make([]string, len(header))
	for i := range n {
		clear(row)
		unit := fmt.Sprintf("so-%02d", rng.Intn(30))
		row[0] = start.Add(time.Duration(i) * 5 * time.Minute).Format("2006-01-02 15:04:05")
		row[1] = unit
		if i%5 != 0 {
			row[2], row[3] = "kiosk", "quay"
			for j := 4; j < 11; j++ {
				row[j] = fmt.Sprint(1 + rng.Intn(5))
			}
			row[len(row)-5] = unit + "-q1"
		} else {
			row[2], row[3] = "paper", "sipas"
			for _, c := range sipas {
				row[slices.Index(header, c.Key)] = fmt.Sprint(rng.Intn(6))
			}
		}
		if i%7 == 0 {
			row[len(row)-2] = "had_to_stand|waited_long"
			row[len(row)-1] = `"Phải đứng chờ lâu, ""không"" có ghế"`
		}
		buf.WriteString(strings.Join(row, ",") + "\n")
	}
	path := filepath.Join(b.TempDir(), "responses.csv")
	if err := os.WriteFile(path, []byte(buf.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	var spent time.Duration
	for range b.N {
		b.StopTimer()
		db := MustOpen(b)
		benchOrg(b, db)
		b.StartTimer()
		t0 := time.Now()
		st, err := db.ImportResponses(path, "admin")
		spent += time.Since(t0)
		if err != nil || st.Rows != n {
			b.Fatalf("%+v %v", st, err)
		}
	}
	b.ReportMetric(float64(n*b.N)/spent.Seconds(), "rows/s")
}

// A file in runs, each in time order (grouped by unit), with a BOM, quoted
// multi-line comments, dates alone and equal times across runs, stores
// exactly what the same rows sorted by time store; its problems are still
// reported by line.
func TestImportResponsesRuns(t *testing.T) {
	rows := []string{ // sorted by time; the runs below take them by unit
		"2026-03-01 08:00:00,so-a,kiosk,quay,5,4,2,5,5,na,,,,,a-q1,nv-lan,1.001,had_to_stand|waited_long,\"Phải đứng lâu, \"\"ghế\"\" thiếu\nDòng hai\"",
		"2026-03-01 08:00:00,so-a-vp,web,quay,1,,,,,,0,,,,,,,staff_impolite,",
		"2026-03-01T08:30:00+07:00,so-b,paper,sipas,4,,1,3,,,,5,4,na,,nv-hung,2.002,,",
		"2026-03-01 09:00:00,so-a,kiosk,quay,3,,,,,,,,,,a-q2,,,,\"Tốt\"",
		"2026-03-02,so-b,qr,sipas,NA,,,,,,,,,2,,,,,",
		"2026-03-03,so-a,kiosk,quay,2,2,2,2,2,2,2,,,,a-q1,,,,",
	}
	unitOf := func(row string) string { return strings.Split(row, ",")[1] }
	var grouped []string
	for _, u := range []string{"so-a", "so-b", "so-a-vp"} {
		for _, r := range rows {
			if unitOf(r) == u {
				grouped = append(grouped, r)
			}
		}
	}
	open := func() *bolt.DB {
		now := time.Date(2026, 4, 1, 0, 0, 0, 0, hcm) // the same ReceivedAt in both
		db, err := bolt.Open(filepath.Join(t.TempDir(), "hailong.db"), bolt.Options{Loc: hcm, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	sorted, byUnit := open(), open()
	MustOrg(t, sorted)
	MustOrg(t, byUnit)
	if st, err := sorted.ImportResponses(writeCSV(t, responsesHeader+strings.Join(rows, "\n")+"\n"), "admin"); err != nil || st.Rows != len(rows) {
		t.Fatalf("sorted: %+v %v", st, err)
	}
	if st, err := byUnit.ImportResponses(writeCSV(t, "\uFEFF"+responsesHeader+strings.Join(grouped, "\n")+"\n"), "admin"); err != nil || st.Rows != len(rows) {
		t.Fatalf("grouped: %+v %v", st, err)
	}
	if bolt.Digest(byUnit, "imports", "audit", "log", "heads") != bolt.Digest(sorted, "imports", "audit", "log", "heads") { // the batches (and their log entries) name different files
		t.Fatal("the grouped file stored something else than the sorted one")
	}
	// A bad row in the second run: its line (a comment above spans two).
	bad := append([]string(nil), grouped...)
	bad[4] = strings.Replace(bad[4], "NA", "9", 1)
	before := bolt.Digest(byUnit)
	_, err := byUnit.ImportResponses(writeCSV(t, responsesHeader+strings.Join(bad, "\n")+"\n"), "admin")
	importErr(t, err, 7, "overall")
	if bolt.Digest(byUnit) != before {
		t.Fatal("a refused import changed the store")
	}
}
