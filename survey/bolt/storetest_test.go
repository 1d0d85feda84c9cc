package bolt_test

import (
	"hailong/survey"
	"hailong/survey/bolt"
	"hailong/survey/storetest"
	"log/slog"
	"path/filepath"
	"testing"
	"time"
)

// TestConformance holds the bbolt store to the contracts of survey.Store.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) survey.Store {
		db, err := bolt.Open(filepath.Join(t.TempDir(), "hailong.db"), bolt.Options{Loc: hcm, Now: now, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}
