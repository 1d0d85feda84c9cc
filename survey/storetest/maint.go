package storetest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hailong/survey"
)

var maintainerCases = []testCase{
	{"Clock", func(t *testing.T, e *env) {
		equal(t, "Now", e.Now().Equal(T0), true)
		e.clock.Add(90 * time.Minute)
		equal(t, "Now after the clock moved", e.Now().Equal(T0.Add(90*time.Minute)), true)
		if e.Loc() == nil {
			t.Fatal("Loc is nil")
		}
	}},
	{"Backup", func(t *testing.T, e *env) {
		e.org(t)
		e.submit(t, e.response())
		var b bytes.Buffer
		n, err := e.Backup(&b)
		must(t, err)
		if n <= 0 || n != int64(b.Len()) {
			t.Fatalf("Backup wrote %d bytes, reported %d", b.Len(), n)
		}
		path := filepath.Join(t.TempDir(), "backup.db")
		n, err = e.BackupFile(path)
		must(t, err)
		fi, err := os.Stat(path)
		must(t, err)
		if n <= 0 || fi.Size() != n {
			t.Fatalf("BackupFile wrote %d bytes, reported %d", fi.Size(), n)
		}
		if _, err := os.Stat(path + ".tmp"); err == nil {
			t.Fatal("BackupFile left its temporary file")
		}
	}},
	{"Snapshot", func(t *testing.T, e *env) {
		e.org(t)
		s, err := e.Snapshot()
		must(t, err)
		e.submit(t, e.response()) // writers go on while a snapshot is open
		var b bytes.Buffer
		n, err := s.WriteTo(&b)
		must(t, err)
		must(t, s.Close())
		if n <= 0 || n != int64(b.Len()) || s.Size() != n {
			t.Fatalf("snapshot: Size %d, WriteTo reported %d and wrote %d", s.Size(), n, b.Len())
		}
	}},
	{"Sizes", func(t *testing.T, e *env) {
		e.org(t)
		e.submit(t, e.response())
		if e.Size() <= 0 {
			t.Fatalf("Size = %d", e.Size())
		}
		if e.Location() == "" {
			t.Fatal("Location is empty")
		}
		bb := e.BucketBytes()
		if len(bb) == 0 {
			t.Fatal("BucketBytes is empty")
		}
		total := 0
		for name, n := range bb {
			if n < 0 {
				t.Fatalf("BucketBytes[%s] = %d", name, n)
			}
			total += n
		}
		if total <= 0 || int64(total) > e.Size() {
			t.Fatalf("BucketBytes total %d, Size %d", total, e.Size())
		}
		equal(t, "IdemCount", e.IdemCount(), 1)
	}},
	{"Close", func(t *testing.T, e *env) {
		e.org(t)
		equal(t, "Closing before Close", e.Closing(), false)
		must(t, e.Close())
		equal(t, "Closing after Close", e.Closing(), true)
		_, err := e.Submit(e.response())
		wantErr(t, err, survey.EUNAVAILABLE)
	}},
}
