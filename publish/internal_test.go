package publish

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hailong/analytics/engine"
)

func day(t *testing.T, s string) int32 {
	t.Helper()
	d, ok := engine.ParseDate(s)
	if !ok {
		t.Fatalf("bad date %s", s)
	}
	return d
}

func TestPeriods(t *testing.T) {
	today := day(t, "2026-06-15")
	t.Run("DefaultIsLastCompleteYear", func(t *testing.T) {
		c, ok := Settings{}.defaultChoice(today)
		if !ok || c.Key != "2025" {
			t.Fatalf("default %+v %v", c, ok)
		}
		c, _ = Settings{From: day(t, "2025-03-01")}.defaultChoice(today)
		if c.Key != "2025" {
			t.Errorf("published from March 2025: default %q, want 2025 (cut)", c.Key)
		}
	})
	t.Run("CurrentYearWhenLastYearIsNotPublished", func(t *testing.T) {
		c, ok := Settings{From: day(t, "2026-02-01")}.defaultChoice(today)
		if !ok || c.Key != "2026" {
			t.Fatalf("default %+v %v", c, ok)
		}
	})
	t.Run("NothingYet", func(t *testing.T) {
		if c, ok := (Settings{From: day(t, "2026-07-01")}).defaultChoice(today); ok {
			t.Fatalf("default %+v while nothing is published", c)
		}
	})
	t.Run("Window", func(t *testing.T) {
		s := Settings{From: day(t, "2025-03-01")}
		for key, want := range map[string]string{"2025": "2025-03-01/2025-12-31", "2025-q1": "2025-03-01/2025-03-31",
			"2025-q3": "2025-07-01/2025-09-30", "2026": "2026-01-01/2026-12-31", "2024": "", "2024-q4": "", "2026-q3": "", "2016": ""} {
			c, ok := parseChoice(key)
			if !ok {
				t.Fatalf("parse %q", key)
			}
			p, ok := s.window(c, today)
			got := ""
			if ok {
				got = p.FromDate() + "/" + p.ToDate()
			}
			if got != want {
				t.Errorf("window %s = %q, want %q", key, got, want)
			}
		}
		for _, bad := range []string{"25", "2025-q5", "2025-Q0", "2025-03", "1999", "3000", "2025q1", "2025-q1x", " 2025"} {
			if c, ok := parseChoice(bad); ok {
				t.Errorf("parseChoice(%q) = %+v", bad, c)
			}
		}
	})
	t.Run("PreviousOnlyWhenPublished", func(t *testing.T) {
		s := Settings{From: day(t, "2025-03-01")}
		c, _ := parseChoice("2025-q3")
		p, _ := s.window(c, today)
		if prev, ok := s.previous(p); !ok || prev.FromDate() != "2025-04-01" {
			t.Errorf("previous of Q3: %+v %v", prev, ok)
		}
		c, _ = parseChoice("2025")
		p, _ = s.window(c, today)
		if _, ok := s.previous(p); ok {
			t.Error("the year before March 2025 counts as published")
		}
	})
	t.Run("Choices", func(t *testing.T) {
		var keys []string
		for _, c := range (Settings{From: day(t, "2025-03-01")}).choices(today) {
			keys = append(keys, c.Key)
		}
		want := []string{"2026", "2026-q2", "2026-q1", "2025", "2025-q4", "2025-q3", "2025-q2", "2025-q1"}
		if len(keys) != len(want) {
			t.Fatalf("choices %v, want %v", keys, want)
		}
		for i := range want {
			if keys[i] != want[i] {
				t.Fatalf("choices %v, want %v", keys, want)
			}
		}
		if n := len(Settings{}.choices(today)); n != Years*5-2 {
			t.Errorf("%d choices without a limit, want %d (ten years, quarters begun)", n, Years*5-2)
		}
	})
}

func TestCache(t *testing.T) {
	t.Run("OneComputationPerBurst", func(t *testing.T) {
		c := newCache[int](8, time.Minute)
		var calls atomic.Int32
		release := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < 64; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, err := c.get("k", func() (int, error) { calls.Add(1); <-release; return 42, nil })
				if v != 42 || err != nil {
					t.Errorf("got %d %v", v, err)
				}
			}()
		}
		time.Sleep(50 * time.Millisecond)
		close(release)
		wg.Wait()
		if n := calls.Load(); n != 1 {
			t.Errorf("%d computations for one key, want 1", n)
		}
	})
	t.Run("ExpiresAndForgetsErrors", func(t *testing.T) {
		now := time.Unix(1000, 0)
		c := newCache[int](8, time.Minute)
		c.now = func() time.Time { return now }
		n := 0
		fn := func() (int, error) { n++; return n, nil }
		if v, _ := c.get("k", fn); v != 1 {
			t.Fatal(v)
		}
		now = now.Add(59 * time.Second)
		if v, _ := c.get("k", fn); v != 1 {
			t.Errorf("recomputed before the TTL: %d", v)
		}
		now = now.Add(2 * time.Second)
		if v, _ := c.get("k", fn); v != 2 {
			t.Errorf("not recomputed after the TTL: %d", v)
		}
		boom := errors.New("boom")
		if _, err := c.get("e", func() (int, error) { return 0, boom }); err != boom {
			t.Fatal(err)
		}
		if v, err := c.get("e", fn); err != nil || v != 3 {
			t.Errorf("an error was kept: %d %v", v, err)
		}
	})
	t.Run("Bounded", func(t *testing.T) {
		c := newCache[int](16, time.Minute)
		for i := 0; i < 1000; i++ {
			c.get(string(rune('a'+i%26))+time.Duration(i).String(), func() (int, error) { return i, nil })
		}
		if n := c.size(); n > 16 {
			t.Errorf("%d entries, bound 16", n)
		}
		c.clear()
		if n := c.size(); n != 0 {
			t.Errorf("%d entries after clear", n)
		}
		w := newCache[[]byte](100, time.Minute).weighed(1000, func(b []byte) int { return len(b) })
		for i := 0; i < 50; i++ {
			w.get(strconv.Itoa(i), func() ([]byte, error) { return make([]byte, 300), nil })
			if w.bytes > 1000 {
				t.Fatalf("%d bytes cached, bound 1000", w.bytes)
			}
		}
		if v, _ := w.get("49", func() ([]byte, error) { return nil, errors.New("recomputed") }); len(v) != 300 {
			t.Error("the newest entry was shed")
		}
		if n := w.size(); n != 3 {
			t.Errorf("%d entries of 300 bytes under a 1000-byte bound, want 3", n)
		}
	})
}

func TestFrameHeaderRewrite(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"default-src 'self'; frame-ancestors 'none'; base-uri 'none'", "default-src 'self'; frame-ancestors https://a.example https://b.example; base-uri 'none'"},
		{"default-src 'self'", "default-src 'self'; frame-ancestors https://a.example https://b.example"},
		{"", "frame-ancestors https://a.example https://b.example"},
	} {
		if got := rewriteFrameAncestors(tc.in, []string{"https://a.example", "https://b.example"}); got != tc.want {
			t.Errorf("%q → %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestBadgeWidth(t *testing.T) {
	short, long := textWidth("76,29 %"), textWidth("76,29 % · hạng 12/14")
	if short < 35 || long <= short || long > 160 {
		t.Errorf("widths %d %d", short, long)
	}
	svg := string(badgeSVG("Chỉ số <hài lòng>", "76,29 %", `a "quoted" & <b>`, true))
	for _, bad := range []string{"<hài", "<b>", `"quoted"`} {
		if strings.Contains(svg, bad) {
			t.Errorf("unescaped %q", bad)
		}
	}
}
