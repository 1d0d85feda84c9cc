package bolt_test

import (
	"fmt"
	"hailong/survey"
	"hailong/survey/bolt"
	"math/rand"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var hcm, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

// MustOpen opens a store on a real bbolt file in a temporary folder.
func MustOpen(tb testing.TB) *bolt.DB {
	tb.Helper()
	db, err := bolt.Open(filepath.Join(tb.TempDir(), "hailong.db"), bolt.Options{Loc: hcm})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// MustOrg creates a small organisation: a province, two agencies in one
// group, a department, counters and staff.
func MustOrg(tb testing.TB, db *bolt.DB) {
	tb.Helper()
	err := db.PutUnits([]survey.Unit{
		{ID: "tinh", Name: "UBND Tỉnh"},
		{ID: "so-a", Name: "Sở A", Parent: "tinh", Group: "khoi-so"},
		{ID: "so-b", Name: "Sở B", Parent: "tinh", Group: "khoi-so"},
		{ID: "so-a-vp", Name: "Văn phòng Sở A", Parent: "so-a"},
	})
	if err != nil {
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

func TestSubmitAndCount(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	at := time.Date(2026, 3, 10, 9, 30, 0, 0, hcm)
	r := &survey.Response{ID: "6f1c2d4e-0000-4000-8000-000000000001", Survey: "quay", Channel: survey.ChannelWeb,
		Unit: "so-a", Counter: "a-q1", Staff: "nv-lan", Procedure: "1.001",
		Answers: map[string]int{"overall": 5, "facilities": 2, "website": 0},
		Reasons: []string{"had_to_stand"}, Comment: "Phải đứng <b>lâu</b>",
		SubmittedAt: at, ReceivedAt: at}
	created, err := db.Submit(r)
	if err != nil || !created {
		t.Fatalf("Submit: created=%v err=%v", created, err)
	}
	again := *r
	again.Answers = map[string]int{"overall": 1}
	created, err = db.Submit(&again)
	if err != nil || created || again.Key != r.Key {
		t.Fatalf("repeat: created=%v err=%v key %d want %d", created, err, again.Key, r.Key)
	}
	got, err := db.ResponseByID(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Answers["overall"] != 5 || got.Answers["facilities"] != 2 || got.Answers["website"] != 0 || len(got.Answers) != 3 ||
		got.Comment != r.Comment || got.Reasons[0] != "had_to_stand" || got.Staff != "nv-lan" || got.Procedure != "1.001" {
		t.Fatalf("round trip: %+v", got)
	}
	counts, err := db.Count(survey.CountQuery{Dim: survey.DimBase, Units: db.Subtree("tinh"), From: at, To: at})
	if err != nil {
		t.Fatal(err)
	}
	tl := counts[""]
	if tl == nil || tl.Responses != 1 || tl.Criteria["overall"].N[5] != 1 || tl.Criteria["facilities"].N[2] != 1 || tl.Criteria["website"].N[0] != 1 {
		t.Fatalf("counts: %+v", tl)
	}
	if tl.Reasons[""]["had_to_stand"] != 1 || tl.Reasons["facilities"]["had_to_stand"] != 1 || tl.Reasons["overall"]["had_to_stand"] != 0 {
		t.Fatalf("reasons: %v", tl.Reasons)
	}
	byStaff, _ := db.Count(survey.CountQuery{Dim: survey.DimStaff, Units: []string{"so-a"}, From: at.AddDate(0, -1, 0), To: at.AddDate(0, 1, 0)})
	if byStaff["nv-lan"] == nil || byStaff["nv-lan"].Responses != 1 {
		t.Fatalf("by staff: %+v", byStaff)
	}
	byHour, _ := db.Count(survey.CountQuery{Dim: survey.DimHour, Units: []string{"so-a"}, From: at, To: at})
	if byHour["2-09"] == nil { // Tuesday 09h
		t.Fatalf("by hour: %v", byHour)
	}
}

func TestValidationErrors(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	base := func() *survey.Response {
		return &survey.Response{Survey: "quay", Channel: survey.ChannelWeb, Unit: "so-a", Answers: map[string]int{"overall": 4}}
	}
	cases := []struct {
		name  string
		edit  func(r *survey.Response)
		field string
	}{
		{"ErrUnknownSurvey", func(r *survey.Response) { r.Survey = "nope" }, "survey"},
		{"ErrUnknownUnit", func(r *survey.Response) { r.Unit = "so-x" }, "unit"},
		{"ErrUnknownCriterion", func(r *survey.Response) { r.Answers["bogus"] = 3 }, "answers.bogus"},
		{"ErrScoreOutOfRange", func(r *survey.Response) { r.Answers["overall"] = 6 }, "answers.overall"},
		{"ErrNegativeScore", func(r *survey.Response) { r.Answers["overall"] = -1 }, "answers.overall"},
		{"ErrNoAnswers", func(r *survey.Response) { r.Answers = nil }, "answers"},
		{"ErrUnknownReason", func(r *survey.Response) { r.Reasons = []string{"x"} }, "reasons"},
		{"ErrCounterOfOtherUnit", func(r *survey.Response) { r.Counter = "b-q1" }, "counter"},
		{"ErrUnknownStaff", func(r *survey.Response) { r.Staff = "ghost" }, "staff"},
		{"ErrCommentTooLong", func(r *survey.Response) { r.Comment = string(make([]rune, 2001)) }, "comment"},
		{"ErrBadID", func(r *survey.Response) { r.ID = "not-a-uuid" }, "id"},
		{"ErrFuture", func(r *survey.Response) { r.SubmittedAt = time.Now().Add(time.Hour) }, "submitted_at"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := base()
			c.edit(r)
			_, err := db.Submit(r)
			e, ok := err.(*survey.Error)
			if !ok || e.Code != survey.EINVALID || e.Field != c.field {
				t.Fatalf("got %v, want invalid %s", err, c.field)
			}
		})
	}
	if n := db.ResponseCount(); n != 0 {
		t.Fatalf("%d responses stored after invalid submissions", n)
	}
}

// TestReindexEqualsIncremental is a property test: random responses,
// submitted concurrently, give the same counts incrementally as rebuilt.
func TestReindexEqualsIncremental(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			db := MustOpen(t)
			MustOrg(t, db)
			rng := rand.New(rand.NewSource(seed))
			units := []string{"so-a", "so-b", "so-a-vp"}
			start := time.Date(2025, 12, 20, 7, 0, 0, 0, hcm)
			var rs []*survey.Response
			for i := 0; i < 400; i++ {
				u := units[rng.Intn(3)]
				r := &survey.Response{Survey: "quay", Unit: u, Channel: survey.Channel(1 + rng.Intn(3)),
					Answers:     map[string]int{},
					SubmittedAt: start.Add(time.Duration(rng.Int63n(int64(60 * 24 * time.Hour))))}
				r.ReceivedAt = r.SubmittedAt // backdated: the window holds live submissions to the clock
				if rng.Intn(2) == 0 {
					r.Survey = "sipas"
					r.Facts = map[string]int{"tt01_contacts": rng.Intn(3)}
				}
				sv := db.Survey(r.Survey, 0)
				for _, c := range sv.Criteria {
					if rng.Intn(3) > 0 {
						r.Answers[c.Key] = rng.Intn(c.Scale + 1)
					}
				}
				r.Answers["overall"] = rng.Intn(6)
				if u == "so-a" && rng.Intn(2) == 0 {
					r.Counter, r.Staff = "a-q2", "nv-lan"
				}
				if rng.Intn(3) == 0 {
					r.Procedure = fmt.Sprintf("1.00%d", rng.Intn(5))
				}
				if r.Channel == survey.ChannelKiosk {
					r.Kiosk = ""
				}
				rs = append(rs, r)
			}
			var wg sync.WaitGroup
			errs := make(chan error, len(rs))
			for w := 0; w < 8; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := w; i < len(rs); i += 8 {
						if _, err := db.Submit(rs[i]); err != nil {
							errs <- err
						}
					}
				}(w)
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			ok, err := db.CheckAgg()
			if err != nil || !ok {
				t.Fatalf("incremental counts differ from a rebuild (err %v)", err)
			}
			before, _ := db.Count(survey.CountQuery{Dim: survey.DimBase, Units: db.Subtree("tinh"), From: start, To: start.AddDate(0, 3, 0)})
			n, err := db.Reindex()
			if err != nil || n != len(rs) {
				t.Fatalf("reindex: %d %v", n, err)
			}
			after, _ := db.Count(survey.CountQuery{Dim: survey.DimBase, Units: db.Subtree("tinh"), From: start, To: start.AddDate(0, 3, 0)})
			if fmt.Sprint(before[""]) == "" || before[""].Responses+before[""].Empty != uint64(len(rs)) {
				t.Fatalf("count %d+%d, want %d", before[""].Responses, before[""].Empty, len(rs))
			}
			for k, h := range before[""].Criteria {
				if after[""].Criteria[k].N != h.N {
					t.Fatalf("%s: %v after reindex, %v before", k, after[""].Criteria[k].N, h.N)
				}
			}
			// A raw scan agrees with the counts.
			raw := map[string][6]uint64{}
			_ = db.EachResponse(time.Time{}, time.Time{}, func(r *survey.Response) error {
				for k, v := range r.Answers {
					h := raw[k]
					h[v]++
					raw[k] = h
				}
				return nil
			})
			for k, h := range raw {
				if after[""].Criteria[k].N != h {
					t.Fatalf("%s: counts %v, raw scan %v", k, after[""].Criteria[k].N, h)
				}
			}
		})
	}
}

func TestMisuseFlag(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	if _, err := db.AddKiosk(survey.Kiosk{ID: "k1", Unit: "so-a", Name: "Ki-ốt 1"}); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-time.Hour)
	var flags []survey.Flags
	for _, d := range []time.Duration{0, 2 * time.Second, 10 * time.Second} {
		r := &survey.Response{Survey: "quay", Channel: survey.ChannelKiosk, Kiosk: "k1", Unit: "so-a",
			Answers: map[string]int{"overall": 5}, SubmittedAt: at.Add(d)}
		if _, err := db.Submit(r); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Response(r.Key)
		flags = append(flags, got.Flags)
	}
	if flags[0] != 0 || flags[1] != survey.FlagMisuse || flags[2] != 0 {
		t.Fatalf("flags %v, want [0 misuse 0]", flags)
	}
	c, _ := db.Count(survey.CountQuery{Dim: survey.DimBase, Units: []string{"so-a"}, From: at, To: at})
	ci, _ := db.Count(survey.CountQuery{Dim: survey.DimBase, Units: []string{"so-a"}, From: at, To: at, IncludeMisuse: true})
	if c[""].Responses != 2 || ci[""].Responses != 3 {
		t.Fatalf("excluding misuse %d, including %d", c[""].Responses, ci[""].Responses)
	}
}

func TestLockedFailsFast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hailong.db")
	db, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// bbolt's flock is per open file description, so a second Open in the
	// same process contends like another process would.
	start := time.Now()
	_, err = bolt.Open(path, bolt.Options{LockTimeout: 500 * time.Millisecond})
	if survey.ErrorCode(err) != survey.ELOCKED {
		t.Fatalf("second open: %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatalf("second open took %v", time.Since(start))
	}
}

// Responses sent with the same timestamp (clients often send whole seconds)
// get distinct keys that keep their arrival order, right after that time.
func TestSameTimestampKeys(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	at := time.Now().Add(-time.Minute).Truncate(time.Second)
	var last uint64
	for i := 0; i < 300; i++ {
		r := &survey.Response{Survey: "quay", Channel: survey.ChannelWeb, Unit: "so-a", Answers: map[string]int{"overall": 1 + i%5}, SubmittedAt: at}
		if _, err := db.Submit(r); err != nil {
			t.Fatal(err)
		}
		if r.Key <= last || r.Key < uint64(at.UnixNano()) || r.Key >= uint64(at.Add(time.Millisecond).UnixNano()) {
			t.Fatalf("response %d: key %d after %d, outside [%d, +1ms)", i, r.Key, last, at.UnixNano())
		}
		last = r.Key
	}
	if n := db.ResponseCount(); n != 300 {
		t.Fatalf("%d stored", n)
	}
}

// Live submissions (cached blocks) and bulk inserts into the same blocks
// interleave without the cache going stale.
func TestCacheAndBulkInterleave(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	at := time.Now().Add(-time.Hour)
	live := func() {
		r := &survey.Response{Survey: "quay", Channel: survey.ChannelWeb, Unit: "so-a", Answers: map[string]int{"overall": 5}, SubmittedAt: at}
		if _, err := db.Submit(r); err != nil {
			t.Fatal(err)
		}
	}
	live()
	bulk := &survey.Response{Survey: "quay", Channel: survey.ChannelPaper, Unit: "so-a", Answers: map[string]int{"overall": 2}, SubmittedAt: at}
	if err := db.Prepare(bulk); err != nil {
		t.Fatal(err)
	}
	if err := db.InsertMany([]*survey.Response{bulk}); err != nil {
		t.Fatal(err)
	}
	live()
	if ok, err := db.CheckAgg(); err != nil || !ok {
		t.Fatalf("counts differ from a rebuild after interleaving (err %v)", err)
	}
	c, _ := db.Count(survey.CountQuery{Dim: survey.DimBase, Units: []string{"so-a"}, From: at, To: at})
	if h := c[""].Criteria["overall"]; h.N[5] != 2 || h.N[2] != 1 {
		t.Fatalf("overall %v", h.N)
	}
}
