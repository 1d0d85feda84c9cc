package pg_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"hailong/survey"
	"hailong/survey/pg/pgtest"
)

// TestBackupRestores: a backup is a psql script that restores the store
// into a freshly migrated database: same responses, counts, log and
// settings, and the restored store goes on (sequences moved).
func TestBackupRestores(t *testing.T) {
	var ns = t0.UnixNano()
	now := func() time.Time { return time.Unix(0, ns).UTC() }
	src := openAt(t, fresh(t), now)
	csv := filepath.Join(t.TempDir(), "import.csv")
	if err := os.WriteFile(csv, []byte("submitted_at,unit,channel,survey,overall\n2026-02-10 09:00,so-a,paper,quay,4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	story(t, src, func(d time.Duration) { ns += int64(d) }, csv, survey.DefaultQuay().Reasons[0].Key)
	if _, err := src.CreateAction(survey.Action{Unit: "so-a", Title: "Bỏ vách kính", Status: survey.ActionPlanned, Criteria: []string{"facilities"}, Office: "Văn phòng", Due: "2026-06-30"}, "admin"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "backup.sql")
	if _, err := src.BackupFile(path); err != nil {
		t.Fatal(err)
	}
	url := fresh(t)
	pgtest.Psql(t, url, path)
	dst := openAt(t, url, now)
	if got, want := dst.ResponseCount(), src.ResponseCount(); got != want || got == 0 {
		t.Fatalf("restored %d responses, want %d", got, want)
	}
	if ok, err := dst.CheckAgg(); err != nil || !ok {
		t.Fatalf("CheckAgg = %v, %v", ok, err)
	}
	hs, hd := src.Heads(time.Time{}, time.Time{}, true), dst.Heads(time.Time{}, time.Time{}, true)
	if !equalHeads(hs, hd) {
		t.Fatalf("heads differ after the restore:\n%v\n%v", hs, hd)
	}
	if rep, err := dst.VerifyLog(hs, nil); err != nil || !rep.OK {
		t.Fatalf("VerifyLog: %v %+v", err, rep)
	}
	a, err := dst.CreateAction(survey.Action{Unit: "so-a", Title: "Ghế chờ", Status: survey.ActionPlanned, Criteria: []string{"facilities"}, Office: "Văn phòng", Due: "2026-06-30"}, "admin")
	if err != nil || a.ID != "2" {
		t.Fatalf("the next action after the restore: %+v %v, want id 2", a, err)
	}
}
