package main

import (
	"bytes"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"hailong/survey/pg/pgtest"
)

// TestFaultsDatabaseRestart: 64 clients submit through two servers while
// the database is killed (pg_ctl stop -m immediate) and started again.
// Each client behaves as a kiosk's offline queue: an answer not
// acknowledged (an error, a timeout, a 5xx) is sent again with the same id
// until it is. Afterwards every answer acknowledged with 201 is stored,
// none twice, the health checks went 503 and back to 200, and the servers
// serve again without a restart.
func TestFaultsDatabaseRestart(t *testing.T) {
	own := pgtest.NewOwn(t)
	db := own.Database(t)
	reception := pgInstall(t, db)
	was := retryEvery
	retryEvery = 100 * time.Millisecond
	t.Cleanup(func() { retryEvery = was })
	ms := pgServers(t, db, 2)
	rr := newRoundRobin(ms)
	// The clients submit until the servers have served again for a while
	// after the restart (bounded: at most maxEach answers each, 3 minutes);
	// a fixed count finished before the stop on a fast machine.
	const clients, maxEach = 64, 1000
	var done atomic.Bool
	var afterRestart atomic.Int64 // answers first submitted after the restart
	var restarted atomic.Bool
	var mu sync.Mutex
	created := map[string]int{} // id → times answered 201
	acked := map[string]bool{}  // id → answered 201 or 200
	var failures int
	httpc := &http.Client{Timeout: 10 * time.Second}
	submit := func(id string) int {
		body := []byte(`{"id":"` + id + `","survey":"quay","unit":"sct-van-phong","answers":{"overall":4}}`)
		req, _ := http.NewRequest("POST", rr.next()+"/api/v1/responses", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+reception)
		res, err := httpc.Do(req)
		if err != nil {
			return 0
		}
		res.Body.Close()
		return res.StatusCode
	}
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < maxEach && !done.Load(); i++ {
				id := uuid.NewString()
				if restarted.Load() {
					afterRestart.Add(1)
				}
				for attempt := 0; ; attempt++ {
					status := submit(id)
					mu.Lock()
					if status == 201 {
						created[id]++
					}
					if status == 201 || status == 200 {
						acked[id] = true
					} else {
						failures++
					}
					mu.Unlock()
					if status >= 400 && status != 503 {
						t.Errorf("answer %s: status %d while the database was away, want 503 or no answer (at %.3f s)", id, status, time.Since(start).Seconds())
						return
					}
					if status == 201 || status == 200 {
						break
					}
					if time.Since(start) > 3*time.Minute {
						t.Errorf("answer %s still not acknowledged after 3 minutes (last status %d)", id, status)
						return
					}
					time.Sleep(100 * time.Millisecond) // the kiosk's queue waits before a retry
				}
			}
		}()
	}
	time.Sleep(700 * time.Millisecond) // under load
	t.Logf("stop at %.3f s", time.Since(start).Seconds())
	own.Stop(t)
	t.Logf("stopped at %.3f s", time.Since(start).Seconds())
	for _, b := range rr.bases {
		waitStatus(t, b+"/healthz", 503)
	}
	time.Sleep(time.Second)
	t.Logf("start at %.3f s", time.Since(start).Seconds())
	own.Start(t)
	t.Logf("started at %.3f s", time.Since(start).Seconds())
	for _, b := range rr.bases {
		waitStatus(t, b+"/healthz", 200)
	}
	restarted.Store(true)
	time.Sleep(500 * time.Millisecond) // served again under load
	done.Store(true)
	wg.Wait()
	if t.Failed() {
		return
	}
	stored := ms[0].DB.ResponseCount()
	t.Logf("%d answers (%d after the restart), %d not acknowledged at first (retried by id), %d stored, %.1f s",
		len(acked), afterRestart.Load(), failures, stored, time.Since(start).Seconds())
	if failures == 0 {
		t.Error("no submission failed: the database was not stopped under load")
	}
	if afterRestart.Load() == 0 {
		t.Error("no answer was submitted after the restart: the load ended too early")
	}
	// An answer whose commit reached the disk while its acknowledgement was
	// lost with the connection is acknowledged by its retry with 200: acked
	// may exceed created, never stored.
	if stored != len(acked) {
		t.Errorf("%d answers acknowledged (%d with 201), %d stored; want the same", len(acked), len(created), stored)
	}
	for id, n := range created {
		if n != 1 {
			t.Errorf("answer %s created %d times", id, n)
		}
		if _, err := ms[1].DB.ResponseByID(id); err != nil {
			t.Errorf("answer %s acknowledged with 201 is not stored: %v", id, err)
		}
	}
}
