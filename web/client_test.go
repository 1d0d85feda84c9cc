package web

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestLimiterTake: concurrent takes never exceed max, a refusal does not
// prolong the window, Release gives a slot back, and the key count stays
// under the cap however many keys arrive.
func TestLimiterTake(t *testing.T) {
	now := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	l := NewLimiter(5, 15*time.Minute)
	l.now = func() time.Time { return now }
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := 0
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, _ := l.Take("lan"); ok {
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
	if ok, wait := l.Take("lan"); ok || wait != time.Minute {
		t.Fatalf("locked key: ok=%v wait=%v, want refused with 1 minute left", ok, wait)
	}
	now = now.Add(time.Minute)
	if ok, _ := l.Take("lan"); !ok {
		t.Fatal("still locked 15 minutes after the first failure")
	}
	l.Release("lan")
	for i := 0; i < 5; i++ {
		if ok, _ := l.Take("lan"); !ok {
			t.Fatalf("take %d after a release refused", i)
		}
	}
	l.cap = 100
	for i := 0; i < 1000; i++ {
		l.Take("user-" + strconv.Itoa(i))
		if len(l.seen) > l.cap {
			t.Fatalf("%d keys tracked, cap %d", len(l.seen), l.cap)
		}
	}
}
