package pgtest

import (
	"fmt"
	"os"
	"testing"
)

// Own is a cluster of one test's own, for tests that stop the database
// and start it again (faults, a server started while the database is
// down): the shared cluster of Cluster must stay up for the others. It is
// stopped and removed when the test ends.
type Own struct {
	c *cluster
}

// NewOwn starts a new cluster.
func NewOwn(tb testing.TB) *Own {
	tb.Helper()
	c := start()
	if c.err != nil {
		if os.Getenv("HAILONG_NO_PG") == "1" {
			tb.Skipf("PostgreSQL tests skipped (HAILONG_NO_PG=1): %v", c.err)
		}
		tb.Fatalf("PostgreSQL is needed for this test: %v", c.err)
	}
	tb.Cleanup(func() {
		_ = c.halt()
		os.RemoveAll(c.dir)
	})
	return &Own{c: c}
}

// Database returns the URL of a new, empty database in the cluster.
func (o *Own) Database(tb testing.TB) string {
	tb.Helper()
	name := fmt.Sprintf("t_%d", nextDB.Add(1))
	if err := o.c.admin("CREATE DATABASE " + name); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	return o.c.url + "&dbname=" + name
}

// Stop stops the server at once, as a crash would (pg_ctl stop -m
// immediate): connections are cut, committed transactions survive.
func (o *Own) Stop(tb testing.TB) {
	tb.Helper()
	if err := o.c.halt(); err != nil {
		tb.Fatal(err)
	}
}

// Start starts the stopped server again (crash recovery runs first).
func (o *Own) Start(tb testing.TB) {
	tb.Helper()
	if err := o.c.run(); err != nil {
		tb.Fatal(err)
	}
}
