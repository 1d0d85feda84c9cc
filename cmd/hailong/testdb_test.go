package main

import (
	"context"
	"os"
	"sync"
	"testing"

	"hailong/survey"
	"hailong/survey/pg/pgtest"
)

// The end-to-end tests run on bbolt, or on PostgreSQL when
// HAILONG_TEST_DB=postgres (make test-pg): each data folder a test makes
// then stands for a fresh database of the test binary's cluster, and the
// helpers (MustRun, runWith, cli, openTestStore) hand the server and the
// commands that database instead of <dir>/hailong.db.
var onPostgres = os.Getenv("HAILONG_TEST_DB") == "postgres"

var testDBs sync.Map // data folder → database URL

// testAddr is the database of data folder dir: "" (the bbolt file) on
// bbolt, else its PostgreSQL database, created on first use.
func testAddr(tb testing.TB, dir string) string {
	tb.Helper()
	if !onPostgres {
		return ""
	}
	if u, ok := testDBs.Load(dir); ok {
		return u.(string)
	}
	u, _ := testDBs.LoadOrStore(dir, pgtest.Cluster(tb))
	return u.(string)
}

// openTestStore opens the store of data folder dir as the commands do.
func openTestStore(tb testing.TB, dir string) (survey.Store, error) {
	tb.Helper()
	return openStore(context.Background(), &Config{Data: dir, DB: testAddr(tb, dir)}, nil, false)
}

// withTestDB adds --db for the data folder a command line names, on
// PostgreSQL.
func withTestDB(tb testing.TB, args []string) []string {
	tb.Helper()
	if !onPostgres {
		return args
	}
	for i := 0; i+1 < len(args); i++ {
		if args[i] == "--data" {
			out := append([]string(nil), args[:i+2]...)
			out = append(out, "--db", testAddr(tb, args[i+1]))
			return append(out, args[i+2:]...)
		}
	}
	return args
}
