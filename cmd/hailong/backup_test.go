package main

import (
	"bytes"
	"fmt"
	"hailong/survey/bolt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestBackupUnderLoadAndRestore takes an online backup while 16 clients
// submit over HTTP, then restores it into a new data folder and serves it:
// every response acknowledged before the backup began is in the copy, the
// copy's counts equal a rebuild, and the restored server answers with them.
func TestBackupUnderLoadAndRestore(t *testing.T) {
	dir, reception, viewer := setup(t)
	m := MustRun(t, dir)
	base := "http://" + m.Addr
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}

	type ack struct {
		id string
		at time.Time
	}
	var mu sync.Mutex
	var acks []ack
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for c := 0; c < 16; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; i < 3000; i++ { // bounded; normally stopped long before
				select {
				case <-stop:
					return
				default:
				}
				id := uuid.NewString()
				body := fmt.Sprintf(`{"id":%q,"survey":"quay","unit":"so-cong-thuong","answers":{"overall":%d}}`, id, 1+(c+i)%5)
				r := post(t, client, base+"/api/v1/responses", reception, "application/json", []byte(body))
				if r.Status != http.StatusCreated {
					t.Errorf("submit: %d %v", r.Status, r.Body)
					return
				}
				mu.Lock()
				acks = append(acks, ack{id, time.Now()})
				mu.Unlock()
			}
		}(c)
	}
	time.Sleep(300 * time.Millisecond) // load is running
	began := time.Now()
	backup := filepath.Join(t.TempDir(), "copy.db")
	if _, err := m.DB.BackupFile(backup); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // and keeps running after
	close(stop)
	wg.Wait()

	restored := t.TempDir()
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, "hailong.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(filepath.Join(restored, "hailong.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	before := 0
	for _, a := range acks {
		if a.at.Before(began) {
			before++
			if _, err := db.ResponseByID(a.id); err != nil {
				t.Fatalf("response %s acknowledged before the backup began is missing from it: %v", a.id, err)
			}
		}
	}
	n := db.ResponseCount()
	if before < 100 || n < before || n > len(acks) {
		t.Fatalf("acknowledged before: %d, in the copy: %d, acknowledged in all: %d", before, n, len(acks))
	}
	if ok, err := db.CheckAgg(); err != nil || !ok {
		t.Fatalf("backup counts differ from a rebuild: %v %v", ok, err)
	}
	db.Close()

	// restore: serve the copy and read the same count through the API (the
	// load came from one token, a burst: misuse included)
	r := MustRun(t, restored)
	req, _ := http.NewRequest("GET", "http://"+r.Addr+"/api/v1/analytics/summary?misuse=include&unit=so-cong-thuong&from="+time.Now().AddDate(0, 0, -1).Format("2006-01-02")+"&to="+time.Now().AddDate(0, 0, 1).Format("2006-01-02"), nil)
	req.Header.Set("Authorization", "Bearer "+viewer)
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Contains(buf.Bytes(), []byte(fmt.Sprintf(`"n":%d`, n))) {
		t.Fatalf("restored server summary: %d %s (want n=%d)", res.StatusCode, buf.String(), n)
	}
	t.Logf("%d acknowledged before the backup began, %d in the copy, %d acknowledged in all", before, n, len(acks))
}
