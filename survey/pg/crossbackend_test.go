package pg_test

import (
	"bufio"
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"hailong/survey"
	"hailong/survey/bolt"
)

// TestLogSameAsBolt runs one story on both backends and compares their
// tamper-evident logs: the same heads, the same exported entries, and the
// PostgreSQL export verifies and replays with survey/bolt's VerifyExport
// (what `hailong verify --log` runs).
func TestLogSameAsBolt(t *testing.T) {
	var ns atomic.Int64
	ns.Store(t0.UnixNano())
	now := func() time.Time { return time.Unix(0, ns.Load()).UTC() }
	p := openAt(t, fresh(t), now)
	b, err := bolt.Open(filepath.Join(t.TempDir(), "hailong.db"), bolt.Options{Loc: hcm, Now: now, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	csv := filepath.Join(t.TempDir(), "import.csv")
	if err := os.WriteFile(csv, []byte("submitted_at,unit,channel,survey,overall,comment\n"+
		"2026-02-10 09:00,so-a,paper,quay,4,\n2026-02-11 10:30,so-a,paper,quay,2,chậm\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	reason := survey.DefaultQuay().Reasons[0].Key
	for _, s := range []survey.Store{b, p} {
		ns.Store(t0.UnixNano())
		story(t, s, func(d time.Duration) { ns.Add(int64(d)) }, csv, reason)
	}
	hb, hp := b.Heads(time.Time{}, time.Time{}, true), p.Heads(time.Time{}, time.Time{}, true)
	if len(hb) == 0 || !equalHeads(hb, hp) {
		t.Fatalf("heads differ:\nbolt %v\npg   %v", hb, hp)
	}
	eb, ep := exportLines(t, b), exportLines(t, p)
	if len(eb) < 8 || len(eb) != len(ep) {
		t.Fatalf("bolt exports %d entries, pg %d", len(eb), len(ep))
	}
	for i := range eb {
		if eb[i] != ep[i] {
			t.Fatalf("entry %d differs:\nbolt %s\npg   %s", i+1, eb[i], ep[i])
		}
	}
	path := filepath.Join(t.TempDir(), "log.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.ExportLog(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	rep, replayed, err := bolt.VerifyExport(path, hp, t.TempDir(), now)
	if err != nil || !rep.OK {
		t.Fatalf("VerifyExport of the PostgreSQL log: %v %+v", err, rep)
	}
	defer replayed.Close()
	if got, want := replayed.ResponseCount(), p.ResponseCount(); got != want {
		t.Fatalf("replayed %d responses, pg holds %d", got, want)
	}
}

// story is what both backends go through.
func story(t *testing.T, s survey.Store, advance func(time.Duration), csv, reason string) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.PutUnits([]survey.Unit{{ID: "so-a", Name: "Sở A"}}))
	must(s.PutCounter(survey.Counter{ID: "a-q1", Unit: "so-a", Name: "Quầy 1"}))
	var keys []uint64
	for i, c := range []string{"", "Nhân viên nhiệt tình", ""} {
		r := &survey.Response{Survey: "quay", Channel: survey.ChannelWeb, Unit: "so-a", Counter: "a-q1", Comment: c,
			Answers: map[string]int{"overall": 1 + 2*i, "access": 0}, SubmittedAt: s.Now().Add(-time.Minute)}
		if i == 0 {
			r.Reasons = []string{reason}
		}
		_, err := s.Submit(r)
		must(err)
		keys = append(keys, r.Key)
		advance(90 * time.Minute)
	}
	must(s.SetResponseFlags(keyString(keys[2]), survey.FlagMisuse, "admin", "thử"))
	advance(26 * time.Hour)
	_, err := s.PurgeComments(s.Now())
	must(err)
	st, err := s.ImportResponses(csv, "admin")
	must(err)
	advance(time.Hour)
	_, err = s.WithdrawBatch(st.Batch, "admin", "nhập nhầm")
	must(err)
	advance(time.Hour)
}

func keyString(k uint64) string { return strconv.FormatUint(k, 10) }

func equalHeads(a, b []survey.Head) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// exportLines returns the exported entries (the header, with its export
// time and backend's own data, left out).
func exportLines(t *testing.T, s survey.Store) []string {
	t.Helper()
	var buf bytes.Buffer
	if err := s.ExportLog(&buf); err != nil {
		t.Fatal(err)
	}
	var out []string
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<20)
	for first := true; sc.Scan(); first = false {
		if !first {
			out = append(out, sc.Text())
		}
	}
	return out
}
