package pg_test

import (
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"hailong/survey"
	"hailong/survey/pg/pgtest"
)

// TestSubmitSurvivesCrash: what Submit acknowledged is there after the
// server is cut off without a shutdown (recovered from the WAL, fsync on),
// with counts equal to a rebuild and the log intact.
func TestSubmitSurvivesCrash(t *testing.T) {
	url := fresh(t)
	db := openServer(t, url, fixedNow, 0)
	if err := db.PutUnits([]survey.Unit{{ID: "so-a", Name: "Sở A"}}); err != nil {
		t.Fatal(err)
	}
	const n = 64
	var wg sync.WaitGroup
	acked := make(chan string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := &survey.Response{ID: uuid.NewString(), Survey: "quay", Channel: survey.ChannelWeb, Unit: "so-a",
				Answers: map[string]int{"overall": 1 + i%5}, SubmittedAt: t0.Add(-time.Duration(i) * time.Second)}
			if created, err := db.Submit(r); err != nil || !created {
				t.Errorf("Submit: %v, %v", created, err)
				return
			}
			acked <- r.ID
		}(i)
	}
	wg.Wait()
	close(acked)
	pgtest.Crash(t)
	after := openServer(t, url, fixedNow, 0)
	for id := range acked {
		if _, err := after.ResponseByID(id); err != nil {
			t.Fatalf("acknowledged response %s lost in the crash: %v", id, err)
		}
	}
	if got := after.ResponseCount(); got != n {
		t.Fatalf("ResponseCount = %d after the crash, want %d", got, n)
	}
	if ok, err := after.CheckAgg(); err != nil || !ok {
		t.Fatalf("CheckAgg = %v, %v", ok, err)
	}
	if rep, err := after.VerifyLog(nil, nil); err != nil || !rep.OK {
		t.Fatalf("VerifyLog: %v %+v", err, rep)
	}
}
