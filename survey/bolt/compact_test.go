package bolt_test

import (
	"bytes"
	"hailong/survey"
	"hailong/survey/bolt"
	"os"
	"path/filepath"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// importAt imports n benchmark rows in the given order into a fresh store
// and returns it with its path.
func importAt(t *testing.T, n int, order string) (*bolt.DB, string) {
	dir := t.TempDir()
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, hcm)
	csv := filepath.Join(dir, "responses.csv")
	writeQuayCSV(t, csv, n, order, end)
	path := filepath.Join(dir, "hailong.db")
	db, err := bolt.Open(path, bolt.Options{Loc: hcm, Now: func() time.Time { return end }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	benchOrg(t, db)
	if st, err := db.ImportResponses(csv, "admin"); err != nil || st.Rows != n {
		t.Fatalf("import %s: %+v %v", order, st, err)
	}
	return db, path
}

// An import grouped by agency, then by time, merges the 30 runs: it
// stores exactly what the same rows in time order store.
func TestImportGroupedMerged(t *testing.T) {
	const n = 30000
	timed, _ := importAt(t, n, "time")
	grouped, _ := importAt(t, n, "agency")
	if bolt.Digest(grouped, "imports", "audit", "log", "heads") != bolt.Digest(timed, "imports", "audit", "log", "heads") { // the batches (and their log entries) name different files
		t.Fatal("a grouped import stored something else than the same rows in time order")
	}
	if g, w := grouped.Size(), timed.Size(); g > w*101/100 {
		t.Fatalf("grouped import: %d bytes, time-ordered %d", g, w)
	}
	if size, slack := grouped.Slack(); slack*100 > size*10 {
		t.Fatalf("a merged import left %d of %d bytes unused", slack, size)
	}
}

// Rows stored out of time order (here: a grouped file with merging off,
// as a file with more runs than an import merges) split pages of the
// time-keyed responses bucket; compacting afterwards brings the file to
// the size of the same rows imported in time order.
func TestCompactGroupedImport(t *testing.T) {
	const n = 30000
	defer bolt.SetImportChunk(5000, 0)() // six transactions
	timed, _ := importAt(t, n, "time")
	want := timed.Size() // the pages in use, without the file's growth step
	defer bolt.SetImportRuns(0)()
	grouped, path := importAt(t, n, "agency")
	size, slack := grouped.Slack()
	if slack*100 < size*10 {
		t.Fatalf("a grouped import left %d of %d bytes unused: nothing for the import to compact", slack, size)
	}
	digest := bolt.Digest(grouped)
	st, err := grouped.Compact(true)
	if err != nil || st.Responses != n {
		t.Fatalf("compact: %+v %v", st, err)
	}
	t.Logf("%d rows: time order %d bytes, grouped %d before, %d after compaction (%v)", n, want, st.Before, st.After, st.Duration)
	if st.After > want*103/100 {
		t.Fatalf("compacted grouped import: %d bytes, time-ordered import %d", st.After, want)
	}
	if fi, _ := os.Stat(path); fi.Size() != st.After {
		t.Fatalf("file is %d bytes, compaction said %d", fi.Size(), st.After)
	}
	if _, err := os.Stat(path + ".compact"); !os.IsNotExist(err) {
		t.Fatalf("temporary file left: %v", err)
	}
	if _, err := grouped.Count(survey.CountQuery{Dim: survey.DimBase, Units: []string{"so-01"}}); err == nil && !grouped.Closing() {
		t.Fatal("the compacted DB is still open")
	}
	db, err := bolt.Open(path, bolt.Options{Loc: hcm})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if bolt.Digest(db) != digest {
		t.Fatal("compaction changed the content")
	}
	if ok, err := db.CheckAgg(); err != nil || !ok {
		t.Fatalf("counts after compaction: %v %v", ok, err)
	}
	// The store keeps working: a new response is stored and counted.
	r := &survey.Response{Survey: "quay", Channel: survey.ChannelKiosk, Unit: "so-01", Answers: map[string]int{"overall": 5},
		SubmittedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, hcm), ReceivedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, hcm)}
	if created, err := db.Submit(r); err != nil || !created {
		t.Fatalf("submit after compaction: %v %v", created, err)
	}
}

// When the copy fails its checks, the original file is left byte for byte
// as it was and no temporary file remains.
func TestCompactRefusesBadCopy(t *testing.T) {
	db, path := importAt(t, 3000, "agency")
	// Counts that differ from the responses: the copy would carry them.
	err := db.Bolt().Update(func(tx *bbolt.Tx) error {
		c := tx.Bucket([]byte("agg")).Cursor()
		k, _ := c.First()
		return tx.Bucket([]byte("agg")).Delete(k)
	})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	if _, err := db.Compact(true); err == nil {
		t.Fatal("compacted a store whose counts differ from a rebuild")
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("a refused compaction changed the file")
	}
	if _, err := os.Stat(path + ".compact"); !os.IsNotExist(err) {
		t.Fatalf("temporary file left: %v", err)
	}
}

// A process that opened the file just before a compaction replaced it and
// waited for its lock opens the new file, not the replaced one.
func TestOpenAfterCompactionReplacedTheFile(t *testing.T) {
	db, path := importAt(t, 3000, "agency")
	opened := make(chan *bolt.DB, 1)
	go func() {
		other, err := bolt.Open(path, bolt.Options{Loc: hcm, LockTimeout: 20 * time.Second})
		if err != nil {
			t.Error(err)
		}
		opened <- other
	}()
	time.Sleep(300 * time.Millisecond) // it is waiting for the lock
	if _, err := db.Compact(false); err != nil {
		t.Fatal(err)
	}
	other := <-opened
	if other == nil {
		return
	}
	r := &survey.Response{Survey: "quay", Channel: survey.ChannelKiosk, Unit: "so-02", Answers: map[string]int{"overall": 4}}
	if _, err := other.Submit(r); err != nil {
		t.Fatal(err)
	}
	other.Close()
	again, err := bolt.Open(path, bolt.Options{Loc: hcm})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if got, err := again.Response(r.Key); err != nil || got.Unit != "so-02" {
		t.Fatalf("the response stored after the compaction is not in the file: %v %v", got, err)
	}
}
