package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// posterPost sends one valid poster answer with the given X-Forwarded-For
// and returns the status.
func posterPost(t *testing.T, m *Main, xff string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", "http://"+m.Addr+"/f/so-cong-thuong", strings.NewReader("c.overall=5"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Sec-Fetch-Site", "same-origin") // as the form's own page posts
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// limitedAfter posts 13 times (the poster allows 10 per client) with the
// X-Forwarded-For that xff(i) gives, and returns after how many posts the
// first 429 came (0: never).
func limitedAfter(t *testing.T, m *Main, xff func(i int) string) int {
	t.Helper()
	for i := 1; i <= 13; i++ {
		switch st := posterPost(t, m, xff(i)); st {
		case http.StatusTooManyRequests:
			return i - 1
		case http.StatusOK:
		default:
			t.Fatalf("post %d: %d", i, st)
		}
	}
	return 0
}

// TestPosterLimitBehindProxy: behind --trusted-proxies the client is the
// rightmost X-Forwarded-For hop that is not a trusted proxy, so a client
// cannot escape the poster limit by prepending addresses, and junk in the
// header is never a client.
func TestPosterLimitBehindProxy(t *testing.T) {
	cases := []struct {
		name, trusted string
		xff           func(i int) string
		want          int // posts before the first 429; 0: none refused
	}{
		{"prepended addresses: the client is the untrusted hop", "127.0.0.1",
			func(i int) string { return fmt.Sprintf("1.2.3.%d, 198.51.100.9", i) }, 10},
		{"the next proxy trusted too: distinct clients", "127.0.0.1,198.51.100.9",
			func(i int) string { return fmt.Sprintf("1.2.3.%d, 198.51.100.9", i) }, 0},
		{"the next proxy trusted too: one client is limited", "127.0.0.1,198.51.100.9",
			func(int) string { return "1.2.3.1, 198.51.100.9" }, 10},
		{"junk is not a client", "127.0.0.1",
			func(i int) string { return fmt.Sprintf("not-an-ip-%d", i) }, 10},
		{"junk on the right is not a client", "127.0.0.1",
			func(i int) string { return fmt.Sprintf("1.2.3.%d, <script>", i) }, 10},
		{"no trusted proxy: the header is ignored", "",
			func(i int) string { return fmt.Sprintf("1.2.3.%d", i) }, 10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// An installation of its own: on PostgreSQL the limits outlive
			// a server (they are the database's), so cases sharing one
			// would count each other's posts.
			dir, _, _ := setup(t)
			m := runWith(t, dir, tc.trusted, io.Discard)
			defer m.Close()
			if got := limitedAfter(t, m, tc.xff); got != tc.want {
				t.Errorf("first 429 after %d posts, want after %d (0: none)", got, tc.want)
			}
		})
	}
}

// TestTrustedProxiesRefuseJunk: a --trusted-proxies entry that is not an
// address or range stops the server from starting.
func TestTrustedProxiesRefuseJunk(t *testing.T) {
	m := &Main{Config: Config{Addr: "127.0.0.1:0", Data: t.TempDir(), TrustedProxies: "127.0.0.1,proxy.lan"}}
	defer m.Close()
	if err := m.Run(); err == nil || !strings.Contains(err.Error(), "proxy.lan") {
		t.Fatalf("Run with a junk proxy: %v", err)
	}
}
