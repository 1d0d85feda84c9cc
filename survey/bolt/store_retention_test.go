package bolt_test

import (
	"hailong/survey"
	"testing"
	"time"
)

func TestPurgeComments(t *testing.T) {
	db := MustOpen(t)
	MustOrg(t, db)
	base := time.Date(2026, 1, 1, 9, 0, 0, 0, hcm)
	var keys []uint64
	for i := 0; i < 12; i++ {
		at := base.AddDate(0, 0, i)
		r := &survey.Response{Survey: "quay", Channel: survey.ChannelWeb, Unit: "so-a", Counter: "a-q1",
			Answers: map[string]int{"overall": 1 + i%5}, Comment: "gọi 0905 123 456", SubmittedAt: at, ReceivedAt: at}
		if i%3 == 0 {
			r.Comment = "" // some have none
		}
		if _, err := db.Submit(r); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, r.Key)
	}
	before, _ := db.Count(survey.CountQuery{Dim: survey.DimBase, Units: []string{"so-a"}, From: base, To: base.AddDate(0, 1, 0)})
	cutoff := base.AddDate(0, 0, 6) // days 0..5 lose their comments
	n, err := db.PurgeComments(cutoff)
	if err != nil || n != 4 { // days 1, 2, 4, 5
		t.Fatalf("purged %d, %v", n, err)
	}
	for i, k := range keys {
		r, err := db.Response(k)
		if err != nil {
			t.Fatal(err)
		}
		want := i >= 6 && i%3 != 0
		if (r.Comment != "") != want || r.Answers["overall"] != 1+i%5 || r.Counter != "a-q1" {
			t.Fatalf("day %d after purge: %+v", i, r)
		}
	}
	after, err := db.Count(survey.CountQuery{Dim: survey.DimBase, Units: []string{"so-a"}, From: base, To: base.AddDate(0, 1, 0)})
	if err != nil || after[""] == nil || before[""] == nil {
		t.Fatalf("count: %v %v %v", err, after, before)
	}
	if after[""].Responses != before[""].Responses || *after[""].Criteria["overall"] != *before[""].Criteria["overall"] {
		t.Fatal("purging comments changed the counts")
	}
	if ok, _ := db.CheckAgg(); !ok {
		t.Fatal("counts differ from a rebuild")
	}
	if n, _ := db.PurgeComments(cutoff); n != 0 {
		t.Fatalf("second run purged %d", n)
	}
	if log := db.AuditLog(5, time.Time{}); len(log) != 1 || log[0].Action != "comments.purge" {
		t.Fatalf("audit: %+v", log)
	}
}
