package survey

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestMemoryLimitsTake: concurrent takes never exceed max, a refusal does
// not prolong the window, Give gives a slot back, and the key count stays
// under the cap however many keys arrive.
func TestMemoryLimitsTake(t *testing.T) {
	now := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	l := NewMemoryLimits()
	l.Now = func() time.Time { return now }
	take := func(key string) (bool, time.Duration) {
		t.Helper()
		ok, wait, err := l.Take(key, 15*time.Minute, 5)
		if err != nil {
			t.Fatal(err)
		}
		return ok, wait
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := 0
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, _, _ := l.Take("lan", 15*time.Minute, 5); ok {
				mu.Lock()
				taken++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if taken != 5 {
		t.Fatalf("50 concurrent takes: %d got through, want 5", taken)
	}
	now = now.Add(14 * time.Minute)
	if ok, wait := take("lan"); ok || wait != time.Minute {
		t.Fatalf("locked key: ok=%v wait=%v, want refused with 1 minute left", ok, wait)
	}
	now = now.Add(time.Minute)
	if ok, _ := take("lan"); !ok {
		t.Fatal("still locked 15 minutes after the first failure")
	}
	if err := l.Give("lan"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if ok, _ := take("lan"); !ok {
			t.Fatalf("take %d after a give refused", i)
		}
	}
	if err := l.Reset("lan"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := take("lan"); !ok {
		t.Fatal("refused after Reset")
	}
	l.MaxKeys = 100
	for i := 0; i < 1000; i++ {
		take("user-" + strconv.Itoa(i))
		if n := l.Keys(); n > l.MaxKeys {
			t.Fatalf("%d keys tracked, cap %d", n, l.MaxKeys)
		}
	}
}

// TestLocalJobs: a job held is refused until unlocked; other names are free.
func TestLocalJobs(t *testing.T) {
	j := NewLocalJobs()
	unlock, ok, err := j.TryLock("backup")
	if err != nil || !ok {
		t.Fatalf("first lock: ok=%v err=%v", ok, err)
	}
	if _, ok, _ := j.TryLock("backup"); ok {
		t.Fatal("a held job was locked twice")
	}
	u2, ok, err := j.TryLock("sessions")
	if err != nil || !ok {
		t.Fatalf("another job refused: ok=%v err=%v", ok, err)
	}
	u2()
	unlock()
	if u3, ok, _ := j.TryLock("backup"); !ok {
		t.Fatal("not free after unlock")
	} else {
		u3()
	}
}
