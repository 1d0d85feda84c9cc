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

// fresh returns the URL of a new database, migrated (a copy of a template
// migrated once per test binary).
func fresh(t testing.TB) string {
	t.Helper()
	return pgtest.Clone(t, pgtest.Template(t, "hailong_template", func(url string) error {
		db, err := pg.Open(context.Background(), url, pg.Options{Loc: hcm, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			return err
		}
		return db.Close()
	}))
}

// open opens a store on a fresh database of the test cluster.
func open(t testing.TB, now func() time.Time) *pg.DB {
	t.Helper()
	return openAt(t, fresh(t), now)
}

// openAt opens a store on the database at url, closed when t ends.
func openAt(t testing.TB, url string, now func() time.Time) *pg.DB {
	t.Helper()
	db, err := pg.Open(context.Background(), url, pg.Options{Loc: hcm, Now: now, Logger: slog.New(slog.DiscardHandler)})
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
