package pg_test

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"hailong/survey"
	"hailong/survey/pg"
	"hailong/survey/pg/pgtest"
	"hailong/survey/storetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

var hcm = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return loc
}()

// open opens a store on a fresh database of the test cluster.
func open(t testing.TB, now func() time.Time) *pg.DB {
	t.Helper()
	db, err := pg.Open(context.Background(), pgtest.Cluster(t), pg.Options{Loc: hcm, Now: now, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestConformance holds the PostgreSQL store to the contracts of survey.Store.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) survey.Store { return open(t, now) })
}
