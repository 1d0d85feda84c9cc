package web

import (
	"hailong/survey"
	"net/netip"
	"testing"
	"time"
)

// TestLimiterNames: limits of different names count apart on one
// LimitService, and each refuses above its own max.
func TestLimiterNames(t *testing.T) {
	svc := survey.NewMemoryLimits()
	a, b := NewLimiter(svc, "a", 2, time.Minute), NewLimiter(svc, "b", 1, time.Minute)
	for i, want := range []bool{true, true, false} {
		if ok, _, err := a.Take("k"); err != nil || ok != want {
			t.Fatalf("a take %d: ok=%v err=%v, want %v", i, ok, err, want)
		}
	}
	if ok, _, err := b.Take("k"); err != nil || !ok {
		t.Fatalf("b's first take refused (ok=%v err=%v): the names share counts", ok, err)
	}
	if ok, _, _ := b.Take("k"); ok {
		t.Fatal("b's second take allowed above its max of 1")
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
