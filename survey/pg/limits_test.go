package pg_test

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hailong/survey/pg"
	"hailong/survey/pg/pgtest"
)

// twoServers opens two stores on one database, as two app servers would.
func twoServers(t *testing.T) (*pg.DB, *pg.DB) {
	t.Helper()
	url := pgtest.Cluster(t)
	var dbs [2]*pg.DB
	for i := range dbs {
		db, err := pg.Open(context.Background(), url, pg.Options{Loc: hcm, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	return dbs[0], dbs[1]
}

// TestLimitsShared: 40 concurrent takes spread over two servers never get
// more than max through; a refusal says how long is left and records
// nothing; Give and Reset are seen by the other server; a window ends.
func TestLimitsShared(t *testing.T) {
	a, b := twoServers(t)
	var wg sync.WaitGroup
	var taken atomic.Int32
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(db *pg.DB) {
			defer wg.Done()
			ok, _, err := db.Take("login-user:lan", time.Minute, 5)
			if err != nil {
				t.Error(err)
			}
			if ok {
				taken.Add(1)
			}
		}([]*pg.DB{a, b}[i%2])
	}
	wg.Wait()
	if n := taken.Load(); n != 5 {
		t.Fatalf("40 concurrent takes on two servers: %d got through, want 5", n)
	}
	ok, wait, err := b.Take("login-user:lan", time.Minute, 5)
	if err != nil || ok || wait <= 50*time.Second || wait > time.Minute {
		t.Fatalf("at the limit: ok=%v wait=%v err=%v, want refused with about a minute left", ok, wait, err)
	}
	if err := a.Give("login-user:lan"); err != nil {
		t.Fatal(err)
	}
	if ok, _, err := b.Take("login-user:lan", time.Minute, 5); err != nil || !ok {
		t.Fatalf("after a give on the other server: ok=%v err=%v", ok, err)
	}
	if err := b.Reset("login-user:lan"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if ok, _, err := a.Take("login-user:lan", time.Minute, 5); err != nil || !ok {
			t.Fatalf("take %d after a reset: ok=%v err=%v", i, ok, err)
		}
	}
	for i, want := range []bool{true, false} {
		if ok, _, err := a.Take("poster:x", 300*time.Millisecond, 1); err != nil || ok != want {
			t.Fatalf("short window, take %d: ok=%v err=%v", i, ok, err)
		}
	}
	time.Sleep(350 * time.Millisecond)
	if ok, _, err := b.Take("poster:x", 300*time.Millisecond, 1); err != nil || !ok {
		t.Fatalf("after the window ended: ok=%v err=%v", ok, err)
	}
}

// TestJobLockShared: a job locked on one server is refused on the other
// until it is unlocked; other jobs are free; the health check answers.
func TestJobLockShared(t *testing.T) {
	a, b := twoServers(t)
	unlock, ok, err := a.TryLock("backup")
	if err != nil || !ok {
		t.Fatalf("first lock: ok=%v err=%v", ok, err)
	}
	if _, ok, err := b.TryLock("backup"); err != nil || ok {
		t.Fatalf("the other server locked a held job: ok=%v err=%v", ok, err)
	}
	u2, ok, err := b.TryLock("sessions")
	if err != nil || !ok {
		t.Fatalf("another job on the other server: ok=%v err=%v", ok, err)
	}
	u2()
	unlock()
	u3, ok, err := b.TryLock("backup")
	if err != nil || !ok {
		t.Fatalf("after unlock, the other server: ok=%v err=%v", ok, err)
	}
	u3()
	if err := a.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}
