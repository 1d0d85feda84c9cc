package bolt

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"hailong/survey"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"
)

var logLoc, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

// logStore opens a store with a settable clock and a small organisation,
// and stores a mix of responses: kiosk, web with reasons and a comment, a
// receipt's sipas answer with TT 01 facts and a dossier code.
func logStore(t testing.TB) (*DB, string, *time.Time) {
	t.Helper()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, logLoc)
	path := filepath.Join(t.TempDir(), "hailong.db")
	db, err := Open(path, Options{Loc: logLoc, Now: func() time.Time { return now }, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.PutUnits([]survey.Unit{{ID: "tinh", Name: "Tỉnh"}, {ID: "so-a", Name: "Sở A", Parent: "tinh", Group: "khoi-so"}}))
	must(db.PutCounter(survey.Counter{ID: "a-q1", Unit: "so-a", Name: "Quầy 1"}))
	_, err = db.AddKiosk(survey.Kiosk{ID: "k1", Unit: "so-a", Counter: "a-q1", Name: "Ki-ốt"})
	must(err)
	for i := range 6 {
		r := &survey.Response{Survey: "quay", Channel: survey.ChannelKiosk, Unit: "so-a", Counter: "a-q1", Kiosk: "k1",
			Answers: map[string]int{"overall": 1 + i%5, "facilities": 2, "website": 0}, SubmittedAt: now.Add(time.Duration(i-10) * time.Minute)}
		if i == 3 {
			r.Channel, r.Kiosk, r.Counter = survey.ChannelWeb, "", ""
			r.Reasons, r.Comment = []string{"had_to_stand", "waited_long"}, "Phải đứng lâu"
		}
		if _, err := db.Submit(r); err != nil {
			t.Fatal(err)
		}
	}
	tok, err := db.IssueReceipt("desk", &survey.Dossier{Code: "HS-0001", Unit: "so-a", ReceivedAt: now.Add(-time.Hour), DueAt: now.Add(72 * time.Hour)}, time.Time{})
	must(err)
	must(db.AnswerReceipt(tok, &survey.Response{Answers: map[string]int{"overall": 5}, Facts: map[string]int{"tt01_contacts": 1, "tt01_complaint": 0}}))
	return db, path, &now
}

func verifyOK(t *testing.T, db *DB, heads []survey.Head) *survey.LogReport {
	t.Helper()
	rep, err := db.VerifyLog(heads, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK {
		t.Fatalf("verify: %s (entry %+v)", rep.Problem, rep.Entry)
	}
	return rep
}

// The fast encoder of the write path and survey.LogEntry.Canonical give
// the same bytes: the export's entries recompute the stored tip.
func TestLogCanonicalMatchesExport(t *testing.T) {
	db, _, _ := logStore(t)
	var buf bytes.Buffer
	if err := db.ExportLog(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"tt01_contacts":1`) || strings.Contains(buf.String(), "HS-0001") || strings.Contains(buf.String(), "Phải đứng lâu") {
		t.Fatalf("export: facts missing, or dossier code or comment in clear:\n%s", buf.String())
	}
	path := filepath.Join(t.TempDir(), "log.jsonl")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	heads := db.Heads(time.Time{}, time.Time{}, true)
	rep, replayed, err := VerifyExport(path, heads, "", nil)
	if err != nil || !rep.OK {
		t.Fatalf("export check: %v %+v", err, rep)
	}
	if rep.Entries != 7 || rep.FileHeads != 1 || replayed != nil {
		t.Fatalf("report %+v", rep)
	}
	verifyOK(t, db, heads)
}

// Editing the file behind the store's back is caught, and the entry named.
func TestLogVerifyDetectsTampering(t *testing.T) {
	edit := func(t *testing.T, path string, fn func(tx *bbolt.Tx) error) *DB {
		t.Helper()
		raw, err := bbolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := raw.Update(fn); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		db, err := Open(path, Options{Loc: logLoc, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	third := func(tx *bbolt.Tx) (k, v []byte) { // the response of entry 3 (a kiosk answer)
		k = u64(getEntry(tx, 3).key)
		return k, append([]byte(nil), tx.Bucket(bResponses).Get(k)...)
	}
	cases := []struct {
		name string
		fn   func(tx *bbolt.Tx) error
		want string
		seq  uint64
	}{
		{"AnswerNibble", func(tx *bbolt.Tx) error {
			k, v := third(tx)
			v[len(v)-2] ^= 0x10 // the first answer's nibble (record: … answers, reasons)
			return tx.Bucket(bResponses).Put(k, v)
		}, "differs from what was logged", 3},
		{"Flags", func(tx *bbolt.Tx) error {
			k, v := third(tx)
			v[2] |= byte(survey.FlagMisuse)
			return tx.Bucket(bResponses).Put(k, v)
		}, "has flags", 3},
		{"Deleted", func(tx *bbolt.Tx) error {
			k, _ := third(tx)
			return tx.Bucket(bResponses).Delete(k)
		}, "missing", 3},
		{"Unlogged", func(tx *bbolt.Tx) error {
			k, v := third(tx)
			return tx.Bucket(bResponses).Put(u64(binary.BigEndian.Uint64(k)+12345), v)
		}, "not in the log", 0},
		{"LogEntryRewritten", func(tx *bbolt.Tx) error {
			v := append([]byte(nil), tx.Bucket(bLog).Get(u64(0))...)
			v[entryOffset(v, 2)] ^= byte(survey.FlagUnverified) // flags at append, digest left alone
			return tx.Bucket(bLog).Put(u64(0), v)
		}, "differs from what was logged", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, path, _ := logStore(t)
			heads := db.Heads(time.Time{}, time.Time{}, true)
			db.Close()
			db = edit(t, path, c.fn)
			rep, err := db.VerifyLog(heads, nil)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK || !strings.Contains(rep.Problem, c.want) {
				t.Fatalf("report %+v, want a problem with %q", rep, c.want)
			}
			if c.seq != 0 && (rep.Entry == nil || rep.Entry.Seq != c.seq || rep.Day != "2026-03-02") {
				t.Fatalf("named entry %+v day %q, want entry %d", rep.Entry, rep.Day, c.seq)
			}
		})
	}
	// History rewritten consistently (entries and stored heads recomputed,
	// here: the last entry dropped) is caught only by heads published before.
	t.Run("TruncatedWithHeads", func(t *testing.T) {
		db, path, _ := logStore(t)
		published := db.Heads(time.Time{}, time.Time{}, true)
		db.Close()
		db = edit(t, path, func(tx *bbolt.Tx) error {
			key := getEntry(tx, 7).key
			v := tx.Bucket(bLog).Get(u64(0))
			if err := tx.Bucket(bLog).Put(u64(0), append([]byte(nil), v[:entryOffset(v, 7)]...)); err != nil {
				return err
			}
			return tx.Bucket(bResponses).Delete(u64(key))
		})
		// Recompute the tip as an administrator with the file would.
		var hash [32]byte
		_ = db.bolt.View(func(tx *bbolt.Tx) error {
			rep := &survey.LogReport{}
			v := &verifier{db: db, tx: tx, rep: rep, checks: map[uint64][]headCheck{}}
			_ = v.changes()
			hash, _ = v.chain(6, nil)
			return nil
		})
		db.Close()
		db = edit(t, path, func(tx *bbolt.Tx) error {
			val := make([]byte, 40)
			binary.BigEndian.PutUint64(val, 6)
			copy(val[8:], hash[:])
			k, _ := tx.Bucket(bHeads).Cursor().Last()
			return tx.Bucket(bHeads).Put(k, val)
		})
		verifyOK(t, db, nil) // without the published heads the rewrite is invisible
		rep, _ := db.VerifyLog(published, nil)
		if rep.OK || !strings.Contains(rep.Problem, "published head") {
			t.Fatalf("report %+v, want the published head to expose the rewrite", rep)
		}
	})
}

// A failed import is undone by a withdrawal entry that keeps the chain
// computable; the confirmation of a withdrawn response says so.
func TestLogImportRollbackWithdraws(t *testing.T) {
	db, _, _ := logStore(t)
	defer SetImportChunk(2, 2)()
	csv := "submitted_at,unit,channel,survey,overall\n2026-03-01,so-a,paper,quay,4\n2026-03-01,so-a,paper,quay,5\n2026-03-01,so-a,paper,quay,3\n"
	path := filepath.Join(t.TempDir(), "r.csv")
	if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportResponses(path, "admin"); err == nil {
		t.Fatal("the injected failure did not fail the import")
	}
	rep := verifyOK(t, db, nil)
	if rep.Entries != 7+2+1 || rep.Changes != 1 {
		t.Fatalf("report %+v: want 2 imported entries and one withdrawal", rep)
	}
	code := db.ConfirmationCode(&survey.Response{Seq: 8})
	cf, err := db.Confirmation(code)
	if err != nil || cf.Excluded != survey.ExcludedWithdrawn || cf.Counted {
		t.Fatalf("confirmation %+v %v", cf, err)
	}
	var buf bytes.Buffer
	if err := db.ExportLog(&buf); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "log.jsonl")
	_ = os.WriteFile(p, buf.Bytes(), 0o600)
	if rep, _, err := VerifyExport(p, db.Heads(time.Time{}, time.Time{}, true), "", nil); err != nil || !rep.OK {
		t.Fatalf("export with a withdrawal: %v %+v", err, rep)
	}
}

// Schema 5 builds the log for a database that had none, after a backup.
func TestLogMigrationBuildsLog(t *testing.T) {
	db, path, _ := logStore(t)
	n := db.ResponseCount()
	db.Close()
	raw, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bLog, bLogX, bHeads} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put([]byte("schema"), u32(4))
	})
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err = Open(path, Options{Loc: logLoc, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := os.Stat(path + ".schema-4.bak"); err != nil {
		t.Fatalf("no backup before building the log: %v", err)
	}
	rep := verifyOK(t, db, nil)
	if rep.Responses != uint64(n) || rep.RecordsFound != uint64(n) {
		t.Fatalf("report %+v, want %d responses", rep, n)
	}
	r := &survey.Response{Survey: "quay", Channel: survey.ChannelWeb, Unit: "so-a", Answers: map[string]int{"overall": 4}}
	if _, err := db.Submit(r); err != nil || r.Seq != uint64(n)+1 {
		t.Fatalf("after the migration: seq %d, err %v", r.Seq, err)
	}
	verifyOK(t, db, nil)
}

// A replayed export counts what the store counts.
func TestLogReplayCounts(t *testing.T) {
	db, _, now := logStore(t)
	if err := db.SetResponseFlags("1", 0, "x", "test"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("flags of an unknown key: %v", err)
	}
	var first uint64
	_ = db.EachResponse(time.Time{}, time.Time{}, func(r *survey.Response) error {
		if first == 0 {
			first = r.Key
		}
		return nil
	})
	if err := db.SetResponseFlags(keyText(first), survey.FlagUnverified, "admin", "a poster answer"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := db.ExportLog(&buf); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "log.jsonl")
	_ = os.WriteFile(p, buf.Bytes(), 0o600)
	rep, re, err := VerifyExport(p, nil, t.TempDir(), func() time.Time { return *now })
	if err != nil || !rep.OK {
		t.Fatalf("%v %+v", err, rep)
	}
	defer re.Close()
	q := survey.CountQuery{Dim: survey.DimBase, Units: []string{"so-a"}, From: now.AddDate(0, -1, 0), To: now.AddDate(0, 1, 0)}
	a, err1 := db.Count(q)
	b, err2 := re.Count(q)
	if err1 != nil || err2 != nil || a[""].Responses != b[""].Responses || a[""].Criteria["overall"].N != b[""].Criteria["overall"].N {
		t.Fatalf("original %+v, replayed %+v (%v %v)", a[""], b[""], err1, err2)
	}
	q.IncludeUnverified, q.IncludeMisuse = true, true
	a, _ = db.Count(q)
	b, _ = re.Count(q)
	if a[""].Responses != b[""].Responses {
		t.Fatalf("with every flag class: original %d, replayed %d", a[""].Responses, b[""].Responses)
	}
}

// entryOffset is where entry seq (1-based) starts in block 0's value.
func entryOffset(v []byte, seq int) int {
	p := 0
	for i := 1; i < seq; i++ {
		if v[p]&entryChange != 0 {
			l, n := binary.Uvarint(v[p+1:])
			p += 1 + n + digestLen + int(l)
			continue
		}
		_, n := binary.Varint(v[p+1:])
		size := 1 + n + digestLen
		if v[p]&entryCmt != 0 {
			size += 32
		}
		p += size
	}
	return p
}

// BenchmarkLogAppend is the writer's added work per response: canonical
// bytes from the record, the entry hash, the chain hash and the entry.
func BenchmarkLogAppend(b *testing.B) {
	db, _, _ := logStore(b)
	sv := db.Survey("quay", 0)
	rc := &rec{channel: 1, svy: 1, version: 1, unit: 2, counter: 1, kiosk: 1, submitted: 1e18, received: 1e18 + 3e9,
		answers: []byte{4, 5, 3, 4, unanswered, 2, 0}}
	n := &recNames{survey: "quay", unit: "so-a", counter: "a-q1", kiosk: "k1"}
	o := orderOf(sv)
	var buf, block []byte
	var tip [32]byte
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = appendCanonR(buf[:0], uint64(i), 0, n, rc, sv, o, nil)
		e := sha256.Sum256(buf)
		tip = survey.ChainNext(tip, e)
		if block = appendRespEntry(block, uint64(i-1), uint64(i), 0, e, nil); len(block) > 1<<16 {
			block = block[:0]
		}
	}
}
