package web

import (
	"net/netip"
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

func TestProxiesClient(t *testing.T) {
	p, err := ParseProxies([]string{"127.0.0.1", "10.0.0.0/8", "::1", " 198.51.100.9 "})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"not-an-ip", "10.0.0.0/33", "1.2.3.4, 5.6.7.8", "fe80::1%eth0"} {
		if _, err := ParseProxies([]string{bad}); err == nil {
			t.Errorf("ParseProxies(%q) accepted", bad)
		}
	}
	cases := []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no proxy: the peer, header ignored", "203.0.113.7", []string{"1.2.3.4"}, "203.0.113.7"},
		{"trusted peer, no header", "127.0.0.1", nil, "127.0.0.1"},
		{"one hop", "127.0.0.1", []string{"1.2.3.4"}, "1.2.3.4"},
		{"appended: rightmost untrusted hop", "127.0.0.1", []string{"1.2.3.4, 203.0.113.9"}, "203.0.113.9"},
		{"proxy hops skipped", "127.0.0.1", []string{"1.2.3.4, 198.51.100.9"}, "1.2.3.4"},
		{"proxy chain", "10.1.1.1", []string{"203.0.113.5, 10.2.2.2", "10.3.3.3"}, "203.0.113.5"},
		{"two headers read in order", "127.0.0.1", []string{"203.0.113.5", "203.0.113.6"}, "203.0.113.6"},
		{"junk alone: the peer", "127.0.0.1", []string{"not-an-ip"}, "127.0.0.1"},
		{"junk on the right: the peer", "127.0.0.1", []string{"1.2.3.4, <script>"}, "127.0.0.1"},
		{"junk behind a proxy hop: that hop", "127.0.0.1", []string{"<script>, 10.0.0.5"}, "10.0.0.5"},
		{"junk on the left is never reached", "127.0.0.1", []string{"<script>, 203.0.113.5"}, "203.0.113.5"},
		{"empty header", "127.0.0.1", []string{""}, "127.0.0.1"},
		{"empty hop", "127.0.0.1", []string{"1.2.3.4,,"}, "127.0.0.1"},
		{"every hop a proxy: the first", "127.0.0.1", []string{"10.0.0.1, 10.0.0.2"}, "10.0.0.1"},
		{"address with a port", "127.0.0.1", []string{"203.0.113.5:4711"}, "203.0.113.5"},
		{"IPv6 with a port", "::1", []string{"[2001:db8::1]:443"}, "2001:db8::1"},
		{"IPv4-mapped IPv6 unmapped", "127.0.0.1", []string{"::ffff:203.0.113.5"}, "203.0.113.5"},
		{"zone dropped", "127.0.0.1", []string{"fe80::1%eth0"}, "fe80::1"},
		{"mapped peer is trusted", "::ffff:127.0.0.1", []string{"203.0.113.5"}, "203.0.113.5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := p.Client(netip.MustParseAddr(tc.peer), tc.xff)
			if got.String() != tc.want {
				t.Errorf("Client(%s, %q) = %s, want %s", tc.peer, tc.xff, got, tc.want)
			}
		})
	}
}

// IPv6 clients are counted by /64: addresses of one network share a key,
// other networks and IPv4 addresses do not.
func TestClientKeyIPv6Network(t *testing.T) {
	ck := &ClientKeys{key: []byte("k")}
	key := func(s string) string { return ck.Of(netip.MustParseAddr(s)) }
	if key("2001:db8:1:2::1") != key("2001:db8:1:2:ffff:ffff:ffff:fffe") {
		t.Error("two addresses of one /64 got different keys")
	}
	if key("2001:db8:1:2::1") == key("2001:db8:1:3::1") {
		t.Error("two /64 networks share a key")
	}
	if key("192.0.2.1") == key("192.0.2.2") {
		t.Error("two IPv4 addresses share a key")
	}
	if key("::ffff:192.0.2.1") != key("192.0.2.1") {
		t.Error("an IPv4-mapped address is not its IPv4 address")
	}
}
