package bolt_test

import (
	"hailong/survey"
	"strconv"
	"testing"
	"time"
)

func TestSetResponseFlags(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	at := time.Date(2026, 3, 10, 9, 30, 0, 0, hcm)
	r := &survey.Response{ID: "6f1c2d4e-0000-4000-8000-0000000000f1", Survey: "quay", Channel: survey.ChannelWeb,
		Unit: "so-a", Counter: "a-q1", Staff: "nv-lan", Answers: map[string]int{"overall": 2, "facilities": 1},
		Reasons: []string{"had_to_stand"}, Comment: "gọi 0905 123 456", SubmittedAt: at, ReceivedAt: at}
	if _, err := db.Submit(r); err != nil {
		t.Fatal(err)
	}
	before, _ := db.Response(r.Key)
	count := func() int {
		t.Helper()
		c, err := db.Count(survey.CountQuery{Dim: survey.DimStaff, Units: []string{"so-a"}, From: at, To: at})
		if err != nil {
			t.Fatal(err)
		}
		if c["nv-lan"] == nil {
			return 0
		}
		return int(c["nv-lan"].Responses)
	}
	if count() != 1 {
		t.Fatalf("before: %d", count())
	}
	if err := db.SetResponseFlags(r.ID, survey.FlagMisuse, "quantri", "bấm liên tục"); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 0 {
		t.Fatalf("flagged misuse still counted: %d", n)
	}
	got, _ := db.Response(r.Key)
	if got.Flags != survey.FlagMisuse|survey.FlagReclassified || got.Comment != before.Comment || got.Answers["facilities"] != 1 {
		t.Fatalf("after flag: %+v", got)
	}
	if ok, err := db.CheckAgg(); err != nil || !ok {
		t.Fatalf("counts differ from a rebuild after flagging: ok=%v err=%v", ok, err)
	}
	// clear it by storage key
	if err := db.SetResponseFlags(strconv.FormatUint(r.Key, 10), 0, "quantri", "phiếu thật"); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Fatalf("unflagged not counted: %d", n)
	}
	if ok, _ := db.CheckAgg(); !ok {
		t.Fatal("counts differ from a rebuild after unflagging")
	}
	log := db.AuditLog(10, time.Time{})
	if len(log) != 2 || log[0].Action != "response.flags" || log[0].Detail != "misuse,reclassified → reclassified: phiếu thật" ||
		log[1].Detail != "none → misuse,reclassified: bấm liên tục" || log[0].Actor != "quantri" {
		t.Fatalf("audit: %+v", log)
	}
	for _, bad := range []struct {
		ref  string
		f    survey.Flags
		code string
	}{{"abc", 0, survey.EINVALID}, {"12345", 0, survey.ENOTFOUND}, {"6f1c2d4e-0000-4000-8000-0000000000aa", 0, survey.ENOTFOUND}, {r.ID, 1 << 5, survey.EINVALID}} {
		err := db.SetResponseFlags(bad.ref, bad.f, "x", "lý do")
		if survey.ErrorCode(err) != bad.code {
			t.Errorf("SetResponseFlags(%q, %d): %v, want %s", bad.ref, bad.f, err, bad.code)
		}
	}
	if len(db.AuditLog(10, time.Time{})) != 2 {
		t.Fatal("refused changes wrote audit entries")
	}
}
